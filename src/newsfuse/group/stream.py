"""What the recent stream says about words: how many of the articles in memory have a term
among their strongest. In a stream of same-kind events (crime, sport results, earnings,
weather) the genre's words — police, shot, injured, wounded — are among the strongest terms
of most articles, while a name, a street or an age is among those of a few; weighing terms by
their inverse frequency in the stream lets the few tell events apart, as a batch TF-IDF would,
while indexing stays a pure function of one article."""

from __future__ import annotations

import heapq
import math

import numpy as np

from ..vectors import SparseVector

MIN_ARTICLES = 50  # below this the stream says too little: terms keep their weight
# Names (of people, places, companies) are what links reports of one event, also across
# languages: a name many articles carry is weighed down less than a common word.
NAME_STRENGTH = 0.5


class StreamStatistics:
    """Term -> number of articles in memory with the term among their strongest."""

    def __init__(self) -> None:
        self._frequency: dict[int, int] = {}
        self._articles: list[tuple[float, int, str, np.ndarray]] = []  # a heap by time
        self._count = 0

    def __len__(self) -> int:
        return len(self._articles)

    def add(self, article_id: str, moment: float, terms: np.ndarray) -> None:
        """Count an article's terms (its vector's ids), seen at `moment`."""
        frequency = self._frequency
        for term in terms.tolist():
            frequency[term] = frequency.get(term, 0) + 1
        heapq.heappush(self._articles, (moment, self._count, article_id, terms))
        self._count += 1

    def _uncount(self, terms: np.ndarray) -> None:
        frequency = self._frequency
        for term in terms.tolist():
            frequency[term] -= 1
            if not frequency[term]:
                del frequency[term]

    def forget_before(self, moment: float) -> int:
        dropped = 0
        while self._articles and self._articles[0][0] < moment:
            self._uncount(heapq.heappop(self._articles)[3])
            dropped += 1
        return dropped

    def forget(self, article_ids: set[str]) -> None:
        """Uncount these articles (a batch whose grouping was not saved)."""
        kept = []
        for entry in self._articles:
            if entry[2] in article_ids:
                self._uncount(entry[3])
            else:
                kept.append(entry)
        heapq.heapify(kept)
        self._articles = kept

    def distinctive(self, vector: SparseVector, names: np.ndarray | None = None) -> SparseVector:
        """The vector with each term weighed by its inverse frequency in the stream (scaled
        to 1 for a term no article has; the square root of that for `names`, sorted ids),
        unit length again."""
        total = len(self._articles)
        if total < MIN_ARTICLES or not len(vector):
            return vector
        counts = np.fromiter(
            (self._frequency.get(t, 0) for t in vector.ids.tolist()),
            dtype=np.float64,
            count=len(vector),
        )
        factor = np.log((total + 1.0) / (counts + 1.0)) / math.log(total + 1.0)
        if names is not None and len(names):
            named = np.isin(vector.ids, names, assume_unique=True)
            factor[named] = factor[named] ** NAME_STRENGTH
        weights = vector.weights * factor
        norm = float(np.sqrt(weights @ weights))
        if norm <= 0:
            return vector
        return SparseVector(vector.ids, (weights / norm).astype(np.float32))
