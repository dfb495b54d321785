"""Stories: online, time-ordered clustering that new articles can join later.

Each article, in publication order, is compared only with the stories that share one of its
strongest terms (an inverted index of recent stories per term) and, when a dense encoder is
configured, with the nearest recent stories by embedding. The score is the article's mean
cosine similarity with the story's articles (from the sum of their term vectors), damped by
the time between them. Across languages, where terms share little but names and numbers, the
embedding's cosine (rescaled from the floor unrelated texts reach) counts when it is higher.
The article joins the best story above the threshold or opens a new one. Work per article is
bounded by the number of candidates, never by the size of the corpus.

A story does not grow by chaining: an article joins only if it is about as close to the story
as its members were when they joined (no more than `margin` below their mean score, shrunk
towards what is usual for the stories in memory while a story has few members). One that is
closer to it than its members (`margin` above their score) is a follow-up however late it
comes: the time decay does not apply to it (while the story is in memory). Reports of one
shooting are far closer to each other than to the next shooting in the same town; without
this, each report of the next one joins at the low bar of the threshold, the story's centroid
drifts with it, and a stream of same-kind events becomes one runaway story.

Placing one article at a time decides early: two outlets' first reports of one event that
share little open two stories. After each batch, a story the batch opened joins another story
when their articles, taken together, pass the same two bars an article must (`merge_opened`:
average link, the mean cosine between their articles).

Memory follows the news, not its history: a story whose last article is further back than
`horizon_days` (beyond it the time decay alone keeps any article below the threshold) leaves
memory (`forget_before`); the store keeps it, and `load` brings stories back when an article of
their time arrives. A loaded story's centroid is read only when an article is scored against it
(`loader`).
"""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Callable, Sequence
from datetime import datetime
from itertools import chain

import numpy as np

from ..vectors import SparseVector
from .story import StoryState, span_decay, time_decay

MAX_CANDIDATES = 8  # stories scored in full per article: those sharing most strong terms
POSTINGS_PER_TERM = 64  # most recent stories remembered per term
DENSE_CANDIDATES = 5
# A sentence encoder's cosine between unrelated news texts sits well above 0 (USE multilingual
# between different MEANTIME stories in two languages: median 0.27, 99th percentile 0.69;
# between translations of one article 0.78-0.94): cosines are rescaled to 0 at this floor
# (chosen on the MEANTIME dev topic, where 0.4 keeps every story's languages together).
DENSE_FLOOR = 0.4
RECENT_STORIES = 512  # stories an embedding is compared with: the most recently touched
# What a story's members usually score is shrunk towards what is usual in the stream, with the
# weight of PRIOR_JOINS joins: a story of two articles says little about itself.
PRIOR_JOINS = 3
USUAL_MIN_STORIES = 20  # the stream's usual score is read once this many stories have joins
# articles placed between two readings of it: at least this many, and a tenth of the stories
# in memory (a reading costs one pass over them)
USUAL_EVERY = 20

Loader = Callable[[Sequence[str]], dict[str, SparseVector]]


