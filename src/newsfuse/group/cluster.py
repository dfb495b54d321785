"""Stories: online, time-ordered clustering over weighted terms with an inverted index.

Each article, in publication order, is compared only with the stories that share one of its
strongest terms (inverted index), by cosine similarity of TF-IDF vectors damped by the time
between them. It joins the best story above the threshold or opens a new one. Work grows with
the number of candidates, not with the square of the corpus.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from ..index import Features
from ..model import Article
from .dedupe import time_order

TOP_TERMS = 30
SECONDS_PER_DAY = 86400.0


@dataclass
class StoryCluster:
    """A story being built: its members and a running centroid."""

    article_ids: list[str] = field(default_factory=list)
    centroid: dict[str, float] = field(default_factory=dict)
    first: datetime | None = None
    last: datetime | None = None

    @property
    def id(self) -> str:
        return "s-" + self.article_ids[0]

    def add(self, article: Article, vector: dict[str, float]) -> None:
        n = len(self.article_ids)
        for term in set(self.centroid) | set(vector):
            self.centroid[term] = (self.centroid.get(term, 0.0) * n + vector.get(term, 0.0)) / (
                n + 1
            )
        self.article_ids.append(article.id)
        moment = article.published_at
        if moment is not None:
            self.first = moment if self.first is None or moment < self.first else self.first
            self.last = moment if self.last is None or moment > self.last else self.last


def unit_vectors(features: Sequence[Features]) -> list[dict[str, float]]:
    """The articles' weighted terms scaled to length 1, so cosine is a dot product."""
    vectors = []
    for feature in features:
        norm = math.sqrt(sum(v * v for v in feature.terms.values())) or 1.0
        vectors.append({t: v / norm for t, v in feature.terms.items()})
    return vectors


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(t, 0.0) for t, v in a.items())
    nb = math.sqrt(sum(v * v for v in b.values())) or 1.0
    na = math.sqrt(sum(v * v for v in a.values())) or 1.0
    return dot / (na * nb)


def time_decay(moment: datetime | None, story: StoryCluster, half_life_days: float) -> float:
    if moment is None or story.first is None or story.last is None:
        return 1.0
    if story.first <= moment <= story.last:
        return 1.0
    gap = min(
        abs((moment - story.first).total_seconds()), abs((moment - story.last).total_seconds())
    )
    return float(0.5 ** (gap / SECONDS_PER_DAY / half_life_days))


def cluster_stories(
    articles: Sequence[Article],
    features: Sequence[Features],
    threshold: float,
    half_life_days: float,
) -> list[StoryCluster]:
    """Group articles into stories; deterministic for the same input."""
    vectors = unit_vectors(features)
    stories: list[StoryCluster] = []
    postings: dict[str, set[int]] = defaultdict(set)
    for i in time_order(articles):
        article, vector = articles[i], vectors[i]
        top = sorted(vector, key=lambda t: (-vector[t], t))[:TOP_TERMS]
        candidates = sorted({s for term in top for s in postings.get(term, ())})
        best, best_score = -1, threshold
        for s in candidates:
            score = cosine(vector, stories[s].centroid) * time_decay(
                article.published_at, stories[s], half_life_days
            )
            if score >= best_score:
                best, best_score = s, score
        if best < 0:
            stories.append(StoryCluster())
            best = len(stories) - 1
        stories[best].add(article, vector)
        for term in top:
            postings[term].add(best)
    return stories
