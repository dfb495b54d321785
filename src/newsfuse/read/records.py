"""JSON and JSON Lines: one article per record, field names from `Settings.json_fields`.

A JSON Lines file is streamed line by line (lines end at a newline byte only: U+2028 and the
other Unicode line separators are legal inside JSON strings), each line limited to
`max_record_bytes`, so a crawl dump of any size is read in constant memory.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import IO, Any

from ..config import Settings
from ..model import RawDocument, Skipped
from .decode import InputError, decode_bytes

# What newsfuse itself wrote (an earlier run's --out inside the folder it reads) is not news:
# read as articles, a report would become a story of its own in the next report.
OWN_REPORT = "a newsfuse report, not an article (an earlier run's output among the inputs?)"


def is_own_report(data: object) -> bool:
    """Whether parsed JSON is a newsfuse report (`Report`: its generator and its stories)."""
    if not isinstance(data, dict):
        return False
    generator = data.get("generator")
    return isinstance(generator, str) and generator.startswith("newsfuse") and "stories" in data


# JSON may carry lone surrogates ("\ud800"), which no UTF-8 output can hold. They come only
# from escapes, so JSON text without one ("\ud…" or "\uD…") need not be searched for them.
_SURROGATE = re.compile("[\ud800-\udfff]")
# One scan, not two substring searches: a page's JSON holds thousands of backslashes (escaped
# quotes, "\/"), each a false start for a search of "\ud" (half the time of two searches).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD]")


def _may_hold_surrogates(json_text: str) -> bool:
    return _SURROGATE_ESCAPE.search(json_text) is not None


_SKIP_CHUNK = 1 << 20


def read_json(source: str, text: str, settings: Settings) -> Iterator[RawDocument | Skipped]:
    """A JSON file holds one record, a list of records, or an object with a list inside."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON ({exc.msg} at line {exc.lineno})") from exc
    except RecursionError as exc:
        raise InputError("invalid JSON (nested too deeply)") from exc
    if is_own_report(data):
        raise InputError(OWN_REPORT)
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
        records = lists[0] if len(lists) == 1 and not _has_body(data, settings) else [data]
    elif isinstance(data, list):
        records = data
    else:
        raise InputError("JSON holds neither an object nor a list of objects")
    if not records:
        raise InputError("JSON holds no records")
    surrogates = _may_hold_surrogates(text)
    for number, record in enumerate(records, start=1):
        yield record_document(f"{source}#{number}", record, settings, surrogates)


def read_jsonl(
    source: str, stream: IO[bytes], settings: Settings
) -> Iterator[RawDocument | Skipped]:
    """One record per line of `stream` (binary), read as it goes."""
    limit = settings.max_record_bytes
    number = 0
    records = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            if records == 0:
                raise InputError("JSON Lines file holds no records")
            return
        number += 1
        where = f"{source}:{number}"
        if len(line) > limit and not line.endswith(b"\n"):
            _skip_rest_of_line(stream)
            yield Skipped(source=where, reason=f"record too large (over {limit} bytes)")
            continue
        if not line.strip():
            continue
        records += 1
        try:
            text = _decode_line(line, first=number == 1)
            record = json.loads(text)
        except InputError as exc:
            yield Skipped(source=where, reason=str(exc))
            continue
        except json.JSONDecodeError as exc:
            yield Skipped(source=where, reason=f"invalid JSON ({exc.msg})")
            continue
        except RecursionError:
            yield Skipped(source=where, reason="invalid JSON (nested too deeply)")
            continue
        yield record_document(where, record, settings, _may_hold_surrogates(text))


def _skip_rest_of_line(stream: IO[bytes]) -> None:
    while True:
        chunk = stream.readline(_SKIP_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return


def _decode_line(line: bytes, first: bool) -> str:
    """JSON Lines are UTF-8; a line that is not is decoded as well as it can be."""
    try:
        return line.decode("utf-8-sig" if first else "utf-8")
    except UnicodeDecodeError:
        return decode_bytes(line)


def _text(value: str) -> str:
    return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value


def _first(record: dict[str, Any], keys: list[str], surrogates: bool = True) -> str | None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, dict):  # e.g. {"source": {"name": "..."}}
            value = value.get("name") or value.get("title")
        if isinstance(value, str) and value.strip():
            return _text(value) if surrogates else value
    return None


def _has_body(record: dict[str, Any], settings: Settings) -> bool:
    fields = settings.json_fields
    return _first(record, fields.text) is not None or _first(record, fields.html) is not None


def record_document(
    where: str, record: Any, settings: Settings, surrogates: bool = True
) -> RawDocument | Skipped:
    """One record (a JSON object, or a Parquet row with the same fields) as a document.
    `surrogates` False: its strings are known to hold no lone surrogate (a page's HTML is
    long, and searching it costs more than reading its JSON)."""
    if not isinstance(record, dict):
        return Skipped(source=where, reason="record is not a JSON object")
    fields = settings.json_fields

    def first(keys: list[str]) -> str | None:
        return _first(record, keys, surrogates)

    text = first(fields.text)
    html = first(fields.html)
    if text is None and html is None:
        wanted = ", ".join(fields.text + fields.html)
        return Skipped(source=where, reason=f"no article text (looked for: {wanted})")
    return RawDocument(
        source=where,
        kind="text" if text is not None else "html",
        content=text if text is not None else str(html),
        extracted=text is not None,
        url=first(fields.url),
        title=first(fields.title),
        published=first(fields.date),
        outlet=first(fields.outlet),
    )
