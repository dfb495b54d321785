"""Sparse term vectors as two NumPy arrays: sorted 64-bit term ids and float32 weights.

Grouping keeps a centroid per active story and a vector per article in flight; as dicts of
term strings they cost about 100 bytes an entry, as arrays 12. Term ids are a stable hash
(BLAKE2b, 64 bits) of the term, the same in every process and every run, so vectors can be
stored as bytes and read back as they were.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

ID = np.dtype("<i8")
WEIGHT = np.dtype("<f4")
_ids: dict[str, int] = {}
_ID_MEMO = 1_000_000


def term_id(term: str) -> int:
    """The term's stable 64-bit id."""
    found = _ids.get(term)
    if found is None:
        if len(_ids) > _ID_MEMO:
            _ids.clear()
        digest = hashlib.blake2b(term.encode("utf-8", "surrogatepass"), digest_size=8).digest()
        found = _ids[term] = int.from_bytes(digest, "little", signed=True)
    return found


def term_ids(terms: Iterable[str]) -> np.ndarray:
    return np.fromiter((term_id(t) for t in terms), dtype=ID)


def find_sorted(sorted_ids: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of `ids` sits in `sorted_ids` (sorted, unique), and whether it is there (the
    position is 0 where it is not)."""
    if not len(sorted_ids):
        return np.zeros(len(ids), dtype=np.intp), np.zeros(len(ids), dtype=bool)
    at = np.searchsorted(sorted_ids, ids)
    at[at == len(sorted_ids)] = 0
    return at, sorted_ids[at] == ids


@dataclass(frozen=True, eq=False)
class SparseVector:
    """Term ids (sorted, unique) and their weights."""

    ids: np.ndarray
    weights: np.ndarray

    @classmethod
    def from_terms(cls, terms: Mapping[str, float]) -> SparseVector:
        ids = term_ids(terms)
        weights = np.fromiter(terms.values(), dtype=WEIGHT, count=len(terms))
        order = np.argsort(ids, kind="stable")
        return cls(ids[order], weights[order])

    @classmethod
    def empty(cls) -> SparseVector:
        return cls(np.empty(0, dtype=ID), np.empty(0, dtype=WEIGHT))

    def __len__(self) -> int:
        return len(self.ids)

    def norm2(self) -> float:
        return float(self.weights @ self.weights)

    def dot(self, other: SparseVector) -> float:
        small, big = (self, other) if len(self) <= len(other) else (other, self)
        if not len(small) or not len(big):
            return 0.0
        at, hit = find_sorted(big.ids, small.ids)
        return float(small.weights[hit] @ big.weights[at[hit]])

    def plus(self, other: SparseVector) -> SparseVector:
        """The sum. `other`'s new terms are inserted where they sort (both are sorted): a
        story's centroid grows by one article at a time, and sorting their union anew cost
        three times as much."""
        at = np.searchsorted(self.ids, other.ids)
        inside = at < len(self.ids)
        known = np.zeros(len(other.ids), dtype=bool)
        known[inside] = self.ids[at[inside]] == other.ids[inside]
        if known.all():
            weights = self.weights.astype(WEIGHT)  # a copy
            weights[at] += other.weights
            return SparseVector(self.ids, weights)
        new = ~known
        ids = np.insert(self.ids, at[new], other.ids[new])
        weights = np.insert(self.weights.astype(WEIGHT), at[new], np.zeros(1, dtype=WEIGHT))
        weights[np.searchsorted(ids, other.ids)] += other.weights
        return SparseVector(ids, weights)

    def strongest(self, n: int) -> SparseVector:
        """The `n` heaviest terms (ties: the smaller id), still sorted by id."""
        if len(self) <= n:
            return self
        keep = np.sort(np.lexsort((self.ids, -self.weights))[:n])
        return SparseVector(self.ids[keep], self.weights[keep])

    def top_ids(self, n: int) -> np.ndarray:
        """Ids of the `n` heaviest terms, heaviest first (ties: the smaller id). Only the
        terms at least as heavy as the `n`-th are sorted (a story's centroid has hundreds)."""
        if len(self) > 2 * n > 0:
            nth = np.partition(self.weights, len(self) - n)[len(self) - n]
            heavy = np.flatnonzero(self.weights >= nth)
            order = np.lexsort((self.ids[heavy], -self.weights[heavy]))[:n]
            return self.ids[heavy[order]]
        return self.ids[np.lexsort((self.ids, -self.weights))[:n]]

    def to_bytes(self) -> bytes:
        return self.ids.astype(ID).tobytes() + self.weights.astype(WEIGHT).tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> SparseVector:
        n = len(data) // (ID.itemsize + WEIGHT.itemsize)
        ids = np.frombuffer(data, dtype=ID, count=n)
        weights = np.frombuffer(data, dtype=WEIGHT, count=n, offset=n * ID.itemsize)
        return cls(ids, weights)
