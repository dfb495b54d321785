"""watch: pick up new and changed files (and so new feed entries) and ingest them.

A file is read again when its size or modification time changed since the last look; articles
already stored are recognised by the store (same content and outlet, or same URL), so a feed
that grew yields only its new entries. Each batch is one transaction. A path that is missing
or unreadable is reported once (and again only when its problem changes); a file deleted while
it is being read is simply read again if it comes back.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .config import Settings
from .ingest import IngestSummary, StoreGrouper, ingest_documents
from .model import Skipped
from .pipeline import iter_inputs
from .read import expand_paths
from .store import Store


class Watcher:
    def __init__(self, store: Store, settings: Settings, paths: Sequence[str | Path]) -> None:
        self.store = store
        self.settings = settings
        self.paths = list(paths)
        self.grouper = StoreGrouper(store, settings)
        self._seen: dict[Path, tuple[int, int]] = {}
        self._reported: dict[str, str] = {}  # path -> the problem last reported for it

    def changed_files(self) -> tuple[list[Path], list[Skipped]]:
        """Files new or changed since the last look, and paths with a problem not yet told."""
        changed: list[Path] = []
        problems: list[Skipped] = []
        current: dict[str, str] = {}
        for path in expand_paths(self.paths):
            if isinstance(path, Skipped):
                current[path.source] = path.reason
                if self._reported.get(path.source) != path.reason:
                    problems.append(path)
                continue
            if not isinstance(path, Path):
                continue  # stdin cannot be watched
            try:
                stat = path.stat()
            except OSError:
                self._seen.pop(path, None)  # gone since it was listed: read it if it returns
                continue
            if self._seen.get(path) != (stat.st_size, stat.st_mtime_ns):
                changed.append(path)
        self._reported = current
        return changed, problems

    def poll(self) -> IngestSummary:
        """One look: ingest every new or changed file; remember it once committed."""
        files, problems = self.changed_files()
        if not files:
            return IngestSummary(skipped=problems)
        summary = ingest_documents(self.store, iter_inputs(files, self.settings), self.grouper)
        summary.skipped = problems + summary.skipped
        for path in files:
            try:
                stat = path.stat()
            except OSError:
                self._seen.pop(path, None)
                continue
            self._seen[path] = (stat.st_size, stat.st_mtime_ns)
        return summary
