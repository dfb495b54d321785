"""Rendered story pages and story JSON, kept per process and served again while the stored
story is unchanged: a view never analyses anything (the ingest did that) and renders a story
once per change, not once per request. Whether the stored story changed is looked up at most
once every FRESH_SECONDS per story (one indexed query), so a page can lag a change by that
long."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MAX_CACHED_BYTES = 64_000_000
FRESH_SECONDS = 1.0


@dataclass
class _Entry:
    version: Any
    body: bytes
    checked: float  # monotonic time the version was last compared with the store's


class RenderCache:
    """Bytes per (story, kind), each tagged with the story's version; least recently used
    entries go first once MAX_CACHED_BYTES is reached."""

    def __init__(self, max_bytes: int = MAX_CACHED_BYTES, fresh: float = FRESH_SECONDS) -> None:
        self.max_bytes = max_bytes
        self.fresh = fresh
        self._entries: OrderedDict[tuple[str, str], _Entry] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def recent(self, story_id: str, kind: str) -> bytes | None:
        """The cached bytes if they were checked against the store within FRESH_SECONDS."""
        with self._lock:
            entry = self._entries.get((story_id, kind))
            if entry is not None and time.monotonic() - entry.checked < self.fresh:
                self._entries.move_to_end((story_id, kind))
                return entry.body
        return None

    def get(
        self, story_id: str, kind: str, version: Any, render: Callable[[], bytes | None]
    ) -> bytes | None:
        key = (story_id, kind)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry.version == version:
                entry.checked = time.monotonic()
                self._entries.move_to_end(key)
                return entry.body
        body = render()  # outside the lock: a slow render does not hold other requests
        if body is None or len(body) > self.max_bytes:
            return body
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old.body)
            self._entries[key] = _Entry(version, body, time.monotonic())
            self._size += len(body)
            while self._size > self.max_bytes and self._entries:
                _, dropped = self._entries.popitem(last=False)
                self._size -= len(dropped.body)
        return body
