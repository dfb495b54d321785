"""Exact and near-duplicate articles: a syndicated, lightly edited or cut copy points at the
article it copies (the one seen first), and counts once wherever outlets are counted.

The index holds the originals of the active window only: their MinHash signatures in one NumPy
array (512 bytes an article) and their LSH band keys in sorted NumPy arrays (16 bytes a band,
where a dict would cost ~100); originals older than the window are forgotten
(`forget_before`). A copy of an older article is still found by its exact hash through the
store (`Grouper.place` takes such matches); a near copy of one is not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from datasketch.lsh import _optimal_param

from ..index import NUM_PERM, Features
from ..model import Article
from .order import time_order

# LSH finds pairs from this Jaccard up; the decision below is finer.
CANDIDATE_JACCARD = 0.3
MIN_SHINGLES_FOR_CONTAINMENT = 20
_MIX = np.uint64(0x9E3779B97F4A7C15)
_BAND_SALT = np.uint64(0xC2B2AE3D27D4EB4F)


def containment(jaccard: float, size_a: int, size_b: int) -> float:
    """Share of the smaller shingle set inside the larger, from their Jaccard and sizes."""
    if jaccard <= 0 or min(size_a, size_b) == 0:
        return 0.0
    intersection = jaccard * (size_a + size_b) / (1.0 + jaccard)
    return min(intersection / min(size_a, size_b), 1.0)


class BandIndex:
    """LSH band keys -> slots, as two sorted arrays plus a small dict of recent additions
    (merged into the arrays when it grows). Slots that were dropped stay in the arrays until
    `rebuild`; callers skip them."""

    MERGE_AT = 50_000

    def __init__(self) -> None:
        self._keys = np.zeros(0, dtype=np.int64)
        self._slots = np.zeros(0, dtype=np.int64)
        self._recent: dict[int, list[int]] = {}
        self._recent_count = 0

    def __len__(self) -> int:
        return len(self._keys) + self._recent_count

    def add(self, slot: int, keys: np.ndarray) -> None:
        for key in keys.tolist():
            self._recent.setdefault(key, []).append(slot)
        self._recent_count += len(keys)
        if self._recent_count >= self.MERGE_AT:
            self._merge()

    def add_many(self, slots: np.ndarray, keys: np.ndarray) -> None:
        """Many slots at once: `keys` holds one row of band keys per slot."""
        self._merge(np.repeat(slots, keys.shape[1]), keys.reshape(-1))

    def _merge(self, slots: np.ndarray | None = None, keys: np.ndarray | None = None) -> None:
        parts_k, parts_s = [self._keys], [self._slots]
        if self._recent:
            recent = [(k, s) for k, found in self._recent.items() for s in found]
            parts_k.append(np.fromiter((k for k, _ in recent), dtype=np.int64, count=len(recent)))
            parts_s.append(np.fromiter((s for _, s in recent), dtype=np.int64, count=len(recent)))
        if keys is not None and slots is not None:
            parts_k.append(keys.astype(np.int64))
            parts_s.append(slots.astype(np.int64))
        all_keys, all_slots = np.concatenate(parts_k), np.concatenate(parts_s)
        order = np.argsort(all_keys, kind="stable")
        self._keys, self._slots = all_keys[order], all_slots[order]
        self._recent, self._recent_count = {}, 0

    def query(self, keys: np.ndarray) -> set[int]:
        found: set[int] = set()
        if len(self._keys):
            left = np.searchsorted(self._keys, keys, "left")
            right = np.searchsorted(self._keys, keys, "right")
            for a, b in zip(left.tolist(), right.tolist(), strict=True):
                if b > a:
                    found.update(self._slots[a:b].tolist())
        for key in keys.tolist():
            found.update(self._recent.get(key, ()))
        return found

    def rebuild(self, slots: np.ndarray, keys: np.ndarray) -> None:
        """Start again from these slots' keys (after many slots were dropped)."""
        self._keys = np.zeros(0, dtype=np.int64)
        self._slots = np.zeros(0, dtype=np.int64)
        self._recent, self._recent_count = {}, 0
        if len(slots):
            self.add_many(slots, keys)


