"""WARC archives: every HTML response record becomes one document."""

from __future__ import annotations

import io
from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..config import Settings
from ..model import RawDocument, Skipped
from .decode import InputError, decode_bytes


def read_warc(source: str, data: bytes, settings: Settings) -> Iterator[RawDocument | Skipped]:
    found = 0
    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            ctype = (record.http_headers.get_header("Content-Type") or "").lower()
            if "html" not in ctype:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            where = f"{source}#{url}"
            found += 1
            try:
                text = decode_bytes(record.content_stream().read(settings.max_file_bytes))
            except InputError as exc:
                yield Skipped(source=where, reason=str(exc))
                continue
            yield RawDocument(
                source=where,
                kind="html",
                content=text,
                url=url,
            )
    except ArchiveLoadFailed as exc:
        raise InputError(f"not a readable WARC archive ({exc})") from exc
    if found == 0:
        raise InputError("WARC archive holds no HTML responses")
