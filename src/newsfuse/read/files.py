"""Find input files, check them, and hand each to the reader for its kind.

Whole-document kinds (text, HTML, one JSON document, feeds) are read whole, up to
`max_file_bytes`. Record files (JSON Lines, WARC; also gzipped) are streamed record by record
whatever their size, each record limited to `max_record_bytes`. Anything that goes wrong with
one input becomes one `Skipped` naming it and the reason; the run goes on.
"""

from __future__ import annotations

import errno
import gzip
import io
import os
import re
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Literal, cast

from ..config import Settings
from ..model import RawDocument, Skipped
from .decode import InputError, decode_bytes
from .feeds import read_feed
from .records import OWN_REPORT, read_json, read_jsonl
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
RECORD_SUFFIXES = JSONL_SUFFIXES | WARC_SUFFIXES
KNOWN_LIST = ".txt .html .json .jsonl .rss/.atom/.xml .warc, also gzipped"

STDIN = "-"
# the generator tag of newsfuse's own HTML reports (publish/templates/report.html.j2), looked
# for in the page's head (after the style sheet: 3.5 KB into a report now)
_OWN_HTML = re.compile(r'<meta name="generator" content="newsfuse[ "]')
_HEAD_CHARS = 65_536


def display_path(path: str | Path) -> str:
    """A path as text that can always be printed and written to JSON: bytes that are not UTF-8
    in a file name show as \\xNN escapes instead of breaking the report."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def kind_suffix(path: Path) -> str:
    """The suffix that decides the reader; ``x.html.gz`` reads as ``.html``."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz" and len(suffixes) > 1:
        return suffixes[-2]
    return suffixes[-1] if suffixes else ""


def _stat_problem(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    if exc.errno == errno.ENOENT:
        return "no such file"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ENAMETOOLONG:
        return "file name too long"
    return f"unreadable ({exc.strerror or exc})"


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path | str | Skipped]:
    """Files named directly, then the known files inside folders, in a stable order; a path
    that cannot be used (missing, a symlink loop, an unreadable or empty folder) as `Skipped`."""
    for item in paths:
        if str(item) == STDIN:
            yield STDIN
            continue
        path = Path(item)
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            reason = _stat_problem(exc)
            if exc.errno == errno.ENOENT and path.is_symlink():
                reason = "broken symlink"
            yield Skipped(source=display_path(path), reason=reason)
            continue
        except ValueError:  # a NUL byte in the name
            yield Skipped(source=display_path(path), reason="not a valid file name")
            continue
        if stat.S_ISDIR(mode):
            yield from _folder(path)
        else:
            yield path


def _folder(root: Path) -> Iterator[Path | Skipped]:
    """The known, visible files under `root` (symlinks followed, loops cut), sorted; folders
    that cannot be read are skipped with their reason, and so is a folder with nothing to read."""
    found: list[Path] = []
    problems: list[Skipped] = []

    def unreadable(exc: OSError) -> None:
        where = exc.filename if exc.filename is not None else root
        problems.append(Skipped(source=display_path(where), reason=_stat_problem(exc)))

    seen: set[tuple[int, int]] = set()
    for folder, subfolders, files in os.walk(root, onerror=unreadable, followlinks=True):
        try:
            info = os.stat(folder)
        except OSError as exc:
            unreadable(exc)
            subfolders[:] = []
            continue
        if (info.st_dev, info.st_ino) in seen:  # a symlink back up the tree
            problems.append(Skipped(source=display_path(folder), reason="symlink loop"))
            subfolders[:] = []
            continue
        seen.add((info.st_dev, info.st_ino))
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in files:
            child = Path(folder) / name
            if not name.startswith(".") and kind_suffix(child) in KNOWN_SUFFIXES:
                found.append(child)
    found.sort()
    yield from found
    yield from problems
    if not found and not problems:
        yield Skipped(source=display_path(root), reason=f"no input files in it ({KNOWN_LIST})")


