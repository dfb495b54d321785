"""Stories: online, time-ordered clustering that new articles can join later.

Each article, in publication order, is compared only with the stories that share one of its
strongest terms (an inverted index that keeps the most recent stories per term) and, when a
dense encoder is configured, with the nearest recent stories by embedding. The score is the
cosine similarity to the story's centroid (terms, and embedding when present), damped by the time
between them. The article joins the best story above the threshold or opens a new one. Work per
article is bounded by the number of candidates, never by the size of the corpus.

The index state (centroids, time span, members) serialises to plain dicts, so the store can keep
it and a later ingest continues where the last one stopped.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain, repeat
from operator import mul
from typing import Any

import numpy as np

from ..index import TOP_TERMS, strongest

MAX_CANDIDATES = 8  # stories scored in full per article: those sharing most strong terms
POSTINGS_PER_TERM = 64  # most recent stories remembered per term
CENTROID_TERMS = 400  # a story's centroid keeps its strongest terms only
DENSE_CANDIDATES = 5
RECENT_STORIES = 512  # stories an embedding is compared with: the most recently touched
SECONDS_PER_DAY = 86400.0


@dataclass
class StoryState:
    """A story being built: its members, centroid and time span."""

    id: str
    article_ids: list[str] = field(default_factory=list)
    centroid: dict[str, float] = field(default_factory=dict)  # sum of unit vectors
    norm2: float = 0.0
    dense: np.ndarray | None = None  # sum of unit embeddings
    first: datetime | None = None
    last: datetime | None = None

    def add(
        self,
        article_id: str,
        moment: datetime | None,
        vector: dict[str, float],
        dense: np.ndarray | None,
    ) -> None:
        if not self.centroid:  # a new story: its centroid is the article's vector
            self.centroid = dict(vector)
            self.norm2 = sum(map(mul, vector.values(), vector.values()))
        else:
            for term, weight in vector.items():
                old = self.centroid.get(term, 0.0)
                self.centroid[term] = old + weight
                self.norm2 += 2.0 * old * weight + weight * weight
        if len(self.centroid) > 2 * CENTROID_TERMS:
            self._prune()
        if dense is not None:
            self.dense = dense.copy() if self.dense is None else self.dense + dense
        self.article_ids.append(article_id)
        if moment is not None:
            self.first = moment if self.first is None or moment < self.first else self.first
            self.last = moment if self.last is None or moment > self.last else self.last

    def _prune(self) -> None:
        kept = sorted(self.centroid.items(), key=lambda kv: (-kv[1], kv[0]))[:CENTROID_TERMS]
        self.centroid = dict(kept)
        self.norm2 = sum(v * v for v in self.centroid.values())

    def term_cosine(self, vector: dict[str, float]) -> float:
        if self.norm2 <= 0:
            return 0.0
        # map/operator keep the loop in C: this is the innermost loop of grouping
        found = map(self.centroid.get, vector.keys(), repeat(0.0))
        dot = sum(map(mul, vector.values(), found))
        return dot / math.sqrt(self.norm2)

    def dense_cosine(self, dense: np.ndarray | None) -> float | None:
        if dense is None or self.dense is None:
            return None
        norm = float(np.linalg.norm(self.dense))
        return float(dense @ self.dense) / norm if norm > 0 else 0.0

    def top_terms(self, n: int = TOP_TERMS) -> list[str]:
        return [t for t, _ in sorted(self.centroid.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article_ids": self.article_ids,
            "centroid": self.centroid,
            "dense": None if self.dense is None else [float(x) for x in self.dense],
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StoryState:
        centroid = {str(k): float(v) for k, v in data["centroid"].items()}
        return cls(
            id=data["id"],
            article_ids=list(data["article_ids"]),
            centroid=centroid,
            norm2=sum(v * v for v in centroid.values()),
            dense=None if data.get("dense") is None else np.asarray(data["dense"], dtype=float),
            first=datetime.fromisoformat(data["first"]) if data.get("first") else None,
            last=datetime.fromisoformat(data["last"]) if data.get("last") else None,
        )


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(t, 0.0) for t, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values())) or 1.0
    nb = math.sqrt(sum(v * v for v in b.values())) or 1.0
    return dot / (na * nb)


def time_decay(moment: datetime | None, story: StoryState, half_life_days: float) -> float:
    """1 inside the story's time span, halving every `half_life_days` outside it."""
    if moment is None or story.first is None or story.last is None:
        return 1.0
    if story.first <= moment <= story.last:
        return 1.0
    gap = min(
        abs((moment - story.first).total_seconds()), abs((moment - story.last).total_seconds())
    )
    return float(0.5 ** (gap / SECONDS_PER_DAY / half_life_days))


