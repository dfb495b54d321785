"""Timeline: time expressions resolved against each article's publication time, and the dated
events of a story merged across articles.

Handled: full dates ("12 January 2022", "January 10, 2022", "2022-01-12"), day and month without
a year ("on January 12", "13 January", "December 17": the year that puts the date nearest the
publication), weekdays ("on Monday", "Saturday evening": the nearest such day, before the
publication unless the sentence speaks of the future), relative days ("today", "yesterday",
"tomorrow", "the day before", "two days later": from the last date the article mentioned, else
from the publication), months ("in March 2021") and years ("in 2014", "the end of 2019").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from ..calendar_words import MONTHS, WEEKDAYS
from ..model import Article, Citation, Event
from .alignment import CLAIM_SIMILARITY
from .lowering import lowered
from .seeds import SeedIndex, dot
from .statements import STORY_CACHE, sentence_refs

_ABBREVIATIONS = {"sept": 9}
MONTH_NUMBERS = (
    {name: i for i, name in enumerate(MONTHS, start=1)}
    | {name[:3]: i for i, name in enumerate(MONTHS, start=1)}
    | _ABBREVIATIONS
)
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "a": 1}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})\b")),
    (
        "dmy",
        re.compile(
            rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(?P<year>\d{{4}}))?\b",
        ),
    ),
    (
        "mdy",
        re.compile(
            rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{{4}}))?"
        ),
    ),
    ("my", re.compile(rf"\b(?:in|since|until|by)\s+{_MONTH}\s+(?P<year>\d{{4}})\b")),
    (
        "weekday",
        re.compile(r"\b(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"),
    ),
    (
        "relative",
        re.compile(
            r"\b(?P<rel>today|yesterday|tomorrow|the day before|the previous day|the next day|"
            r"the following day|(?P<n>\d+|one|two|three|four|five|six|seven|a) days? "
            r"(?P<dir>later|earlier|ago|before|after))\b",
        ),
    ),
    (
        "year",
        re.compile(
            r"\b(?:in|since|of|until|by|from)\s+"
            r"(?:the\s+(?:end|start|beginning|middle)\s+of\s+)?(?P<year>(?:19|20)\d{2})\b",
        ),
    ),
]
_NEXT = re.compile(
    r"\b(?:next|coming|following)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
)
# Every pattern above needs a digit (a month's name comes with a day or a year), or "day" (the
# weekdays, "today", "yesterday", "two days later") or "tomorrow": a sentence with none of them
# (most) is passed over at the cost of a search for a digit and two for words in the lowered
# sentence (a search of an alternation of names costs several times as much).
_DIGIT = re.compile(r"\d")


def _may_name_a_time(sentence: str) -> bool:
    return "day" in sentence or "tomorrow" in sentence or _DIGIT.search(sentence) is not None


_DAY_PRECISION = {"iso", "dmy", "mdy", "weekday", "relative"}


@dataclass
class TimeMention:
    start: int
    end: int
    value: date
    precision: str  # day, month, year
    explicit: bool  # written out (a date), not worked out from a weekday or "two days later"
    anchor: bool = False  # a weekday: later relative days may count from it


def _nearest_year(month: int, day: int, anchor: date) -> date | None:
    best = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if best is None or abs((candidate - anchor).days) < abs((best - anchor).days):
            best = candidate
    return best


def resolve_mentions(
    text: str, start: int, end: int, published: date | None, last: date | None
) -> list[TimeMention]:
    """Time expressions of one sentence, resolved; `last` is the article's previous date."""
    sentence = lowered(text[start:end])
    if not _may_name_a_time(sentence):
        return []
    found: list[TimeMention] = []
    taken: list[tuple[int, int]] = []
    future = bool(_NEXT.search(sentence))
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(sentence):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            value, precision = _resolve(kind, match, published, last, future)
            if value is None:
                continue
            taken.append((match.start(), match.end()))
            explicit = kind not in ("weekday", "relative")
            found.append(
                TimeMention(
                    start + match.start(),
                    start + match.end(),
                    value,
                    precision,
                    explicit,
                    anchor=kind == "weekday",
                )
            )
    found.sort(key=lambda m: m.start)
    return found