def read_paths(paths: Iterable[str | Path], settings: Settings) -> Iterator[RawDocument | Skipped]:
    """Yield every document in `paths`; each unusable input becomes one `Skipped`."""
    for path in expand_paths(paths):
        if isinstance(path, Skipped):
            yield path
            continue
        if path == STDIN:
            yield from _read_stdin(settings)
            continue
        assert isinstance(path, Path)
        source = display_path(path)
        try:
            yield from _read_file(path, source, settings)
        except InputError as exc:
            yield Skipped(source=source, reason=str(exc))
        except RecursionError:
            yield Skipped(source=source, reason="nested too deeply to read")
        except MemoryError:
            yield Skipped(source=source, reason="too large to hold in memory")
        except Exception as exc:  # one input's surprise must not end the run
            yield Skipped(source=source, reason=f"could not be read ({type(exc).__name__}: {exc})")


def _read_file(path: Path, source: str, settings: Settings) -> Iterator[RawDocument | Skipped]:
    suffix = kind_suffix(path)
    gzipped = path.suffix.lower() == ".gz"
    try:
        info = path.stat()
    except OSError as exc:
        raise InputError(_stat_problem(exc)) from exc
    if not stat.S_ISREG(info.st_mode):
        raise InputError("not a regular file")
    if info.st_size == 0:
        raise InputError("empty file")
    if suffix in RECORD_SUFFIXES:
        with _open(path) as raw:
            yield from _read_records(source, suffix, gzipped, raw, settings)
        return
    if info.st_size > settings.max_file_bytes:
        raise InputError(f"too large ({info.st_size} bytes, limit {settings.max_file_bytes})")
    with _open(path) as raw:
        data = raw.read(settings.max_file_bytes + 1)
    yield from _read_whole(source, suffix, gzipped, data, settings)


def read_data(
    name: str, source: str, data: bytes, settings: Settings
) -> Iterator[RawDocument | Skipped]:
    """The documents in one file's bytes (a file Spark read from any file system): the same
    readers and the same reasons as for a local file."""
    suffix = kind_suffix(Path(name))
    gzipped = name.lower().endswith(".gz")
    try:
        if not data:
            raise InputError("empty file")
        if suffix in RECORD_SUFFIXES:
            yield from _read_records(source, suffix, gzipped, io.BytesIO(data), settings)
        else:
            yield from _read_whole(source, suffix, gzipped, data, settings)
    except InputError as exc:
        yield Skipped(source=source, reason=str(exc))


def _read_records(
    source: str, suffix: str, gzipped: bool, raw: IO[bytes], settings: Settings
) -> Iterator[RawDocument | Skipped]:
    # WARC readers undo gzip themselves, record by record
    unzip = gzipped and suffix not in WARC_SUFFIXES
    stream = cast(IO[bytes], gzip.GzipFile(fileobj=raw)) if unzip else raw
    if suffix in WARC_SUFFIXES:
        yield from read_warc(source, stream, settings)
    else:
        yield from _gzip_errors(read_jsonl(source, stream, settings))


def _read_whole(
    source: str, suffix: str, gzipped: bool, data: bytes, settings: Settings
) -> Iterator[RawDocument | Skipped]:
    if len(data) > settings.max_file_bytes:  # it grew since we looked
        raise InputError(f"too large (over {settings.max_file_bytes} bytes)")
    if gzipped:
        data = _gunzip(data, settings.max_file_bytes)
    yield from _dispatch(source, suffix, data, settings)


def _open(path: Path) -> IO[bytes]:
    try:
        return path.open("rb")
    except OSError as exc:
        raise InputError(_stat_problem(exc)) from exc


def _gzip_errors(records: Iterator[RawDocument | Skipped]) -> Iterator[RawDocument | Skipped]:
    """A gzipped record file cut short or corrupt: the records read so far stand, then the
    reason."""
    try:
        yield from records
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise InputError(f"broken or truncated gzip data after the records above ({exc})") from exc


def _gunzip(data: bytes, limit: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            out = fh.read(limit + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"broken or truncated gzip data ({exc})") from exc
    if len(out) > limit:
        raise InputError(f"too large once decompressed (over {limit} bytes)")
    return out


def _dispatch(
    source: str, suffix: str, data: bytes, settings: Settings
) -> Iterator[RawDocument | Skipped]:
    text = decode_bytes(data)
    if suffix in HTML_SUFFIXES:
        if _OWN_HTML.search(text, 0, _HEAD_CHARS):
            raise InputError(OWN_REPORT)
        yield RawDocument(source=source, kind="html", content=text)
    elif suffix in JSON_SUFFIXES:
        yield from read_json(source, text, settings)
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
