"""Exact and near-duplicate articles: a syndicated or lightly edited copy points at its original."""

from __future__ import annotations

from collections.abc import Sequence

from datasketch import MinHashLSH

from ..index import NUM_PERM, Features
from ..model import Article


def time_order(articles: Sequence[Article]) -> list[int]:
    """Indices by publication time (undated last), then id: the original comes first."""

    def key(i: int) -> tuple[bool, float, str]:
        moment = articles[i].published_at
        return (moment is None, moment.timestamp() if moment else 0.0, articles[i].id)

    return sorted(range(len(articles)), key=key)


def find_duplicates(
    articles: Sequence[Article], features: Sequence[Features], threshold: float
) -> dict[str, str]:
    """Map each copy's id to its original's id. Candidates come from LSH, never all pairs."""
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    by_hash: dict[str, str] = {}
    originals: dict[str, str] = {}
    signatures = {f.article_id: f.signature for f in features}
    for i in time_order(articles):
        article, feature = articles[i], features[i]
        original = by_hash.get(feature.exact_hash)
        if original is None:
            candidates = sorted(lsh.query(feature.signature))
            scored = [(feature.signature.jaccard(signatures[c]), c) for c in candidates]
            scored = [s for s in scored if s[0] >= threshold]
            if scored:  # the most similar earlier article; ties go to the smallest id
                original = min(scored, key=lambda s: (-s[0], s[1]))[1]
        if original is not None:
            originals[article.id] = originals.get(original, original)
            continue
        by_hash[feature.exact_hash] = article.id
        lsh.insert(article.id, feature.signature)
    return originals
