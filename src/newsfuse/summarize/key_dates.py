"""Key dates of a long story: the days that matter most, each with the sentences that best say
what happened that day (a timeline summary; every dated mention stays in `Story.timeline`).

A day counts by how many articles say something happened on it (dates the texts state,
resolved against each article's publication, as the timeline does; articles published later
count double) and how many were published on it. A day's sentences are those that state it,
and the opening sentences of the articles published that day; the ones most like the rest of
that day's sentences are chosen, without repeats, each citing every article that says the same.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..analyze.seeds import dot
from ..analyze.statements import sentence_refs
from ..analyze.timeline import article_mentions, iso, middle_day
from ..index import summed, unit_vector
from ..model import Article, Citation, KeyDate, SummarySentence

LEAD_SENTENCES = 3  # opening sentences of an article that tell what happened on its day
SAME_SAYING = 0.5  # cosine at which another article's sentence says the same (cited too)
MIN_WORDS = 6
RECALLED = 2.0  # weight of a day stated by an article published after it
STORY_WEIGHT = 0.3  # how much a day's sentence is chosen for speaking to the whole story


@dataclass
class DatedSentence:
    article: Article
    start: int
    end: int
    vector: dict[str, float]
    stated: bool  # the sentence names the day (else: a lead of an article published that day)


DateRanking = Callable[[Sequence[Article], dict[str, list[DatedSentence]]], list[str]]


def dated_sentences(articles: Sequence[Article]) -> dict[str, list[DatedSentence]]:
    """Sentences by the day (ISO) they are about."""
    fallback = middle_day(articles)
    by_day: dict[str, list[DatedSentence]] = defaultdict(list)
    for article in articles:
        refs = {(r.start, r.end): r for r in sentence_refs(article, MIN_WORDS)}
        for start, end, mentions in article_mentions(article, fallback):
            ref = refs.get((start, end))
            if ref is None:
                continue
            for day in {iso(m.value, m.precision) for m in mentions if m.precision == "day"}:
                by_day[day].append(DatedSentence(article, start, end, ref.vector, True))
        if article.published_at:
            day = article.published_at.date().isoformat()
            leads = list(refs.values())[:LEAD_SENTENCES]  # in the article's order
            by_day[day] += [DatedSentence(article, r.start, r.end, r.vector, False) for r in leads]
    return by_day


def rank_days(articles: Sequence[Article], by_day: dict[str, list[DatedSentence]]) -> list[str]:
    """Days by the articles that state them plus the articles published on them. An article
    that states a day before its own publication counts `RECALLED` times: a day that later
    reports look back to is one the story turned on, where a day named only in that day's
    news may be a passing detail."""

    def weight(day: str) -> float:
        stating: dict[str, float] = {}
        published: set[str] = set()
        for sentence in by_day[day]:
            article = sentence.article
            if not sentence.stated:
                published.add(article.id)
                continue
            later = (
                article.published_at is not None and article.published_at.date().isoformat() > day
            )
            stating[article.id] = max(stating.get(article.id, 0.0), RECALLED if later else 1.0)
        return sum(stating.values()) + len(published)

    return sorted(by_day, key=lambda day: (-weight(day), day))


def day_summary(
    sentences: list[DatedSentence], per_day: int, story: dict[str, float]
) -> list[SummarySentence]:
    """The sentences most like the rest of the day's and, less, like the whole story's (an
    aside of the day is not what the story remembers of it), without two that say the same."""
    centroid = unit_vector(summed(s.vector for s in sentences))
    ranked = sorted(
        sentences,
        key=lambda s: (
            -(dot(s.vector, centroid) + STORY_WEIGHT * dot(s.vector, story) + 0.1 * s.stated),
            s.article.id,
            s.start,
        ),
    )
    chosen: list[DatedSentence] = []
    for sentence in ranked:
        if len(chosen) == per_day:
            break
        if all(dot(sentence.vector, c.vector) < SAME_SAYING for c in chosen):
            chosen.append(sentence)
    summary = []
    for sentence in chosen:
        saying = {(sentence.article.id, sentence.start): sentence}  # its own wording first
        for other in sentences:
            if dot(other.vector, sentence.vector) >= SAME_SAYING:
                saying.setdefault((other.article.id, other.start), other)
        summary.append(
            SummarySentence(
                text=sentence.article.text[sentence.start : sentence.end],
                citations=[
                    Citation(article_id=s.article.id, start=s.start, end=s.end)
                    for s in saying.values()
                ],
            )
        )
    return summary


def key_dates(
    articles: Sequence[Article],
    days: int,
    per_day: int,
    ranking: DateRanking = rank_days,
) -> list[KeyDate]:
    """The story's `days` key dates in order, each with up to `per_day` sentences."""
    if days <= 0:
        return []
    by_day = dated_sentences(articles)
    chosen = ranking(articles, by_day)[:days]
    story = unit_vector(summed(s.vector for day in by_day.values() for s in day))
    return [
        KeyDate(date=day, sentences=day_summary(by_day.get(day, []), per_day, story))
        for day in sorted(chosen)
    ]


def key_date_budget(
    articles: Sequence[Article], min_span_days: int, per_week: float, most: int
) -> int:
    """How many key dates a story gets: none for a story shorter than `min_span_days`, else
    `per_week` for each week it spans (at least three, at most `most`)."""
    dated = [a.published_at for a in articles if a.published_at]
    if not dated:
        return 0
    span = (max(dated) - min(dated)).days
    if span < min_span_days:
        return 0
    return max(3, min(most, math.ceil(span / 7 * per_week)))
