"""A story as grouping holds it: the sums of its articles' term vectors and embeddings, its
time span, languages and join scores, and the time decay between it and an article or another
story. `cluster` places articles into these."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from ..vectors import SparseVector

POSTED_TERMS = 50  # a story is found by the strongest terms of its centroid
CENTROID_TERMS = 400  # a story's centroid keeps its strongest terms only
SECONDS_PER_DAY = 86400.0


@dataclass
class StoryState:
    """A story being built: its size, centroid and time span.

    `active` is when an article last joined it (its publication time, or for an undated one
    the newest publication time seen then): what decides when the story leaves memory."""

    id: str
    size: int = 0
    centroid: SparseVector | None = field(default_factory=SparseVector.empty)  # None: not read
    norm2: float = 0.0
    dense: np.ndarray | None = None  # sum of unit embeddings
    first: datetime | None = None
    last: datetime | None = None
    active: float = 0.0
    posted: tuple[int, ...] = ()  # the terms it is posted under
    languages: frozenset[str] = frozenset()  # of its articles
    join_sum: float = 0.0  # the scores its articles joined it with (not its first, not copies)
    joins: int = 0

    def add(
        self,
        moment: datetime | None,
        vector: SparseVector,
        dense: np.ndarray | None,
        now: float,
        language: str | None = None,
    ) -> None:
        languages = frozenset() if language is None else frozenset({language})
        self._grow(vector, dense, 1, languages, moment, moment, now)

    def absorb(self, other: StoryState) -> None:
        """Take in another story's articles (their sums, span, languages and join scores)."""
        assert other.centroid is not None
        self._grow(
            other.centroid,
            other.dense,
            other.size,
            other.languages,
            other.first,
            other.last,
            other.active,
        )
        self.join_sum += other.join_sum
        self.joins += other.joins

    def _grow(
        self,
        vector: SparseVector,
        dense: np.ndarray | None,
        size: int,
        languages: frozenset[str],
        first: datetime | None,
        last: datetime | None,
        active: float,
    ) -> None:
        """Add the sums of `size` articles: their term vectors, embeddings, span and languages."""
        assert self.centroid is not None
        centroid = self.centroid.plus(vector) if len(self.centroid) else vector
        if len(centroid) > 2 * CENTROID_TERMS:
            centroid = centroid.strongest(CENTROID_TERMS)
        self.centroid = centroid
        self.norm2 = centroid.norm2()
        if dense is not None:
            self.dense = dense.copy() if self.dense is None else self.dense + dense
        self.size += size
        if not languages <= self.languages:
            self.languages = self.languages | languages
        if first is not None:
            self.first = first if self.first is None or first < self.first else self.first
        if last is not None:
            self.last = last if self.last is None or last > self.last else self.last
        self.active = max(self.active, active)

    def term_similarity(self, vector: SparseVector) -> float:
        """The article's mean cosine with the story's articles (the centroid is their sum),
        as average-link clustering compares: unlike the cosine to the centroid, it does not
        grow as a story spreads over more kinds of article, so a loose story does not pull
        in ever more."""
        if self.size <= 0 or self.centroid is None:
            return 0.0
        return self.centroid.dot(vector) / self.size

    def joined(self, score: float) -> None:
        self.join_sum += score
        self.joins += 1

    def dense_cosine(self, dense: np.ndarray | None) -> float | None:
        if dense is None or self.dense is None:
            return None
        norm = float(np.linalg.norm(self.dense))
        return float(dense @ self.dense) / norm if norm > 0 else 0.0

    def top_terms(self, n: int = POSTED_TERMS) -> tuple[int, ...]:
        if self.centroid is None:
            return self.posted
        return tuple(int(t) for t in self.centroid.top_ids(n))


def span_decay(story: StoryState, other: StoryState, half_life_days: float) -> float:
    """1 where two stories' time spans meet, halving every `half_life_days` between them."""
    if story.first is None or story.last is None or other.first is None or other.last is None:
        return 1.0
    gap = max(
        (other.first - story.last).total_seconds(), (story.first - other.last).total_seconds()
    )
    return _halved(max(gap, 0.0), half_life_days)


def time_decay(moment: datetime | None, story: StoryState, half_life_days: float) -> float:
    """1 inside the story's time span, halving every `half_life_days` outside it."""
    if moment is None or story.first is None or story.last is None:
        return 1.0
    if story.first <= moment <= story.last:
        return 1.0
    gap = min(
        abs((moment - story.first).total_seconds()), abs((moment - story.last).total_seconds())
    )
    return _halved(gap, half_life_days)


def _halved(gap_seconds: float, half_life_days: float) -> float:
    """The time decay over a gap: half for every `half_life_days` of it."""
    return float(0.5 ** (gap_seconds / SECONDS_PER_DAY / half_life_days))
