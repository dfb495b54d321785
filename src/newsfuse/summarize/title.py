"""The headline of a story: its most representative clean title."""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..index import weighted_terms
from ..model import Article
from ..vectors import SparseVector

MAX_TITLES = 50


def story_title(articles: Sequence[Article], centroid: SparseVector | None) -> str:
    """The title closest to the story's centre (the most representative), the first sentence if
    no article has a title. Titles are scored on their own words, so large stories stay cheap."""
    titles: dict[str, str | None] = {}
    for article in articles:  # copies share titles: score each distinct one, the first few
        if article.title and article.title not in titles and len(titles) < MAX_TITLES:
            titles[article.title] = article.language
    if titles:
        centre = centroid or SparseVector.empty()

        def closeness(title: str) -> float:
            vector = SparseVector.from_terms(weighted_terms(title, titles[title]))
            norm = math.sqrt(vector.norm2() * centre.norm2())
            return vector.dot(centre) / norm if norm else 0.0

        return max(titles, key=lambda title: (closeness(title), title))
    # the first article that has its text (a long story read from the store carries the text
    # of only the articles its analysis reads)
    first = next((a for a in articles if a.text), articles[0])
    if first.sentences:
        span = first.sentences[0]
        return first.text[span.start : span.end]
    return first.text[:120]
