"""WARC archives, streamed: every HTML response record becomes one document.

A record longer than `max_record_bytes` is skipped; a record cut short (its Content-Length
promises more bytes than the archive holds, as in a truncated download) is skipped as
truncated rather than read as an article; so is a damaged gzip member.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..config import Settings
from ..model import RawDocument, Skipped
from .decode import InputError, decode_bytes


class _QuietArchiveIterator(ArchiveIterator):
    """warcio writes a warning to stderr when a record is not followed by the blank lines the
    format requires (a wrong Content-Length); here that is counted, and reported as a skip
    reason, instead of being printed past --quiet."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.misaligned = 0

    def _consume_blanklines(self) -> tuple[bytes | None, int]:
        empty_size = 0
        first_line = True
        while True:
            line = self.reader.readline()
            if len(line) == 0:
                return None, empty_size
            if len(line.rstrip()) == 0 or first_line:
                empty_size += len(line)
                if len(line.rstrip()) != 0:
                    self.misaligned += 1
                first_line = False
                continue
            return line, empty_size


def read_warc(
    source: str, stream: IO[bytes], settings: Settings
) -> Iterator[RawDocument | Skipped]:
    limit = settings.max_record_bytes
    found = 0
    records = _QuietArchiveIterator(stream)
    try:
        for record in records:
            if record.rec_type != "response" or record.http_headers is None:
                continue
            ctype = (record.http_headers.get_header("Content-Type") or "").lower()
            if "html" not in ctype:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            where = f"{source}#{url}"
            found += 1
            try:
                data = record.content_stream().read(limit + 1)
                if len(data) > limit:
                    raise InputError(f"record too large (over {limit} bytes)")
                if record.raw_stream.read(1 << 20) == b"" and record.raw_stream.limit > 0:
                    raise InputError(
                        "record cut short (the archive ends before its Content-Length)"
                    )
                text = decode_bytes(data)
            except InputError as exc:
                yield Skipped(source=where, reason=str(exc))
                continue
            except (EOFError, zlib.error, OSError) as exc:
                yield Skipped(source=where, reason=f"record cut short or damaged ({exc})")
                continue
            yield RawDocument(source=where, kind="html", content=text, url=url)
    except ArchiveLoadFailed as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "unknown format"
        raise InputError(f"not a readable WARC archive ({reason})") from exc
    except (EOFError, zlib.error) as exc:
        raise InputError(f"WARC archive cut short or damaged ({exc})") from exc
    if found == 0:
        if records.misaligned:
            raise InputError(
                "WARC archive holds no HTML responses (and its records are misaligned)"
            )
        raise InputError("WARC archive holds no HTML responses")
