"""watch: pick up new and changed files (and so new feed entries) and ingest them.

A file is read again when its size or modification time changed since the last look; articles
already stored are recognised by the store (same content and outlet, or same URL), so a feed
that grew yields only its new entries. Each batch is one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .config import Settings
from .pipeline import Grouper, IngestSummary, ingest_documents, read_inputs
from .read import expand_paths
from .store import Store


class Watcher:
    def __init__(self, store: Store, settings: Settings, paths: Sequence[str | Path]) -> None:
        self.store = store
        self.settings = settings
        self.paths = list(paths)
        self.grouper = Grouper.from_store(store, settings)
        self._seen: dict[Path, tuple[int, int]] = {}

    def changed_files(self) -> list[Path]:
        changed = []
        for path in expand_paths(self.paths):
            if not isinstance(path, Path):
                continue  # stdin cannot be watched
            try:
                stat = path.stat()
            except OSError:
                continue
            signature = (stat.st_size, stat.st_mtime_ns)
            if self._seen.get(path) != signature:
                changed.append(path)
        return changed

    def poll(self) -> IngestSummary:
        """One look: ingest every new or changed file; remember it once committed."""
        files = self.changed_files()
        if not files:
            return IngestSummary()
        documents, skipped = read_inputs(files, self.settings)
        summary = ingest_documents(self.store, self.grouper, documents)
        summary.skipped = skipped + summary.skipped
        for path in files:
            stat = path.stat()
            self._seen[path] = (stat.st_size, stat.st_mtime_ns)
        return summary
