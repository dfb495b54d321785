"""Exact and near-duplicate articles: a syndicated, lightly edited or cut copy points at the
article it copies (the one seen first), and counts once wherever outlets are counted."""

from __future__ import annotations

from collections.abc import Sequence

from datasketch import LeanMinHash, MinHashLSH

from ..index import NUM_PERM, Features
from ..model import Article

# LSH finds pairs from this Jaccard up; the decision below is finer.
CANDIDATE_JACCARD = 0.3
MIN_SHINGLES_FOR_CONTAINMENT = 20


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


class DuplicateIndex:
    """Exact hashes plus MinHash LSH over the originals seen so far; grows one article at a time.

    A new article copies an earlier one when their shingle sets overlap by `threshold` (Jaccard),
    or when one holds at least `min_containment` of the other (a page cut short, an excerpt).
    """

    def __init__(self, threshold: float, min_containment: float = 0.8) -> None:
        self.threshold = threshold
        self.min_containment = min_containment
        self._lsh = MinHashLSH(threshold=min(CANDIDATE_JACCARD, threshold), num_perm=NUM_PERM)
        self._by_hash: dict[str, str] = {}
        self._signatures: dict[str, LeanMinHash] = {}
        self._sizes: dict[str, int] = {}
        self.original_of: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def add_original(self, article_id: str, features: Features) -> None:
        """Register an article known to be an original (for example one already stored)."""
        self._by_hash.setdefault(features.exact_hash, article_id)
        self._signatures[article_id] = features.signature
        self._sizes[article_id] = features.shingle_count
        # ids are unique here already (`add` checks): skip datasketch's own lookup
        self._lsh.insert(article_id, features.signature, check_duplication=False)

    def add(self, article_id: str, features: Features) -> str | None:
        """Register an article; return the id of the original it copies, or None."""
        if article_id in self._signatures or article_id in self.original_of:
            return self.original_of.get(article_id)
        original = self.find(features)
        if original is None:
            self.add_original(article_id, features)
            return None
        self.original_of[article_id] = original
        return original

    def find(self, features: Features) -> str | None:
        """The original these features copy, if any, without registering them."""
        return self._by_hash.get(features.exact_hash) or self._near(features)

    def _near(self, features: Features) -> str | None:
        best: tuple[float, str] | None = None
        for candidate in sorted(self._lsh.query(features.signature)):
            jaccard = features.signature.jaccard(self._signatures[candidate])
            size = self._sizes[candidate]
            contained = containment(jaccard, features.shingle_count, size)
            small = min(features.shingle_count, size)
            if jaccard >= self.threshold or (
                small >= MIN_SHINGLES_FOR_CONTAINMENT and contained >= self.min_containment
            ):
                score = max(jaccard, contained)
                if best is None or score > best[0]:
                    best = (score, candidate)
        return best[1] if best else None


def find_duplicates(
    articles: Sequence[Article], features: Sequence[Features], threshold: float
) -> dict[str, str]:
    """Map each copy's id to its original's id, over one batch in time order."""
    index = DuplicateIndex(threshold)
    for i in time_order(articles):
        index.add(articles[i].id, features[i])
    return dict(index.original_of)
