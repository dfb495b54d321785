"""Finding the sentences most like a new one among many, in bounded work.

Claims and timeline events both grow by comparing each sentence with the first sentence
("seed") of every group so far: done naively that is quadratic in a story's size. Here each
term remembers the seeds most recently posted with it and its weight in them, so a sentence's
dot product with every seed it shares a term with is summed from those postings; the caller
then scores again those of the best few whose sum may miss a term (a seed pushed out of a
posting): the others' sums are exact.
"""

from __future__ import annotations

from collections import defaultdict, deque

POSTINGS_PER_TERM = 128  # seeds remembered per term: bounds the work per lookup


class SeedIndex:
    """Term postings over seed vectors (unit-length term dicts), keyed by an int id."""

    def __init__(self, per_term: int = POSTINGS_PER_TERM) -> None:
        self.per_term = per_term
        self._postings: dict[str, deque[tuple[int, float]]] = {}

    def add(self, seed: int, vector: dict[str, float]) -> None:
        for term, weight in vector.items():
            posting = self._postings.get(term)
            if posting is None:
                posting = self._postings[term] = deque(maxlen=self.per_term)
            posting.append((seed, weight))

    def scores(self, vector: dict[str, float]) -> tuple[dict[int, float], int]:
        """Dot product of `vector` with each seed sharing a term with it (a seed pushed out of
        a long posting counts only through its other terms), and the first seed from which on
        they are exact: no seed from there on was pushed out of a posting of the vector's terms
        (seeds are added in the order of their ids). An exact product is `dot(vector, seed)` to
        the last bit: the same products added in the same order."""
        scores: defaultdict[int, float] = defaultdict(float)
        exact_from = 0
        for term, weight in vector.items():
            posting = self._postings.get(term)
            if posting is None:
                continue
            if len(posting) == self.per_term and posting[0][0] > exact_from:
                exact_from = posting[0][0]
            for seed, seed_weight in posting:
                scores[seed] += weight * seed_weight
        return scores, exact_from


def dot(a: dict[str, float], b: dict[str, float]) -> float:
    """Dot product of two sparse vectors, summed in `a`'s order (callers compare exact values)."""
    return sum(w * b.get(t, 0.0) for t, w in a.items())
