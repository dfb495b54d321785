"""JSON and JSON Lines: one article per record, field names from `Settings.json_fields`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..config import Settings
from ..model import RawDocument, Skipped
from .decode import InputError


def read_json(source: str, text: str, settings: Settings) -> Iterator[RawDocument | Skipped]:
    """A JSON file holds one record, a list of records, or an object with a list inside."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON ({exc.msg} at line {exc.lineno})") from exc
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
        records = lists[0] if len(lists) == 1 and not _has_body(data, settings) else [data]
    elif isinstance(data, list):
        records = data
    else:
        raise InputError("JSON holds neither an object nor a list of objects")
    for number, record in enumerate(records, start=1):
        yield _record(f"{source}#{number}", record, settings)


def read_jsonl(source: str, text: str, settings: Settings) -> Iterator[RawDocument | Skipped]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skipped(source=where, reason=f"invalid JSON ({exc.msg})")
            continue
        yield _record(where, record, settings)


def _first(record: dict[str, Any], keys: list[str]) -> str | None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, dict):  # e.g. {"source": {"name": "..."}}
            name = value.get("name") or value.get("title")
            if isinstance(name, str) and name.strip():
                return name
    return None


def _has_body(record: dict[str, Any], settings: Settings) -> bool:
    fields = settings.json_fields
    return _first(record, fields.text) is not None or _first(record, fields.html) is not None


def _record(where: str, record: Any, settings: Settings) -> RawDocument | Skipped:
    if not isinstance(record, dict):
        return Skipped(source=where, reason="record is not a JSON object")
    fields = settings.json_fields
    text = _first(record, fields.text)
    html = _first(record, fields.html)
    if text is None and html is None:
        wanted = ", ".join(fields.text + fields.html)
        return Skipped(source=where, reason=f"no article text (looked for: {wanted})")
    return RawDocument(
        source=where,
        kind="text" if text is not None else "html",
        content=text if text is not None else str(html),
        url=_first(record, fields.url),
        title=_first(record, fields.title),
        published=_first(record, fields.date),
        outlet=_first(record, fields.outlet),
    )
