"""Conflicts: statements that are about the same thing but disagree on a date or a number.

Two sources: aligned claims (the same sentence, reworded) whose dates or numbers differ, and
dated statements about the same place or name whose dates differ ("the Vienna meeting is on 13
January" / "on 14 January"). Each side keeps its value, articles and citations.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date

from ..calendar_words import MONTHS, WEEKDAYS
from ..index import name_key, weighted_terms
from ..model import Article, Citation, Conflict, ConflictValue
from .alignment import ClaimGroup
from .numbers import stated_numbers
from .statements import SentenceRef
from .timeline import article_mentions, iso

_PLACE = re.compile(r"\b(?:in|at|to)\s+([A-ZÀ-ÖØ-Þ][\w-]+(?:\s[A-ZÀ-ÖØ-Þ][\w-]+)?)")
_YEARLIKE = re.compile(r"^(19|20)\d{2}$")
EVENT_SIMILARITY = 0.1


def _numbers(ref: SentenceRef) -> list[tuple[str, str]]:
    """(value, as written) of the sentence's numbers, read in its language; years are dates,
    compared as such."""
    return [
        (value, written)
        for value, written in stated_numbers(ref.text, ref.article.language)
        if not _YEARLIKE.match(value)
    ]


def _dates(ref: SentenceRef, spans: dict[tuple[str, int], list[tuple[int, int, str]]]) -> list[str]:
    return [value for _, _, value in spans.get((ref.article.id, ref.start), [])]


def _mention_index(
    articles: Sequence[Article], fallback: date | None
) -> dict[tuple[str, int], list[tuple[int, int, str]]]:
    """Day-precise dates of each sentence: (start, end, ISO day) by (article id, sentence start)."""
    index: dict[tuple[str, int], list[tuple[int, int, str]]] = {}
    for article in articles:
        dated = article.published_at is not None
        for start, _, found in article_mentions(article, fallback):
            # an undated article's weekdays and "today" were resolved against a guess: only its
            # written-out dates can take a side in a conflict
            index[(article.id, start)] = [
                (m.start, m.end, iso(m.value, m.precision))
                for m in found
                if m.precision == "day" and (dated or m.explicit)
            ]
    return index


def _conflict(
    about: str, sides: dict[str, list[SentenceRef]], shown: dict[str, str] | None = None
) -> Conflict:
    """A conflict between the sides, each shown as `shown` writes its value (as the first of
    its sentences writes it) or as its value."""
    shown = shown or {}
    return Conflict(
        about=about,
        values=[
            ConflictValue(
                value=shown.get(value, value),
                article_ids=sorted({r.article.id for r in refs}),
                citations=[
                    Citation(article_id=r.article.id, start=r.start, end=r.end) for r in refs
                ],
            )
            for value, refs in sorted(sides.items())
        ],
    )


def claim_conflicts(
    groups: Sequence[ClaimGroup], mentions: dict[tuple[str, int], list[tuple[int, int, str]]]
) -> list[Conflict]:
    """Within each aligned claim, sentences that name as many dates (or numbers) as each other,
    in the same order, and disagree on one of them."""
    conflicts = []
    for group in groups:
        if len({m.article.id for m in group.members}) < 2:
            continue
        for kind, extract in (
            ("date", lambda r: [(d, d) for d in _dates(r, mentions)]),
            ("number", _numbers),
        ):
            values = {id(ref): extract(ref) for ref in group.members}
            lengths = Counter(len(v) for v in values.values() if v)
            if not lengths:
                continue
            size = lengths.most_common(1)[0][0]
            comparable = [ref for ref in group.members if len(values[id(ref)]) == size]
            for position in range(size):
                sides: dict[str, list[SentenceRef]] = {}
                shown: dict[str, str] = {}
                for ref in comparable:
                    value, written = values[id(ref)][position]
                    sides.setdefault(value, []).append(ref)
                    shown.setdefault(value, written)
                if len(sides) > 1:
                    about = f"{kind} in: {group.members[0].text[:120]}"
                    conflicts.append(_conflict(about, sides, shown))
    return conflicts


PAIR_DISTANCE = 40  # characters between a place and the date that goes with it


WINDOW_WORDS = 20  # a clause: the words around a place that say what happens there


def _window(ref: SentenceRef, position: int) -> dict[str, float]:
    """Weighted terms of the words around `position` (the clause about the place)."""
    before = ref.article.text[ref.start : position].split()[-WINDOW_WORDS:]
    after = ref.article.text[position : ref.end].split()[: WINDOW_WORDS + 1]
    return weighted_terms(" ".join(before + after), ref.article.language)


def _place_dates(
    ref: SentenceRef, spans: dict[tuple[str, int], list[tuple[int, int, str]]]
) -> list[tuple[str, str, dict[str, float]]]:
    """(place, day, context) of a sentence: each place with the day mentioned nearest to it."""
    days = spans.get((ref.article.id, ref.start), [])
    pairs = []
    for match in _PLACE.finditer(ref.text):
        where = ref.start + match.start(1)
        near = [(min(abs(start - where), abs(end - where)), value) for start, end, value in days]
        near = [n for n in near if n[0] <= PAIR_DISTANCE]
        if near:
            pairs.append((match.group(1), min(near)[1], _window(ref, where)))
    return pairs


def place_date_conflicts(
    articles: Sequence[Article],
    refs: Sequence[SentenceRef],
    spans: dict[tuple[str, int], list[tuple[int, int, str]]],
) -> list[Conflict]:
    """Dated statements about the same place, in similar words, that give different days."""
    by_place: dict[str, list[tuple[str, SentenceRef, dict[str, float]]]] = {}
    for ref in refs:
        for place, day, context in _place_dates(ref, spans):
            by_place.setdefault(place, []).append((day, ref, context))
    conflicts = []
    for place, items in sorted(by_place.items()):
        sides: dict[str, list[SentenceRef]] = {}
        for day, ref, context in items:
            others = [c for d, r, c in items if d != day and r.article.id != ref.article.id]
            # alike in what happens there, not merely in the place and the calendar words
            if any(_event_similarity(context, o, place) >= EVENT_SIMILARITY for o in others):
                sides.setdefault(day, []).append(ref)
        if len(sides) > 1:
            conflicts.append(_conflict(f"date of what happens in {place}", sides))
    return conflicts


def _event_similarity(a: dict[str, float], b: dict[str, float], place: str) -> float:
    ignore = {place.casefold(), name_key(place)} | set(MONTHS) | set(WEEKDAYS)
    ignore |= {name_key(word) for word in MONTHS} | {name_key(word) for word in WEEKDAYS}

    def keep(vector: dict[str, float]) -> dict[str, float]:
        return {t: w for t, w in vector.items() if t not in ignore and not t[0].isdigit()}

    left, right = keep(a), keep(b)
    norm = (sum(w * w for w in left.values()) * sum(w * w for w in right.values())) ** 0.5
    return sum(w * right.get(t, 0.0) for t, w in left.items()) / norm if norm else 0.0


def story_conflicts(
    articles: Sequence[Article],
    groups: Sequence[ClaimGroup],
    refs: Sequence[SentenceRef],
    fallback: date | None,
) -> list[Conflict]:
    mentions = _mention_index(articles, fallback)
    found = claim_conflicts(groups, mentions) + place_date_conflicts(articles, refs, mentions)
    seen: set[tuple[tuple[str, int], ...]] = set()
    unique = []
    for conflict in found:
        key = tuple(sorted((c.article_id, c.start) for v in conflict.values for c in v.citations))
        if key not in seen:
            seen.add(key)
            unique.append(conflict)
    return unique
