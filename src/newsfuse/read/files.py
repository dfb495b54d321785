"""Find input files, check them, and hand each to the reader for its kind."""

from __future__ import annotations

import gzip
import io
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal

from ..config import Settings
from ..model import RawDocument, Skipped
from .decode import InputError, decode_bytes
from .feeds import read_feed
from .records import read_json, read_jsonl
from .warc import read_warc

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
FEED_SUFFIXES = {".rss", ".atom", ".xml", ".feed"}
WARC_SUFFIXES = {".warc", ".arc"}
KNOWN_SUFFIXES = (
    TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES | WARC_SUFFIXES
)

STDIN = "-"


def kind_suffix(path: Path) -> str:
    """The suffix that decides the reader; ``x.html.gz`` reads as ``.html``."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz" and len(suffixes) > 1:
        return suffixes[-2]
    return suffixes[-1] if suffixes else ""


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path | str]:
    """Files named directly, then the known files inside folders, in a stable order."""
    for item in paths:
        if str(item) == STDIN:
            yield STDIN
            continue
        path = Path(item)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden and kind_suffix(child) in KNOWN_SUFFIXES:
                    yield child
        else:
            yield path


def read_paths(paths: Iterable[str | Path], settings: Settings) -> Iterator[RawDocument | Skipped]:
    """Yield every document in `paths`; each unusable input becomes one `Skipped`."""
    for path in expand_paths(paths):
        if path == STDIN:
            yield from _read_stdin(settings)
            continue
        assert isinstance(path, Path)
        try:
            data = _load(path, settings)
            yield from _dispatch(path, data, settings)
        except InputError as exc:
            yield Skipped(source=str(path), reason=str(exc))


def _load(path: Path, settings: Settings) -> bytes:
    if not path.exists():
        raise InputError("no such file")
    if not path.is_file():
        raise InputError("not a regular file")
    size = path.stat().st_size
    if size > settings.max_file_bytes:
        raise InputError(f"too large ({size} bytes, limit {settings.max_file_bytes})")
    if size == 0:
        raise InputError("empty file")
    try:
        data = path.read_bytes()
    except PermissionError as exc:
        raise InputError("permission denied") from exc
    except OSError as exc:
        raise InputError(f"unreadable ({exc.strerror or exc})") from exc
    if path.suffix.lower() == ".gz" and kind_suffix(path) not in WARC_SUFFIXES:
        data = _gunzip(data, settings.max_file_bytes)
    return data


def _gunzip(data: bytes, limit: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            out = fh.read(limit + 1)
    except (OSError, EOFError) as exc:
        raise InputError(f"broken gzip data ({exc})") from exc
    if len(out) > limit:
        raise InputError(f"too large once decompressed (over {limit} bytes)")
    return out


def _dispatch(path: Path, data: bytes, settings: Settings) -> Iterator[RawDocument | Skipped]:
    suffix = kind_suffix(path)
    source = str(path)
    if suffix in WARC_SUFFIXES:
        yield from read_warc(source, data, settings)
        return
    text = decode_bytes(data)
    if suffix in HTML_SUFFIXES:
        yield RawDocument(source=source, kind="html", content=text)
    elif suffix in JSON_SUFFIXES:
        yield from read_json(source, text, settings)
    elif suffix in JSONL_SUFFIXES:
        yield from read_jsonl(source, text, settings)
    elif suffix in FEED_SUFFIXES:
        yield from read_feed(source, text)
    else:
        yield RawDocument(source=source, kind=sniff_kind(text), content=text)


def sniff_kind(text: str) -> Literal["text", "html"]:
    """Plain text unless it plainly is an HTML page."""
    head = text.lstrip()[:1000].lower()
    if head.startswith(("<!doctype html", "<html")) or "<body" in head:
        return "html"
    return "text"


def _read_stdin(settings: Settings) -> Iterator[RawDocument | Skipped]:
    data = sys.stdin.buffer.read(settings.max_file_bytes + 1)
    try:
        if len(data) > settings.max_file_bytes:
            raise InputError(f"too large (over {settings.max_file_bytes} bytes)")
        text = decode_bytes(data)
    except InputError as exc:
        yield Skipped(source="<stdin>", reason=str(exc))
        return
    yield RawDocument(source="<stdin>", kind=sniff_kind(text), content=text)