class StoryIndex:
    """Online story clustering; see the module docstring."""

    def __init__(self, threshold: float, half_life_days: float, dense_weight: float = 0.5) -> None:
        self.threshold = threshold
        self.half_life_days = half_life_days
        self.dense_weight = dense_weight
        self.stories: dict[str, StoryState] = {}
        self.story_of: dict[str, str] = {}
        self._postings: dict[str, deque[str]] = {}
        self._recent: dict[str, None] = {}  # the RECENT_STORIES last touched, oldest first
        self.changed: set[str] = set()

    def load(self, states: Sequence[StoryState]) -> None:
        """Continue from stored stories (in their creation order)."""
        for state in states:
            new = state.id not in self.stories
            self.stories[state.id] = state
            for article_id in state.article_ids:
                self.story_of[article_id] = state.id
            self._post(state.id, state.top_terms(), new)

    def _post(self, story_id: str, terms: list[str], new: bool = False) -> None:
        """Make the story the most recent in its terms' postings; a `new` story is in none yet,
        which spares a scan of each posting (most articles open a story)."""
        self._recent.pop(story_id, None)
        self._recent[story_id] = None
        if len(self._recent) > RECENT_STORIES:
            del self._recent[next(iter(self._recent))]
        for term in terms:
            posting = self._postings.get(term)
            if posting is None:
                posting = self._postings[term] = deque(maxlen=POSTINGS_PER_TERM)
            elif not new and story_id in posting:
                posting.remove(story_id)
            posting.append(story_id)

    def _candidates(self, top: list[str], dense: np.ndarray | None) -> list[str]:
        # Counter and most_common count and rank in C; ties keep posting order (deterministic)
        hits = Counter(chain.from_iterable(self._postings.get(term, ()) for term in top))
        ranked = [story_id for story_id, _ in hits.most_common(MAX_CANDIDATES)]
        if dense is not None:
            recent = (self.stories[s] for s in self._recent)
            with_dense = [s for s in recent if s.dense is not None]
            scored = sorted(with_dense, key=lambda s: (-(s.dense_cosine(dense) or 0.0), s.id))[
                :DENSE_CANDIDATES
            ]
            ranked += [s.id for s in scored if s.id not in hits]
        return ranked

    def similarity(
        self, story: StoryState, vector: dict[str, float], dense: np.ndarray | None
    ) -> float:
        """Cosine to the story's centroid (blended with the embedding's when there is one): at
        most 1, which lets `add` skip a story whose time decay alone cannot beat the best."""
        similarity = story.term_cosine(vector)
        dense_similarity = story.dense_cosine(dense)
        if dense_similarity is not None:
            w = self.dense_weight
            similarity = (1.0 - w) * similarity + w * dense_similarity
        return similarity

    def add(
        self,
        article_id: str,
        moment: datetime | None,
        vector: dict[str, float],
        dense: np.ndarray | None = None,
        story_id: str | None = None,
        top: Sequence[str] = (),
    ) -> str:
        """Put an article into its best story (or `story_id` when given, for copies). `vector`
        is its unit term vector and `top` its strongest terms (`Features` carries both; `top`
        is found here when not given)."""
        if article_id in self.story_of:
            return self.story_of[article_id]
        top = list(top or strongest(vector))
        if story_id is None or story_id not in self.stories:
            best, best_score = None, self.threshold
            for candidate in self._candidates(top, dense):
                story = self.stories[candidate]
                decay = time_decay(moment, story, self.half_life_days)
                if decay < best_score:
                    continue  # too far in time to win even at similarity 1
                value = self.similarity(story, vector, dense) * decay
                if value >= best_score:
                    best, best_score = candidate, value
            story_id = best
        new = False
        if story_id is None:
            story_id = "s-" + article_id
            new = story_id not in self.stories
            self.stories[story_id] = StoryState(id=story_id)
        self.stories[story_id].add(article_id, moment, vector, dense)
        self.story_of[article_id] = story_id
        self._post(story_id, top, new)
        self.changed.add(story_id)
        return story_id