def _resolve(
    kind: str, match: re.Match[str], published: date | None, last: date | None, future: bool
) -> tuple[date | None, str]:
    groups = match.groupdict()  # of the lowered sentence: its words are lower case already
    anchor = last or published
    try:
        if kind == "iso":
            return date(int(groups["year"]), int(groups["mnum"]), int(groups["day"])), "day"
        if kind in ("dmy", "mdy"):
            month, day = MONTH_NUMBERS[groups["month"]], int(groups["day"])
            if groups.get("year"):
                return date(int(groups["year"]), month, day), "day"
            return (_nearest_year(month, day, published), "day") if published else (None, "")
        if kind == "my":
            return date(int(groups["year"]), MONTH_NUMBERS[groups["month"]], 1), "month"
        if kind == "year":
            return date(int(groups["year"]), 1, 1), "year"
    except ValueError:
        return None, ""
    if kind == "weekday" and published:
        # the nearest such day on or before publication; "next Monday" looks ahead
        target = WEEKDAYS.index(groups["weekday"])
        delta = (published.weekday() - target) % 7
        value = published - timedelta(days=delta)
        if future and delta:
            value += timedelta(days=7)
        return value, "day"
    if kind == "relative" and anchor:
        rel = groups["rel"]
        if rel == "today":
            return published, "day"
        if rel == "yesterday" and published:
            return published - timedelta(days=1), "day"
        if rel == "tomorrow" and published:
            return published + timedelta(days=1), "day"
        if rel in ("the day before", "the previous day"):
            return anchor - timedelta(days=1), "day"
        if rel in ("the next day", "the following day"):
            return anchor + timedelta(days=1), "day"
        n = groups.get("n")
        if n:
            days = int(n) if n.isdigit() else NUMBERS[n]
            sign = 1 if groups["dir"] in ("later", "after") else -1
            base = published if groups["dir"] == "ago" else anchor
            return (base + timedelta(days=sign * days) if base else None), "day"
    return None, ""


_TODAY_WEEKDAY = re.compile(
    r"\btoday\s*\((monday|tuesday|wednesday|thursday|friday|saturday|sunday)\)"
    r"|\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s*\(today\)"
)  # read in the lowered text, as the patterns above


def reference_date(article: Article, fallback: date | None) -> date | None:
    """The day an article speaks from: its publication, else the weekday it calls "today"
    nearest before the story's typical date, else that date."""
    if article.published_at:
        return article.published_at.date()
    match = _TODAY_WEEKDAY.search(lowered(article.text))
    if match and fallback:
        target = WEEKDAYS.index(match.group(1) or match.group(2))
        return fallback - timedelta(days=(fallback.weekday() - target) % 7)
    return fallback


def article_mentions(
    article: Article, fallback: date | None = None
) -> list[tuple[int, int, list[TimeMention]]]:
    """(sentence start, end, mentions) for every sentence that mentions a time (shared: read
    them, do not change them)."""
    spans = tuple((span.start, span.end) for span in article.sentences)
    return _mentions(article.text, spans, reference_date(article, fallback))


@lru_cache(maxsize=STORY_CACHE)
def _mentions(
    text: str, spans: tuple[tuple[int, int], ...], published: date | None
) -> list[tuple[int, int, list[TimeMention]]]:
    """Computed once per article and reference day: the timeline, the conflicts and the
    summary all ask."""
    out = []
    last: date | None = None
    for start, end in spans:
        mentions = resolve_mentions(text, start, end, published, last)
        # "the day before" / "two days later" count from the last date the text named, not
        # from another worked-out one
        days = [m.value for m in mentions if m.precision == "day" and (m.explicit or m.anchor)]
        if days:
            last = days[-1]
        if mentions:
            out.append((start, end, mentions))
    return out


def iso(value: date, precision: str) -> str:
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def story_timeline(articles: Sequence[Article]) -> list[Event]:
    """Dated events of the story: one per date and statement, citing every article that has
    it. A mention joins the first event of its date whose first sentence is like its own."""
    fallback = middle_day(articles)
    events: list[Event] = []
    seeds: list[dict[str, float]] = []
    cited: list[set[tuple[str, int, int]]] = []
    by_date: dict[tuple[str, str], SeedIndex] = {}
    for article in articles:
        refs = {(r.start, r.end): r.vector for r in sentence_refs(article)}
        for start, end, mentions in article_mentions(article, fallback):
            vector = refs.get((start, end), {})
            for mention in mentions:
                key = iso(mention.value, mention.precision)
                index = by_date.setdefault((key, mention.precision), SeedIndex())
                products, exact_from = index.scores(vector)
                target = next(
                    (
                        e
                        for e, value in sorted(products.items())
                        # where the postings' sum is exact it is the cosine itself
                        if (
                            value >= CLAIM_SIMILARITY
                            if e >= exact_from
                            else value >= CLAIM_SIMILARITY - 1e-9 and _similar(vector, seeds[e])
                        )
                    ),
                    None,
                )
                if target is None:
                    target = len(events)
                    events.append(
                        Event(
                            date=key,
                            precision=mention.precision,
                            description=article.text[start:end],
                        )
                    )
                    seeds.append(dict(vector))
                    cited.append(set())
                    index.add(target, vector)
                if (article.id, start, end) not in cited[target]:
                    cited[target].add((article.id, start, end))
                    events[target].citations.append(
                        Citation(article_id=article.id, start=start, end=end)
                    )
    events.sort(key=lambda e: (e.date, -len(e.citations), e.description))
    return events


def _similar(a: dict[str, float], b: dict[str, float]) -> bool:
    if not a or not b:
        return False
    return dot(a, b) >= CLAIM_SIMILARITY


def middle_day(articles: Sequence[Article]) -> date | None:
    """The story's middle publication day: what an article without a date of its own is read
    against."""
    dated = sorted(a.published_at for a in articles if a.published_at)
    return dated[len(dated) // 2].date() if dated else None