def copy_score(
    jaccard: float, size: int, other: int, threshold: float, min_containment: float
) -> float | None:
    """How surely an article with `size` shingles copies one with `other` whose signature
    it matches at `jaccard` (the larger of Jaccard and containment), or None when it does not:
    the one rule the duplicate index and the Spark banding both apply."""
    contained = containment(jaccard, size, other)
    if jaccard >= threshold or (
        min(size, other) >= MIN_SHINGLES_FOR_CONTAINMENT and contained >= min_containment
    ):
        return max(jaccard, contained)
    return None


def copy_scores(
    jaccards: np.ndarray,
    sizes: np.ndarray,
    others: np.ndarray,
    threshold: float,
    min_containment: float,
) -> list[tuple[int, float]]:
    """`copy_score` over many pairs at once (each pair's Jaccard, its article's shingle count
    and the other's): (index, score) of those it passes. A necessary condition in array
    operations (its margin only widens it) picks the few the rule itself is run on."""
    with np.errstate(divide="ignore", invalid="ignore"):
        contained = jaccards * (sizes + others) / (1.0 + jaccards) / np.minimum(sizes, others)
    may_pass = (jaccards >= threshold - 1e-9) | (contained >= min_containment - 1e-9)
    found = []
    for i in np.flatnonzero(may_pass).tolist():
        score = copy_score(
            float(jaccards[i]), int(sizes[i]), int(others[i]), threshold, min_containment
        )
        if score is not None:
            found.append((i, score))
    return found


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

    def __init__(self, threshold: float, min_containment: float = 0.8, banded: bool = True) -> None:
        self.threshold = threshold
        self.banded = banded  # False: near candidates are found elsewhere (`find`'s `near`)
        self.min_containment = min_containment
        self.bands, self.rows = _optimal_param(
            min(CANDIDATE_JACCARD, threshold), NUM_PERM, 0.5, 0.5
        )
        self._bands = BandIndex()
        self._by_hash: dict[str, int] = {}
        self._signatures = np.zeros((0, NUM_PERM), dtype=np.uint32)
        self._sizes = np.zeros(0, dtype=np.int64)
        self._moments = np.zeros(0, dtype=np.float64)
        self._ids: list[str | None] = []
        self._stories: list[str | None] = []
        self._hashes: list[str] = []
        self._slot_of: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._slot_of

    def band_keys(self, values: np.ndarray) -> np.ndarray:
        """One 64-bit key per band of each signature (its `rows` values, mixed with the band):
        articles sharing one are candidate copies. `values` is one signature or a matrix."""
        matrix = np.atleast_2d(values)[:, : self.bands * self.rows].astype(np.uint64)
        used = matrix.reshape(len(matrix), self.bands, self.rows)
        with np.errstate(over="ignore"):
            keys = np.broadcast_to(
                np.arange(self.bands, dtype=np.uint64) * _BAND_SALT, (len(matrix), self.bands)
            ).copy()
            for row in range(self.rows):
                keys = (keys ^ used[:, :, row]) * _MIX
        keys = keys.view(np.int64)
        return keys[0] if values.ndim == 1 else keys

    def _slot(self) -> int:
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
        if self.banded:
            self._bands.add(slot, self.band_keys(values))

    def add_stored_many(
        self,
        article_ids: Sequence[str],
        signatures: np.ndarray,
        shingles: Sequence[int],
        exact_hashes: Sequence[str],
        moments: Sequence[float],
        story_ids: Sequence[str | None],
    ) -> None:
        """Register many stored originals at once (an ingest reading its window back): one
        array operation for all their band keys."""
        new = [i for i, a in enumerate(article_ids) if a not in self._slot_of]
        if not new:
            return
        first = len(self._ids)
        needed = first + len(new)
        if needed > len(self._signatures):
            capacity = max(1024, needed, 2 * len(self._signatures))
            self._signatures = np.resize(self._signatures, (capacity, NUM_PERM))
            self._sizes = np.resize(self._sizes, capacity)
            self._moments = np.resize(self._moments, capacity)
        slots = np.arange(first, needed, dtype=np.int64)
        self._signatures[first:needed] = signatures[new]
        self._sizes[first:needed] = np.asarray(shingles)[new]
        self._moments[first:needed] = np.asarray(moments, dtype=np.float64)[new]
        for slot, i in zip(slots.tolist(), new, strict=True):
            self._ids.append(article_ids[i])
            self._stories.append(story_ids[i])
            self._hashes.append(exact_hashes[i])
            self._slot_of[article_ids[i]] = slot
            self._by_hash.setdefault(exact_hashes[i], slot)
        if self.banded:
            self._bands.add_many(slots, self.band_keys(self._signatures[first:needed]))

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

    def find(
        self, features: Features, near: Sequence[tuple[str, float]] | None = None
    ) -> Original | None:
        """The original these features copy, if any, without registering them: the exact
        copy's original, else the best near one. `near` holds candidates found and scored
        elsewhere (the Spark run's banding: each earlier article that passes `copy_score`, with
        its score); of those, the best still in the window counts (ties: the smaller id, as
        this index's own search)."""
        slot = self._by_hash.get(features.exact_hash)
        if slot is None:
            slot = self._near(features) if near is None else self._best_of(near)
        if slot is None:
            return None
        return Original(str(self._ids[slot]), self._stories[slot])

    def _best_of(self, near: Sequence[tuple[str, float]]) -> int | None:
        alive = [(-score, a) for a, score in near if a in self._slot_of]
        return self._slot_of[min(alive)[1]] if alive else None

    def _near(self, features: Features) -> int | None:
        values = np.asarray(features.signature.hashvalues, dtype=np.uint32)
        found = {s for s in self._bands.query(self.band_keys(values)) if self._ids[s] is not None}
        if not found:
            return None
        slots = np.fromiter(sorted(found, key=lambda s: str(self._ids[s])), dtype=np.int64)
        jaccards = (self._signatures[slots] == values).mean(axis=1)
        sizes = np.full(len(slots), features.shingle_count, dtype=np.int64)
        best: tuple[float, int] | None = None
        for i, score in copy_scores(
            jaccards, sizes, self._sizes[slots], self.threshold, self.min_containment
        ):
            if best is None or score > best[0]:
                best = (score, int(slots[i]))
        return best[1] if best else None

    def forget_before(self, moment: float) -> int:
        """Drop the originals seen before `moment`; returns how many."""
        used = len(self._ids)
        old = np.nonzero(self._moments[:used] < moment)[0]
        dropped = sum(self._drop(slot) for slot in old.tolist())
        self._compact_if_sparse()
        return dropped

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
        if self._by_hash.get(self._hashes[slot]) == slot:
            del self._by_hash[self._hashes[slot]]
        del self._slot_of[article_id]
        self._ids[slot] = self._stories[slot] = None
        self._moments[slot] = np.inf
        return True

    def _compact_if_sparse(self) -> None:
        """Once most slots are dropped ones, rebuild the arrays from the live ones."""
        used = len(self._ids)
        if used < 4096 or len(self._slot_of) * 2 > used:
            return
        live = np.fromiter((s for s in range(used) if self._ids[s] is not None), dtype=np.int64)
        self._signatures = self._signatures[live].copy()
        self._sizes = self._sizes[live].copy()
        self._moments = self._moments[live].copy()
        self._ids = [self._ids[s] for s in live.tolist()]
        self._stories = [self._stories[s] for s in live.tolist()]
        self._hashes = [self._hashes[s] for s in live.tolist()]
        self._slot_of = {str(a): n for n, a in enumerate(self._ids)}
        self._by_hash = {}
        for n, exact in enumerate(self._hashes):
            self._by_hash.setdefault(exact, n)
        slots = np.arange(len(live), dtype=np.int64)
        if self.banded:
            self._bands.rebuild(slots, self.band_keys(self._signatures) if len(live) else slots)


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
