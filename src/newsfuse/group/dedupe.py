"""Exact and near-duplicate articles: a syndicated, lightly edited or cut copy points at the
article it copies (the one seen first), and counts once wherever outlets are counted.

The index holds the originals of the active window only: their MinHash signatures in one NumPy
array (512 bytes an article) and LSH band keys in one dict; originals older than the window are
forgotten (`forget_before`). A copy of an older article is still found by its exact hash through
the store (`Grouper.place` takes such matches); a near copy of one is not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from datasketch.lsh import _optimal_param

from ..index import NUM_PERM, Features
from ..model import Article

# LSH finds pairs from this Jaccard up; the decision below is finer.
CANDIDATE_JACCARD = 0.3
MIN_SHINGLES_FOR_CONTAINMENT = 20
_MIX = np.uint64(0x9E3779B97F4A7C15)
_BAND_SALT = np.uint64(0xC2B2AE3D27D4EB4F)


def time_order(articles: Sequence[Article]) -> list[int]:
    """Indices by publication time (undated last), then id: the original comes first."""

    def key(i: int) -> tuple[bool, float, str]:
        moment = articles[i].published_at
        return (moment is None, moment.timestamp() if moment else 0.0, articles[i].id)

    return sorted(range(len(articles)), key=key)


def containment(jaccard: float, size_a: int, size_b: int) -> float:
    """Share of the smaller shingle set inside the larger, from their Jaccard and sizes."""
    if jaccard <= 0 or min(size_a, size_b) == 0:
        return 0.0
    intersection = jaccard * (size_a + size_b) / (1.0 + jaccard)
    return min(intersection / min(size_a, size_b), 1.0)


@dataclass(frozen=True)
class Original:
    """An original an article copies: its id and the story it is in (None while unplaced)."""

    article_id: str
    story_id: str | None


class DuplicateIndex:
    """Exact hashes plus MinHash LSH over the originals of the active window.

    A new article copies an earlier one when their shingle sets overlap by `threshold`
    (Jaccard), or when one holds at least `min_containment` of the other (a page cut short, an
    excerpt).
    """

    def __init__(self, threshold: float, min_containment: float = 0.8) -> None:
        self.threshold = threshold
        self.min_containment = min_containment
        self.bands, self.rows = _optimal_param(
            min(CANDIDATE_JACCARD, threshold), NUM_PERM, 0.5, 0.5
        )
        self._buckets: dict[int, int | list[int]] = {}
        self._by_hash: dict[str, int] = {}
        self._signatures = np.zeros((0, NUM_PERM), dtype=np.uint32)
        self._sizes = np.zeros(0, dtype=np.int64)
        self._moments = np.zeros(0, dtype=np.float64)
        self._ids: list[str | None] = []
        self._stories: list[str | None] = []
        self._hashes: list[str] = []
        self._slot_of: dict[str, int] = {}
        self._free: list[int] = []

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._slot_of

    def _band_keys(self, values: np.ndarray) -> list[int]:
        """One 64-bit key per band of a signature (its `rows` values, mixed with the band)."""
        used = values[: self.bands * self.rows].astype(np.uint64).reshape(self.bands, self.rows)
        with np.errstate(over="ignore"):
            keys = np.arange(self.bands, dtype=np.uint64) * _BAND_SALT
            for row in range(self.rows):
                keys = (keys ^ used[:, row]) * _MIX
        return [int(k) for k in keys.view(np.int64)]

    def _slot(self) -> int:
        if self._free:
            return self._free.pop()
        slot = len(self._ids)
        if slot == len(self._signatures):
            capacity = max(1024, 2 * slot)
            self._signatures = np.resize(self._signatures, (capacity, NUM_PERM))
            self._sizes = np.resize(self._sizes, capacity)
            self._moments = np.resize(self._moments, capacity)
        self._ids.append(None)
        self._stories.append(None)
        self._hashes.append("")
        return slot

    def add_original(
        self, article_id: str, features: Features, moment: float, story_id: str | None = None
    ) -> None:
        """Register an article known to be an original; `moment` (a POSIX time) is when it
        counts as seen, for forgetting it later."""
        values = np.asarray(features.signature.hashvalues, dtype=np.uint32)
        self.add_stored(
            article_id, values, features.shingle_count, features.exact_hash, moment, story_id
        )

    def add_stored(
        self,
        article_id: str,
        values: np.ndarray,
        shingles: int,
        exact_hash: str,
        moment: float,
        story_id: str | None,
    ) -> None:
        """Register an original from its stored signature values."""
        if article_id in self._slot_of:
            return
        slot = self._slot()
        self._signatures[slot] = values
        self._sizes[slot] = shingles
        self._moments[slot] = moment
        self._ids[slot] = article_id
        self._stories[slot] = story_id
        self._hashes[slot] = exact_hash
        self._slot_of[article_id] = slot
        self._by_hash.setdefault(exact_hash, slot)
        for key in self._band_keys(values):
            bucket = self._buckets.get(key)
            if bucket is None:
                self._buckets[key] = slot
            elif isinstance(bucket, int):
                self._buckets[key] = [bucket, slot]
            else:
                bucket.append(slot)

    def place(self, article_id: str, story_id: str) -> None:
        """Record the story an original went to (copies of it go there too)."""
        slot = self._slot_of.get(article_id)
        if slot is not None:
            self._stories[slot] = story_id

    def add(self, article_id: str, features: Features, moment: float) -> Original | None:
        """Register an article; return the original it copies, or None (it is one)."""
        original = self.find(features)
        if original is None:
            self.add_original(article_id, features, moment)
        return original

    def find(self, features: Features) -> Original | None:
        """The original these features copy, if any, without registering them."""
        slot = self._by_hash.get(features.exact_hash)
        if slot is None:
            slot = self._near(features)
        if slot is None:
            return None
        return Original(str(self._ids[slot]), self._stories[slot])

    def _near(self, features: Features) -> int | None:
        values = np.asarray(features.signature.hashvalues, dtype=np.uint32)
        found: set[int] = set()
        for key in self._band_keys(values):
            bucket = self._buckets.get(key)
            if bucket is None:
                continue
            if isinstance(bucket, int):
                found.add(bucket)
            else:
                found.update(bucket)
        if not found:
            return None
        slots = np.fromiter(sorted(found, key=lambda s: str(self._ids[s])), dtype=np.int64)
        jaccards = (self._signatures[slots] == values).mean(axis=1)
        best: tuple[float, int] | None = None
        size = features.shingle_count
        for slot, jaccard in zip(slots.tolist(), jaccards.tolist(), strict=True):
            other = int(self._sizes[slot])
            contained = containment(jaccard, size, other)
            if jaccard >= self.threshold or (
                min(size, other) >= MIN_SHINGLES_FOR_CONTAINMENT
                and contained >= self.min_containment
            ):
                score = max(jaccard, contained)
                if best is None or score > best[0]:
                    best = (score, slot)
        return best[1] if best else None

    def forget_before(self, moment: float) -> int:
        """Drop the originals seen before `moment`; returns how many."""
        used = len(self._ids)
        old = np.nonzero(self._moments[:used] < moment)[0]
        return sum(self._drop(slot) for slot in old.tolist())

    def forget(self, article_ids: Sequence[str]) -> None:
        """Drop these originals (a batch whose grouping was not saved)."""
        for article_id in article_ids:
            slot = self._slot_of.get(article_id)
            if slot is not None:
                self._drop(slot)

    def _drop(self, slot: int) -> bool:
        article_id = self._ids[slot]
        if article_id is None:
            return False
        for key in self._band_keys(self._signatures[slot]):
            bucket = self._buckets.get(key)
            if bucket == slot:
                del self._buckets[key]
            elif isinstance(bucket, list):
                bucket.remove(slot)
                if len(bucket) == 1:
                    self._buckets[key] = bucket[0]
        if self._by_hash.get(self._hashes[slot]) == slot:
            del self._by_hash[self._hashes[slot]]
        del self._slot_of[article_id]
        self._ids[slot] = self._stories[slot] = None
        self._moments[slot] = np.inf
        self._free.append(slot)
        return True


def find_duplicates(
    articles: Sequence[Article], features: Sequence[Features], threshold: float
) -> dict[str, str]:
    """Map each copy's id to its original's id, over one batch in time order."""
    index = DuplicateIndex(threshold)
    copies: dict[str, str] = {}
    for i in time_order(articles):
        moment = articles[i].published_at
        original = index.add(articles[i].id, features[i], moment.timestamp() if moment else 0.0)
        if original is not None:
            copies[articles[i].id] = original.article_id
    return copies
