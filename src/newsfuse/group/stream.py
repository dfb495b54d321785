"""What the recent stream says about words: how many of the articles in memory have a term
among their strongest. In a stream of same-kind events (crime, sport results, earnings,
weather) the genre's words — police, shot, injured, wounded — are among the strongest terms
of most articles, while a name, a street or an age is among those of a few; weighing terms by
their inverse frequency in the stream lets the few tell events apart, as a batch TF-IDF would,
while indexing stays a pure function of one article.

An outlet's own template is counted apart: a word in most of one outlet's recent articles
("Anyone with information is asked to call …", a newsletter line, the fixed sentence of an
automated crime or results report) says which outlet wrote it, not what happened, and weighs
nothing in that outlet's articles however rare it is elsewhere."""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence

import numpy as np

from ..vectors import SparseVector

MIN_ARTICLES = 50  # below this the stream says too little: terms keep their weight
# How far the stream's inverse frequency bends the background weights (an exponent: 1 is a
# plain stream IDF). Below 1 a topic many articles share keeps part of its weight: a stream
# that is all one topic (a feed on one company) still tells its stories apart by it.
STREAM_STRENGTH = 0.7
# Names (of people, places, companies) are what links reports of one event, also across
# languages: a name many articles carry is weighed down less than a common word.
NAME_STRENGTH = 0.5
OUTLET_MIN_ARTICLES = 10  # an outlet's template is judged once it has this many in memory


class _Counts:
    """Term -> number of articles that have it, over some articles."""

    def __init__(self) -> None:
        self.articles = 0
        self.terms: dict[int, int] = {}

    def add(self, terms: list[int]) -> None:
        counts = self.terms
        for term in terms:
            counts[term] = counts.get(term, 0) + 1
        self.articles += 1

    def add_many(self, terms: Sequence[np.ndarray]) -> None:
        """Count many articles' terms (each unique within its article) at once: one dict
        update per distinct term, not per term of every article (a window read back from
        the store holds tens of thousands of articles)."""
        if not terms:
            return
        ids, counts = np.unique(np.concatenate(terms), return_counts=True)
        found = self.terms
        for term, n in zip(ids.tolist(), counts.tolist(), strict=True):
            found[term] = found.get(term, 0) + n
        self.articles += len(terms)

    def remove(self, terms: list[int]) -> None:
        counts = self.terms
        for term in terms:
            counts[term] -= 1
            if not counts[term]:
                del counts[term]
        self.articles -= 1

    def of(self, ids: np.ndarray) -> np.ndarray:
        counts = self.terms
        return np.fromiter((counts.get(t, 0) for t in ids.tolist()), np.float64, len(ids))


class StreamStatistics:
    """Term -> number of articles in memory with the term, in the whole stream and per
    outlet."""

    def __init__(self) -> None:
        self._stream = _Counts()
        self._outlets: dict[str, _Counts] = {}
        # a heap by time: (moment, order, article id, outlet, term ids)
        self._articles: list[tuple[float, int, str, str | None, np.ndarray]] = []
        self._count = 0

    def __len__(self) -> int:
        return len(self._articles)

    def add(
        self, article_id: str, moment: float, terms: np.ndarray, outlet: str | None = None
    ) -> None:
        """Count an article's terms (its vector's ids), seen at `moment`."""
        ids = terms.tolist()
        self._stream.add(ids)
        if outlet is not None:
            self._outlets.setdefault(outlet, _Counts()).add(ids)
        heapq.heappush(self._articles, (moment, self._count, article_id, outlet, terms))
        self._count += 1

    def add_many(
        self,
        article_ids: Sequence[str],
        moments: Sequence[float],
        terms: Sequence[np.ndarray],
        outlets: Sequence[str | None],
    ) -> None:
        """`add` for many articles at once, as counted one by one."""
        self._stream.add_many(terms)
        by_outlet: dict[str, list[np.ndarray]] = {}
        for outlet, ids in zip(outlets, terms, strict=True):
            if outlet is not None:
                by_outlet.setdefault(outlet, []).append(ids)
        for outlet, items in by_outlet.items():
            self._outlets.setdefault(outlet, _Counts()).add_many(items)
        start = self._count
        self._articles.extend(
            (moment, start + k, article_id, outlet, ids)
            for k, (article_id, moment, ids, outlet) in enumerate(
                zip(article_ids, moments, terms, outlets, strict=True)
            )
        )
        heapq.heapify(self._articles)
        self._count += len(article_ids)

    def _uncount(self, outlet: str | None, terms: np.ndarray) -> None:
        ids = terms.tolist()
        self._stream.remove(ids)
        if outlet is not None:
            counts = self._outlets[outlet]
            counts.remove(ids)
            if not counts.articles:
                del self._outlets[outlet]

    def forget_before(self, moment: float) -> int:
        dropped = 0
        while self._articles and self._articles[0][0] < moment:
            _, _, _, outlet, terms = heapq.heappop(self._articles)
            self._uncount(outlet, terms)
            dropped += 1
        return dropped

    def forget(self, article_ids: set[str]) -> None:
        """Uncount these articles (a batch whose grouping was not saved, copies)."""
        kept = []
        for entry in self._articles:
            if entry[2] in article_ids:
                self._uncount(entry[3], entry[4])
            else:
                kept.append(entry)
        heapq.heapify(kept)
        self._articles = kept

    def distinctive(
        self, vector: SparseVector, names: np.ndarray | None = None, outlet: str | None = None
    ) -> SparseVector:
        """The vector with each term weighed by its inverse frequency in the stream (scaled
        to 1 for a term no article has, to the power STREAM_STRENGTH; NAME_STRENGTH times
        that for `names`, sorted ids) and by how few of `outlet`'s articles have it, unit
        length again."""
        total = self._stream.articles
        if not len(vector):
            return vector
        factor = np.ones(len(vector))
        if total >= MIN_ARTICLES:
            counts = self._stream.of(vector.ids)
            idf = np.log((total + 1.0) / (counts + 1.0)) / math.log(total + 1.0)
            strength = np.full(len(vector), STREAM_STRENGTH)
            if names is not None and len(names):
                strength[np.isin(vector.ids, names, assume_unique=True)] *= NAME_STRENGTH
            factor = idf**strength
        own = self._outlets.get(outlet) if outlet is not None else None
        if own is not None and own.articles >= OUTLET_MIN_ARTICLES:
            factor *= np.clip(1.0 - own.of(vector.ids) / own.articles, 0.0, 1.0)
        if total < MIN_ARTICLES and (own is None or own.articles < OUTLET_MIN_ARTICLES):
            return vector
        weights = vector.weights * factor
        norm = float(np.sqrt(weights @ weights))
        if norm <= 0:
            return vector
        return SparseVector(vector.ids, (weights / norm).astype(np.float32))
