"""summarize: a headline for each story (the summary sentences come with the claims)."""

from __future__ import annotations

from collections.abc import Sequence

from .group.cluster import cosine
from .model import Article


def story_title(
    articles: Sequence[Article], vectors: dict[str, dict[str, float]], centroid: dict[str, float]
) -> str:
    """Title of the article closest to the story's centre; else the first sentence."""
    titled = [a for a in articles if a.title]
    if titled:
        best = max(titled, key=lambda a: (cosine(vectors.get(a.id, {}), centroid), a.id))
        return str(best.title)
    first = articles[0]
    if first.sentences:
        span = first.sentences[0]
        return first.text[span.start : span.end]
    return first.text[:120]
