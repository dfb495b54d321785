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

from ..vectors import SparseVector, find_sorted

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
    """Term -> number of articles that have it, over some articles: a sorted array of term
    ids with their counts, plus a small dict of terms first seen since it was last rebuilt.
    Each article's terms are looked up as one array operation (a dict lookup per term was a
    fifth of placing an article); terms no article has any more leave at the rebuild."""

    # the dict is folded into the arrays when it holds this many terms and an eighth of theirs
    MERGE_AT = 256

    def __init__(self) -> None:
        self.articles = 0
        self._ids = np.zeros(0, dtype=np.int64)
        self._counts = np.zeros(0, dtype=np.int64)
        self._recent: dict[int, int] = {}

    def _rebuild(self) -> None:
        ids = np.concatenate([self._ids, np.fromiter(self._recent, np.int64, len(self._recent))])
        counts = np.concatenate(
            [self._counts, np.fromiter(self._recent.values(), np.int64, len(self._recent))]
        )
        kept = counts > 0
        order = np.argsort(ids[kept], kind="stable")
        self._ids, self._counts = ids[kept][order], counts[kept][order]
        self._recent = {}

    def _change(self, ids: np.ndarray, by: np.ndarray | int) -> None:
        """Add `by` (one number, or one for each of `ids`) to the counts of `ids`."""
        at, found = find_sorted(self._ids, ids)
        if found.all():
            self._counts[at] += by
            return
        self._counts[at[found]] += by[found] if isinstance(by, np.ndarray) else by
        recent = self._recent
        for k in np.flatnonzero(~found).tolist():
            term = int(ids[k])
            n = recent.get(term, 0) + (int(by[k]) if isinstance(by, np.ndarray) else by)
            if n:
                recent[term] = n
            else:
                del recent[term]
        if len(recent) > self.MERGE_AT + len(self._ids) // 8:
            self._rebuild()

    def add(self, terms: np.ndarray) -> None:
        """Count one article's terms (unique ids)."""
        self._change(terms, 1)
        self.articles += 1

    def add_many(self, terms: Sequence[np.ndarray]) -> None:
        """Count many articles' terms (each unique within its article) at once (a window read
        back from the store holds tens of thousands of articles)."""
        if not terms:
            return
        ids, counts = np.unique(np.concatenate(terms), return_counts=True)
        self._change(ids, counts)
        self.articles += len(terms)

    def remove(self, terms: np.ndarray) -> None:
        self._change(terms, -1)
        self.articles -= 1

    def of(self, ids: np.ndarray) -> np.ndarray:
        """How many articles have each of `ids`."""
        at, found = find_sorted(self._ids, ids)
        counts = np.zeros(len(ids))
        counts[found] = self._counts[at[found]]
        if self._recent and not found.all():
            recent = self._recent
            for k in np.flatnonzero(~found).tolist():
                counts[k] = recent.get(int(ids[k]), 0)
        return counts


class StreamStatistics:
    """Term -> number of articles in memory with the term, in the whole stream and per
    outlet."""

    def __init__(self) -> None:
        self._stream = _Counts()
        self._outlets: dict[str, _Counts] = {}
        # a heap by time: (moment, order, article id); what each order counted is in _live
        # until it is forgotten (an entry forgotten early stays in the heap until its time)
        self._articles: list[tuple[float, int, str]] = []
        self._live: dict[int, tuple[str | None, np.ndarray]] = {}
        self._orders: dict[str, list[int]] = {}  # article id -> its live orders
        self._count = 0

    def __len__(self) -> int:
        return len(self._live)

    def _enter(self, order: int, article_id: str, outlet: str | None, terms: np.ndarray) -> None:
        self._live[order] = (outlet, terms)
        self._orders.setdefault(article_id, []).append(order)

    def add(
        self, article_id: str, moment: float, terms: np.ndarray, outlet: str | None = None
    ) -> None:
        """Count an article's terms (its vector's ids), seen at `moment`."""
        self._stream.add(terms)
        if outlet is not None:
            self._outlets.setdefault(outlet, _Counts()).add(terms)
        heapq.heappush(self._articles, (moment, self._count, article_id))
        self._enter(self._count, article_id, outlet, terms)
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
        for k, (article_id, moment, ids, outlet) in enumerate(
            zip(article_ids, moments, terms, outlets, strict=True)
        ):
            self._articles.append((moment, start + k, article_id))
            self._enter(start + k, article_id, outlet, ids)
        heapq.heapify(self._articles)
        self._count += len(article_ids)

    def _uncount(self, order: int, article_id: str) -> None:
        outlet, terms = self._live.pop(order)
        orders = self._orders[article_id]
        orders.remove(order)
        if not orders:
            del self._orders[article_id]
        self._stream.remove(terms)
        if outlet is not None:
            counts = self._outlets[outlet]
            counts.remove(terms)
            if not counts.articles:
                del self._outlets[outlet]

    def forget_before(self, moment: float) -> int:
        dropped = 0
        while self._articles and self._articles[0][0] < moment:
            _, order, article_id = heapq.heappop(self._articles)
            if order in self._live:
                self._uncount(order, article_id)
                dropped += 1
        return dropped

    def forget(self, article_ids: set[str]) -> None:
        """Uncount these articles (a batch whose grouping was not saved, copies)."""
        for article_id in article_ids:
            for order in list(self._orders.get(article_id, ())):
                self._uncount(order, article_id)

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
                # np.isin, by binary search (both are short)
                strength[find_sorted(names, vector.ids)[1]] *= NAME_STRENGTH
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
