"""Duplicates and stories together, over the active window: what one ingest (or one `run`)
keeps in memory while it places articles. Pure in-memory state; the store behind it is reached
only through the loaders it is given (`ingest` wires them)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix

from ..config import Settings
from ..encoders import Encoder
from ..index import Features, signature_bytes
from ..model import Article
from ..vectors import SparseVector
from .cluster import USUAL_MIN_STORIES, Loader, StoryIndex
from .dedupe import DuplicateIndex, Original
from .order import time_order
from .story import SECONDS_PER_DAY, StoryState
from .stream import StreamStatistics

COPY_SIMILARITY = 0.95  # a pair this alike is a copy, not two reports
# An article's best match overstates its mean score with a story's members; this factor was
# chosen on the dev parts of the labelled sets (benchmarks/group.py; 0.7-0.85 score alike).
BEST_TO_MEAN = 0.75
USUAL_SAMPLE = 500  # the first articles of a batch it is read from (a square matrix of them)
StateLoader = Callable[[Sequence[str]], list[StoryState]]


@dataclass
class Placement:
    """Where one article went: its story, the original it copies, its grouping features."""

    article_id: str
    story_id: str
    duplicate_of: str | None
    signature: bytes
    shingles: int
    exact_hash: str
    seen_at: float  # POSIX time it counts as seen (publication, or the clock when undated)
    terms: bytes = b""  # its term ids: what the stream statistics count (originals only)
    title: str = ""  # shown for a new story until its report is written


@dataclass
class StoredOriginal:
    """An original as the store gives it back."""

    article_id: str
    signature: np.ndarray  # uint32 values
    shingles: int
    exact_hash: str
    seen_at: float
    story_id: str | None
    terms: np.ndarray  # its term ids (int64)
    outlet: str | None = None


def encoding_text(article: Article) -> str:
    """What a dense encoder sees: the title and the opening of the text."""
    return f"{article.title or ''}\n{article.text[:1500]}"


def opening(article: Article) -> str:
    """What stands for a title until a story's report is written: the first sentence."""
    span = article.sentences[0] if article.sentences else None
    return (article.text[span.start : span.end] if span else article.text)[:200]


def usual_from_batch(vectors: Sequence[SparseVector], threshold: float) -> float | None:
    """Before any story has members (a fresh store), what an article of a story usually
    scores with it, read from the batch: each article's best similarity to another one (copies
    left out), over those with one above the threshold; their median, times BEST_TO_MEAN."""
    if len(vectors) < USUAL_MIN_STORIES:
        return None
    ids, columns = np.unique(np.concatenate([v.ids for v in vectors]), return_inverse=True)
    rows = np.repeat(np.arange(len(vectors)), [len(v) for v in vectors])
    weights = np.concatenate([v.weights for v in vectors]).astype(np.float64)
    matrix = csr_matrix((weights, (rows, columns)), shape=(len(vectors), len(ids)))
    similarity = (matrix @ matrix.T).toarray()
    np.fill_diagonal(similarity, 0.0)
    similarity[similarity > COPY_SIMILARITY] = 0.0
    best = similarity.max(axis=1)
    best = best[best >= threshold]
    if len(best) < USUAL_MIN_STORIES:
        return None
    return float(np.median(best)) * BEST_TO_MEAN


