"""RSS and Atom feed files: one document per entry, full content when the feed has it."""

from __future__ import annotations

from collections.abc import Iterator

import feedparser

from ..model import RawDocument, Skipped
from .decode import InputError


def read_feed(source: str, text: str) -> Iterator[RawDocument | Skipped]:
    parsed = feedparser.parse(text)
    if not parsed.entries:
        if parsed.get("bozo"):
            raise InputError(f"not a readable feed ({parsed.get('bozo_exception')})")
        raise InputError("feed has no entries")
    feed_title = parsed.feed.get("title")
    for number, entry in enumerate(parsed.entries, start=1):
        where = f"{source}#{entry.get('id') or entry.get('link') or number}"
        contents = entry.get("content") or []
        body = max((c.get("value", "") for c in contents), key=len, default="")
        if len(body) < len(entry.get("summary", "")):
            body = entry.get("summary", "")
        if not body.strip():
            yield Skipped(source=where, reason="feed entry has no content or summary")
            continue
        yield RawDocument(
            source=where,
            kind="html" if "<" in body else "text",
            content=body,
            url=entry.get("link"),
            title=entry.get("title"),
            published=entry.get("published") or entry.get("updated"),
            published_origin="feed",
            outlet=feed_title,
        )
