"""Publication time from the text of a page: explicit date lines first, inference last."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache, lru_cache

from dateparser.date import DateDataParser

from ..calendar_words import MONTHS, WEEKDAYS

_ISO = re.compile(
    r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(Z|[+-]\d{2}:?\d{2})?"
)
_DMY = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
_YMD_DOTS = re.compile(r"\b(\d{4})[./](\d{1,2})[./](\d{1,2})\b")
_TIME = re.compile(r"\b([01]?\d|2[0-3])[:h.]([0-5]\d)(?::([0-5]\d))?\b")
_OFFSET = re.compile(r"(?:UTC|GMT)\s*([+-−])\s*(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)
_YEAR = re.compile(r"\b(19[7-9]\d|20\d\d)\b")
_WEEKDAY_DATE = re.compile(
    r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+(?:the\s+)?"
    r"(?:(\d{1,2})(?:st|nd|rd|th)?\s+(January|February|March|April|May|June|July|August|"
    r"September|October|November|December)|(January|February|March|April|May|June|July|"
    r"August|September|October|November|December)\s+(\d{1,2})(?:st|nd|rd|th)?)\b"
)


_STAMP_LABEL = re.compile(
    r"^\W*(?:published|updated|last updated|posted|modified|date|veröffentlicht|aktualisiert|"
    r"publié|mis à jour|publicado|actualizado|pubblicato|aggiornato|опубликовано|обновлено)\b"
    r"(?:\s+(?:on|at|am|le|el|il)\b)?\s*:?\s*",
    re.IGNORECASE,
)


def _offset(line: str) -> timezone | None:
    match = _OFFSET.search(line)
    if not match:
        return None
    sign = -1 if match.group(1) in "-−" else 1
    minutes = int(match.group(2)) * 60 + int(match.group(3) or 0)
    if minutes > 14 * 60:
        return None
    return timezone(sign * timedelta(minutes=minutes))


def _iso_offset(text: str | None) -> timezone | None:
    if not text:
        return None
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0)))


@lru_cache(maxsize=1 << 14)
def parse_date_line(line: str) -> tuple[datetime, bool] | None:
    """A date (and time, and zone) stated in one short line, with whether its zone was given.

    Accepts ISO forms, day.month.year with a time anywhere on the line, and written dates in any
    language dateparser knows ("12 January 2022 18:09 (UTC +04:00)").
    """
    if len(line) > 120:
        return None
    # "Published: 10:48, Tue, Nov 19, 2019 | Updated: 11:05 …": the first stamp, label dropped
    line = _STAMP_LABEL.sub("", line.split("|")[0])
    if not _YEAR.search(line):
        return None
    tz = _offset(line)
    iso = _ISO.search(line)
    found: datetime | None = None
    if iso:
        y, m, d, hh, mm, ss, off = iso.groups()
        try:
            found = datetime(int(y), int(m), int(d), int(hh or 0), int(mm or 0), int(ss or 0))
        except ValueError:
            return None
        tz = _iso_offset(off) or tz
        if hh is None:
            found = _with_time(found, line.replace(iso.group(0), " "))
    else:
        numeric = _DMY.search(line) or _YMD_DOTS.search(line)
        if numeric:
            parts = [int(p) for p in numeric.groups()]
            y, m, d = (parts[2], parts[1], parts[0]) if numeric.re is _DMY else parts
            try:
                found = _with_time(datetime(y, m, d), line.replace(numeric.group(0), " "))
            except ValueError:
                return None
        else:
            found = _written_date(line)
    if found is None:
        return None
    if tz is not None:
        return found.replace(tzinfo=tz), True
    return found.replace(tzinfo=UTC), False


def _with_time(day: datetime, rest: str) -> datetime:
    match = _TIME.search(rest)
    if not match:
        return day
    return day.replace(
        hour=int(match.group(1)), minute=int(match.group(2)), second=int(match.group(3) or 0)
    )


_LETTERS = re.compile(r"[^\W\d_]+")
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b")


@cache
def _month_languages() -> dict[str, tuple[str, ...]]:
    """Every letter run of every month name dateparser knows, in all its languages ("nov",
    "janvier", "월", "сар"), with the languages that use it: a written date holds one of
    them, and dateparser need only try those languages (it is several times slower trying
    all of them)."""
    from dateparser.languages.loader import default_loader

    table: dict[str, set[str]] = {}
    for locale in default_loader.get_locales():
        for month in MONTHS:
            for name in locale.info.get(month, []):
                for run in _LETTERS.findall(name.lower()):
                    table.setdefault(run, set()).add(locale.shortname)
    return {run: tuple(sorted(languages)) for run, languages in table.items()}


def _date_languages(line: str) -> list[str] | None:
    """The languages whose month names occur in `line` (["en"] for a numeric date), or None
    when it cannot hold a written date."""
    months = _month_languages()
    found = {language for run in _LETTERS.findall(line.lower()) for language in months.get(run, ())}
    if found:
        return sorted(found)
    return ["en"] if _NUMERIC_DATE.search(line) else None


def _written_date(line: str) -> datetime | None:
    cleaned = _OFFSET.sub(" ", line)
    cleaned = re.sub(r"[()\[\]#|•·]", " ", cleaned).strip()
    if len(cleaned.split()) > 8:
        return None
    languages = _date_languages(cleaned)
    if languages is None:
        return None
    return _parser(tuple(languages)).get_date_data(cleaned).date_obj


@lru_cache(maxsize=512)
def _parser(languages: tuple[str, ...]) -> DateDataParser:
    """One parser per set of languages (dateparser builds its language tables per parser)."""
    return DateDataParser(
        languages=list(languages),
        settings={
            "REQUIRE_PARTS": ["day", "month", "year"],
            "RETURN_AS_TIMEZONE_AWARE": False,
            "PREFER_DAY_OF_MONTH": "first",
            "RELATIVE_BASE": datetime(2000, 1, 1),
        },
    )


def infer_date(text: str) -> date | None:
    """A date for an undated article from a weekday named with its date ("Monday, January 10").

    The year is the first one, not before any year the text mentions, in which that date falls
    on that weekday. Marked as inferred by the caller; precision is the day.
    """
    match = _WEEKDAY_DATE.search(text)
    if not match:
        return None
    weekday = WEEKDAYS.index(match.group(1).lower())
    month_name = match.group(3) or match.group(4)
    day = int(match.group(2) or match.group(5))
    month = MONTHS.index(month_name.lower()) + 1
    years = [int(y) for y in _YEAR.findall(text)]
    start = max(years) if years else 2000
    for year in range(start, start + 12):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate.weekday() == weekday:
            return candidate
    return None
