"""Rendered story pages and story JSON, kept per process and served again while the stored
story is unchanged: a view never analyses anything (the ingest did that) and renders a story
once per change, not once per request. Freshness costs one indexed lookup per request."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

MAX_CACHED_BYTES = 64_000_000


class RenderCache:
    """Bytes per (story, kind), each tagged with the story's version; least recently used
    entries go first once MAX_CACHED_BYTES is reached."""

    def __init__(self, max_bytes: int = MAX_CACHED_BYTES) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple[str, str], tuple[Any, bytes]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(
        self, story_id: str, kind: str, version: Any, render: Callable[[], bytes | None]
    ) -> bytes | None:
        key = (story_id, kind)
        with self._lock:
            found = self._entries.get(key)
            if found is not None and found[0] == version:
                self._entries.move_to_end(key)
                return found[1]
        body = render()  # outside the lock: a slow render does not hold other requests
        if body is None or len(body) > self.max_bytes:
            return body
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old[1])
            self._entries[key] = (version, body)
            self._size += len(body)
            while self._size > self.max_bytes and self._entries:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._size -= len(dropped)
        return body