class StoryIndex:
    """Online story clustering over the stories of the active window; see the module
    docstring."""

    def __init__(
        self,
        threshold: float,
        half_life_days: float,
        loader: Loader | None = None,
        margin: float = 1.0,
    ) -> None:
        self.threshold = threshold
        self.margin = margin
        self.usual: float | None = None  # the stream's usual join score, once it is known
        self._since_usual = 0  # articles placed since it was read
        self.half_life_days = half_life_days
        self.loader = loader
        self.stories: dict[str, StoryState] = {}
        self._postings: dict[int, deque[str]] = {}
        self._recent: dict[str, None] = {}  # the RECENT_STORIES last touched, oldest first
        self.changed: set[str] = set()
        self.opened: list[str] = []  # the stories this batch opened, in order

    @property
    def horizon_days(self) -> float:
        """How far back a story can still be joined: the time decay halves every half-life,
        and past this gap it alone keeps an article's score below the threshold."""
        return self.half_life_days * math.log2(1.0 / self.threshold)

    def expected(self, story: StoryState) -> float:
        """What an article that belongs to the story scores: its members' mean join score,
        shrunk towards the stream's usual one (0 while neither is known)."""
        if self.usual is None:
            return story.join_sum / story.joins if story.joins else 0.0
        return (PRIOR_JOINS * self.usual + story.join_sum) / (PRIOR_JOINS + story.joins)

    def usual_of_stories(self) -> float | None:
        """The median of the mean join scores of the stories in memory, once enough of them
        have joins."""
        scores = [s.join_sum / s.joins for s in self.stories.values() if s.joins]
        return float(np.median(scores)) if len(scores) >= USUAL_MIN_STORIES else None

    def start_batch(self, usual: float | None) -> None:
        """A batch begins with this usual score (the stories' own, or an estimate when they
        have too few joins); it is read again from the stories every USUAL_EVERY articles (or
        a tenth of the stories in memory, when more). Reading it at the same points of a batch
        in every process keeps the stories of one ingester placing all batches and of one
        ingester per batch the same."""
        self.usual = usual
        self._since_usual = 0
        self.opened = []

    def load(self, states: Sequence[StoryState]) -> None:
        """Continue from stored stories (in their creation order); their centroids may come
        later, through `loader`."""
        for state in states:
            if state.id in self.stories:
                continue
            self.stories[state.id] = state
            self._post(state, state.top_terms())

    def _post(self, story: StoryState, terms: tuple[int, ...]) -> None:
        """Make the story the most recent in the postings of `terms`, and the most recently
        touched; it leaves the postings of terms it no longer has."""
        self._recent.pop(story.id, None)
        self._recent[story.id] = None
        if len(self._recent) > RECENT_STORIES:
            del self._recent[next(iter(self._recent))]
        keep = set(terms)
        for term in story.posted:
            if term not in keep:
                self._unpost(term, story.id)
        for term in terms:
            posting = self._postings.get(term)
            if posting is None:
                posting = self._postings[term] = deque(maxlen=POSTINGS_PER_TERM)
            elif posting[-1] == story.id:
                continue  # the most recent already (a story that keeps growing)
            elif story.id in posting:
                posting.remove(story.id)
            posting.append(story.id)
        story.posted = terms

    def _unpost(self, term: int, story_id: str) -> None:
        posting = self._postings.get(term)
        if posting is not None and story_id in posting:
            posting.remove(story_id)
            if not posting:
                del self._postings[term]

    def _candidates(
        self, top: np.ndarray, dense: np.ndarray | None, language: str | None
    ) -> list[str]:
        # Counter ranks in C; ties keep posting order (deterministic)
        hits = Counter(chain.from_iterable(self._postings.get(int(t), ()) for t in top))
        ranked = [story_id for story_id, _ in hits.most_common(MAX_CANDIDATES)]
        if dense is not None and language is not None:
            # the embedding counts across languages only: the recent stories with none of the
            # article's language, nearest first (one matrix product)
            others = [
                (story.id, story.dense)
                for story in (self.stories[s] for s in self._recent if s in self.stories)
                if story.dense is not None and language not in story.languages
            ]
            if others:
                sums = np.stack([summed for _, summed in others])
                norms = np.linalg.norm(sums, axis=1)
                cosines = (sums @ dense) / np.where(norms > 0, norms, 1.0)
                order = sorted(range(len(others)), key=lambda i: (-cosines[i], others[i][0]))
                ranked += [
                    others[i][0] for i in order[:DENSE_CANDIDATES] if others[i][0] not in hits
                ]
        return ranked

    def _read(self, story_ids: Sequence[str]) -> None:
        """Read the centroids of loaded stories that are not in memory yet."""
        missing = [s for s in story_ids if self.stories[s].centroid is None]
        if not missing:
            return
        found = self.loader(missing) if self.loader is not None else {}
        for story_id in missing:
            story = self.stories[story_id]
            story.centroid = found.get(story_id, SparseVector.empty())
            story.norm2 = story.centroid.norm2()

    def similarity(
        self,
        story: StoryState,
        vector: SparseVector,
        dense: np.ndarray | None,
        language: str | None = None,
    ) -> tuple[float, bool]:
        """The article's mean cosine with the story's articles, at most 1 (which lets `add`
        skip a story whose time decay alone cannot beat the best); and whether it compares
        across languages, where the rescaled embedding cosine counts when it is higher."""
        similarity = story.term_similarity(vector)
        if language is None or not story.languages or language in story.languages:
            return similarity, False
        dense_similarity = story.dense_cosine(dense)
        if dense_similarity is None:
            return similarity, False
        rescaled = (dense_similarity - DENSE_FLOOR) / (1.0 - DENSE_FLOOR)
        return max(similarity, rescaled), True

    def add(
        self,
        article_id: str,
        moment: datetime | None,
        vector: SparseVector,
        top: np.ndarray,
        dense: np.ndarray | None = None,
        story_id: str | None = None,
        now: float = 0.0,
        language: str | None = None,
    ) -> str:
        """Put an article into its best story (or into `story_id` when given, for copies);
        `top` holds its strongest terms and `now` the time it counts as seen."""
        self._since_usual += 1
        if self._since_usual > max(USUAL_EVERY, len(self.stories) // 10):
            self._since_usual = 1
            self.usual = self.usual_of_stories() or self.usual
        if story_id is None or story_id not in self.stories:
            best, best_score = None, self.threshold
            best_across = False
            candidates = self._candidates(top, dense, language)
            self._read(candidates)
            for candidate in candidates:
                story = self.stories[candidate]
                decay = time_decay(moment, story, self.half_life_days)
                expected = self.expected(story)
                if decay < best_score and expected + self.margin > 1.0:
                    continue  # too far in time to win even at similarity 1
                similarity, across = self.similarity(story, vector, dense, language)
                value = similarity * decay
                if similarity >= expected + self.margin:
                    value = max(value, similarity)  # closer than its members: a follow-up
                # the members' bar is in term scores: an article of another language, placed
                # by its embedding, is neither held to it nor counted in it
                if value >= best_score and (across or value >= expected - self.margin):
                    best, best_score, best_across = candidate, value, across
            if best is not None and not best_across:
                self.stories[best].joined(best_score)
            story_id = best
        if story_id is None:
            story_id = "s-" + article_id
            self.stories[story_id] = StoryState(id=story_id)
            self.opened.append(story_id)
        story = self.stories[story_id]
        self._read([story_id])
        story.add(moment, vector, dense, now, language)
        self._post(story, story.top_terms())
        self.changed.add(story_id)
        return story_id

    def merge_opened(self) -> dict[str, str]:
        """Repair what placing one article at a time decided early: a story this batch opened
        whose articles, taken together, are as close to another story's as an article must be
        to join one (the mean cosine between their articles, average link, damped by the time
        between their spans, at least the threshold, and about as close as each story's
        members are to each other) joins it. Two outlets' first reports of one event
        that share too little alone open two stories; with their follow-ups they converge.
        Only stories of this batch are merged (none of them is stored yet). Returns each
        merged story's id and the id of the story it joined."""
        merged: dict[str, str] = {}
        opened = {story_id: n for n, story_id in enumerate(self.opened)}
        for story_id in self.opened:
            story = self.stories.get(story_id)
            # a story of one article was scored as that article when it was placed
            if story is None or story.size < 2:  # None: it joined an earlier one
                continue
            candidates = [
                c
                for c in self._candidates(np.asarray(story.top_terms()), None, None)
                if c != story_id
            ]
            self._read(candidates)
            best, best_score = None, self.threshold
            for candidate in candidates:
                other = self.stories[candidate]
                if not other.size or other.centroid is None:
                    continue
                # the mean of the story's articles' mean cosines with the other's: average link
                score = story.term_similarity(other.centroid) / other.size
                score *= span_decay(story, other, self.half_life_days)
                # as for an article: about as close as each story's members are to each other
                bar = max(self.expected(story), self.expected(other)) - self.margin
                if score >= best_score and score >= bar:
                    best, best_score = candidate, score
            if best is None:
                continue
            # a story opened before this batch stays (it is stored), else the one opened first
            into, gone = (best, story_id)
            if best in opened and opened[best] > opened[story_id]:
                into, gone = story_id, best
            self._absorb(self.stories[into], self.stories[gone])
            merged[gone] = into
            for earlier, target in merged.items():
                if target == gone:
                    merged[earlier] = into
        return merged

    def _absorb(self, story: StoryState, other: StoryState) -> None:
        """`other`'s articles join `story`; `other` leaves memory (it was never stored)."""
        story.absorb(other)
        self.drop([other.id])
        self.changed.discard(other.id)
        self.changed.add(story.id)
        self._post(story, story.top_terms())

    def drop(self, story_ids: Sequence[str]) -> None:
        """Take these stories out of memory (and out of the postings)."""
        for story_id in story_ids:
            story = self.stories.pop(story_id, None)
            if story is None:
                continue
            for term in story.posted:
                self._unpost(term, story_id)
            self._recent.pop(story_id, None)

    def ending_before(self, moment: float) -> list[StoryState]:
        """The stories `forget_before(moment)` drops: last joined before `moment`, saved."""
        return [s for s in self.stories.values() if s.active < moment and s.id not in self.changed]

    def forget_before(self, moment: float) -> list[str]:
        """Drop the stories last joined before `moment` (they are in the store); returns
        their ids. Stories changed and not yet saved stay."""
        old = [s.id for s in self.ending_before(moment)]
        self.drop(old)
        return old
