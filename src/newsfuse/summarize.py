"""summarize: a headline for each story (the summary sentences come with the claims)."""

from __future__ import annotations

from collections.abc import Sequence

from .group.cluster import cosine
from .index import weighted_terms
from .model import Article


def story_title(articles: Sequence[Article], centroid: dict[str, float]) -> str:
    """The title closest to the story's centre (the most representative), the first sentence if
    no article has a title. Titles are scored on their own words, so large stories stay cheap."""
    titled = [a for a in articles if a.title]
    if titled:
        best = max(
            titled,
            key=lambda a: (cosine(weighted_terms(str(a.title), a.language), centroid), a.id),
        )
        return str(best.title)
    first = articles[0]
    if first.sentences:
        span = first.sentences[0]
        return first.text[span.start : span.end]
    return first.text[:120]