class Grouper:
    """Near-duplicates and stories of the active window, placed one article at a time.

    `clock` is the newest publication time seen: undated articles count as seen then, and
    what is further back than the window (`keep_days`) is forgotten by `forget_old`."""

    def __init__(
        self,
        settings: Settings,
        encoder: Encoder | None = None,
        centroids: Loader | None = None,
        states: StateLoader | None = None,
        band_duplicates: bool = True,
    ) -> None:
        """`band_duplicates` False: near-copy candidates come with each batch (`place`'s
        `near`, from the Spark run's banding) instead of from this process's LSH index."""
        self.settings = settings
        self.encoder = encoder
        self.duplicates = DuplicateIndex(settings.duplicate_threshold, banded=band_duplicates)
        self.stories = StoryIndex(
            settings.story_threshold,
            settings.story_window_days,
            loader=centroids,
            margin=settings.story_member_margin,
        )
        self._states = states
        self.stream = StreamStatistics()
        self.clock = 0.0

    def set_state_loader(self, states: StateLoader) -> None:
        """Where stories forgotten from memory come back from (the store)."""
        self._states = states

    @property
    def keep_days(self) -> float:
        """How long a story stays in memory after its last article: the horizon past which it
        cannot be joined, and one half-life more for articles that arrive out of order."""
        return self.stories.horizon_days + self.settings.story_window_days

    def window_start(self, moment: float) -> float:
        """The earliest time an article seen at `moment` needs in memory."""
        return moment - self.keep_days * SECONDS_PER_DAY

    def batch_window_start(self, articles: Sequence[Article]) -> float:
        """The earliest time a batch needs in memory: the window of its oldest dated article
        (of the clock, when none is dated)."""
        dated = [a.published_at.timestamp() for a in articles if a.published_at]
        return self.window_start(min(dated) if dated else self.clock)

    def load(self, states: Sequence[StoryState], originals: Iterable[StoredOriginal]) -> None:
        """Take stories and originals from the store (the active window, or what another
        ingester changed)."""
        for state in states:
            self.stories.stories.pop(state.id, None)
        self.stories.load(states)
        originals = list(originals)
        if originals:
            self.duplicates.add_stored_many(
                [o.article_id for o in originals],
                np.stack([o.signature for o in originals]),
                [o.shingles for o in originals],
                [o.exact_hash for o in originals],
                [o.seen_at for o in originals],
                [o.story_id for o in originals],
            )
            self.stream.add_many(
                [o.article_id for o in originals],
                [o.seen_at for o in originals],
                [o.terms for o in originals],
                [o.outlet for o in originals],
            )
        for state in states:
            self.clock = max(self.clock, state.active)

    def place(
        self,
        articles: Sequence[Article],
        features: Sequence[Features],
        known: Mapping[str, Original] | None = None,
        near: Mapping[str, Sequence[tuple[str, float]]] | None = None,
    ) -> list[Placement]:
        """Place each article, in publication order; `features` are in the order of
        `articles`; `known` maps exact hashes to originals the store has outside the window;
        `near` (when the index is not banded) maps an article id to its near-copy candidates
        among earlier articles, with their scores."""
        known = known or {}
        dense = (
            self.encoder.encode([encoding_text(a) for a in articles])
            if self.encoder is not None and self._multilingual(articles)
            else None
        )
        order = time_order(articles)
        # The batch counts in the stream's statistics before its articles are placed, so that
        # a fresh store's first batch is weighed as a stream too; copies are uncounted after.
        for i in order:
            moment = articles[i].published_at
            seen = moment.timestamp() if moment is not None else self.clock
            self.stream.add(articles[i].id, seen, features[i].vector.ids, articles[i].outlet)
        # the stream statistics stay as they are until the batch is placed: a vector weighed
        # for the usual score's estimate is the one placed
        vectors: dict[int, SparseVector] = {}
        usual = self.stories.usual_of_stories()
        if usual is None:
            for i in order[:USUAL_SAMPLE]:
                vectors[i] = self._distinctive(articles[i], features[i])
            usual = usual_from_batch(list(vectors.values()), self.stories.threshold)
        self.stories.start_batch(usual)
        placements, copies = [], set()
        for i in order:
            article, feature = articles[i], features[i]
            moment = article.published_at
            now = moment.timestamp() if moment is not None else self.clock
            candidates = None if near is None else near.get(article.id, ())
            original = self.duplicates.find(feature, candidates) or known.get(feature.exact_hash)
            forced = original.story_id if original else None
            if forced is not None and forced not in self.stories.stories:
                self.stories.load(self._states([forced]) if self._states else [])
            vector = vectors.pop(i) if i in vectors else self._distinctive(article, feature)
            top = vector.top_ids(len(feature.top)) if vector is not feature.vector else feature.top
            story_id = self.stories.add(
                article.id,
                moment,
                vector,
                top,
                None if dense is None else np.asarray(dense[i]),
                story_id=forced,
                now=now,
                language=article.language,
            )
            if original is None:
                self.duplicates.add_original(article.id, feature, now, story_id)
            else:
                copies.add(article.id)
            if moment is not None:
                self.clock = max(self.clock, now)
            placements.append(
                Placement(
                    article_id=article.id,
                    story_id=story_id,
                    duplicate_of=original.article_id if original else None,
                    signature=signature_bytes(feature.signature),
                    shingles=feature.shingle_count,
                    exact_hash=feature.exact_hash,
                    seen_at=now,
                    terms=b"" if original else feature.vector.ids.astype("<i8").tobytes(),
                    title=article.title or opening(article),
                )
            )
        if copies:
            self.stream.forget(copies)
        merged = self.stories.merge_opened()
        if merged:
            for placement in placements:
                into = merged.get(placement.story_id)
                if into is not None:
                    placement.story_id = into
                    if placement.duplicate_of is None:
                        self.duplicates.place(placement.article_id, into)
        return placements

    def _multilingual(self, articles: Sequence[Article]) -> bool:
        """Whether the batch holds more than one language, or its one language is missing from
        a story in memory: an encoder links an article only to stories of other languages, so
        a one-language stream is not encoded (it costs more than the rest of grouping), nor is
        one where a few articles of another language joined stories of the stream's language
        (a one-line brief that language detection got wrong)."""
        languages = {a.language for a in articles if a.language}
        if len(languages) > 1:
            return True
        return any(
            story.languages and not languages <= story.languages
            for story in self.stories.stories.values()
        )

    def _distinctive(self, article: Article, feature: Features) -> SparseVector:
        return self.stream.distinctive(feature.vector, feature.names, article.outlet)

    def changed_states(self) -> list[StoryState]:
        return [self.stories.stories[s] for s in sorted(self.stories.changed)]

    def saved(self) -> None:
        """The changed stories are in the store now."""
        self.stories.changed.clear()

    def undo(self, placements: Sequence[Placement], stored: StateLoader) -> None:
        """Forget a batch whose grouping was not saved: its originals, and the stories it
        touched (those the store has come back as they are there)."""
        self.duplicates.forget([p.article_id for p in placements])
        self.stream.forget({p.article_id for p in placements})
        touched = sorted(self.stories.changed)
        self.stories.drop(touched)
        self.stories.changed.clear()
        self.stories.load(stored(touched))

    def forget_old(self, before: float | None = None) -> tuple[int, int]:
        """Drop what is older than the window (or than `before`); returns (stories,
        originals) dropped."""
        cutoff = self.window_start(self.clock) if before is None else before
        if not math.isfinite(cutoff):
            return 0, 0
        self.stream.forget_before(cutoff)
        return len(self.stories.forget_before(cutoff)), self.duplicates.forget_before(cutoff)
