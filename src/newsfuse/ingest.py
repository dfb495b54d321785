"""Ingest: articles into the store, batch by batch, placed into its stories.

Documents stream through: worker processes clean and index them a few chunks ahead while
this process stores each batch (one transaction) and places it (another). The grouping state
in memory is the active window only (`StoreGrouper`); the changed stories are marked stale and
their reports are rebuilt once at the end, on every core (`refresh_reports`). A killed run keeps
every committed batch, and the next run places what it stored but did not place.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy.exc import IntegrityError

from . import workers
from .analyze.selection import text_chars
from .config import Settings
from .encoders import load_encoder
from .group import Grouper, Placement
from .group.order import time_order
from .index import Features, index_article
from .model import Article, RawDocument, Skipped
from .pipeline import assemble_story, clean_and_index
from .store import GroupingConflict, IngestResult, Store, StoryReport
from .workers import imap

Progress = Callable[[str, int, int | None], None]
GROUPING_ATTEMPTS = 5
REPORTS_PER_TASK = 8


def _no_progress(stage: str, done: int, total: int | None) -> None:
    return None


class StoreGrouper:
    """A `Grouper` kept in step with the store: it reads the stories and originals of the
    active window for the articles at hand (and nothing older), picks up what other ingesters
    grouped meanwhile, and saves each batch under the grouping lock (`Store.save_grouping`):
    two ingesters then group as one would."""

    def __init__(self, store: Store, settings: Settings, grouper: Grouper | None = None) -> None:
        """`grouper` (one built by the caller, e.g. a Spark run's, whose copy candidates come
        with each batch) is given the store's loaders."""
        self.store = store
        self.settings = settings
        if grouper is None:
            grouper = Grouper(settings, load_encoder(settings))
        grouper.stories.loader = store.centroids
        grouper.set_state_loader(store.grouping_states)
        self.grouper = grouper
        # saved placements the caller has not taken yet, when it asks for them (a list)
        self.placed: list[Placement] | None = None
        self.seq = 0  # the store's grouping transaction the memory reflects
        self.loaded_from: float | None = None  # start of the window read from the store

    def warm(self) -> None:
        """Read the active window that ends at the store's newest story activity now, so that
        the next article placed (by a long-running server) does not wait for it."""
        latest = self.store.latest_activity()
        if latest is not None:
            self._load_window(self.grouper.window_start(latest))

    def _load_window(self, start: float) -> None:
        if self.loaded_from is None:
            seq = self.store.grouping_seq()
            self.grouper.load(*self.store.window(start))
            self.seq, self.loaded_from = seq, start
        elif start < self.loaded_from:  # older articles: their time's stories come back
            self.grouper.load(*self.store.window(start, before=self.loaded_from))
            self.loaded_from = start

    def _catch_up(self) -> None:
        """Take what other ingesters grouped since this one last looked."""
        current = self.store.grouping_seq()
        if current != self.seq:
            self.grouper.load(*self.store.changes_since(self.seq))
            self.seq = current

    def place(
        self,
        articles: Sequence[Article],
        features: Sequence[Features] | None = None,
        reports: bool = False,
        near: Mapping[str, Sequence[tuple[str, float]]] | None = None,
    ) -> int:
        """Place stored, unplaced articles and save where they went (with the changed stories'
        reports, or marking them stale); `near` as for `Grouper.place`. Returns the number of
        reports written."""
        if not articles:
            return 0
        features = list(features) if features is not None else [index_article(a) for a in articles]
        start = self.grouper.batch_window_start(articles)
        self._forget_before(start)
        self._load_window(start)
        self._catch_up()
        known = self.store.originals_by_hash([f.exact_hash for f in features])
        for attempt in range(GROUPING_ATTEMPTS):
            placements = self.grouper.place(articles, features, known, near)
            states = self.grouper.changed_states()
            built = self._reports(articles, placements) if reports else []
            try:
                written, self.seq = self.store.save_grouping(
                    placements, states, built, expected_seq=self.seq
                )
            except (GroupingConflict, IntegrityError):
                # another ingester grouped first (maybe some of these very articles)
                self.grouper.undo(placements, self.store.grouping_states)
                if attempt + 1 == GROUPING_ATTEMPTS:
                    raise
                self._catch_up()
                unplaced = {a.id for a in self.store.ungrouped_articles(articles)}
                keep = [i for i, a in enumerate(articles) if a.id in unplaced]
                articles = [articles[i] for i in keep]
                features = [features[i] for i in keep]
                if not articles:
                    return 0
                continue
            self.grouper.saved()
            if self.placed is not None:
                self.placed.extend(placements)
            return written
        return 0

    def _forget_before(self, start: float) -> None:
        """Memory holds what this batch needs, from `start` on, and nothing older: forgetting
        before a batch (not after it) keeps what a batch of old articles reads until a later
        batch no longer needs it, and gives every batch the same window whether one ingester
        placed the batches before it or not."""
        if self.loaded_from is not None and start > self.loaded_from:
            self.grouper.forget_old(before=start)
            self.loaded_from = start  # what is older has to be read again

    def _reports(self, articles: Sequence[Article], placements: Sequence[Placement]) -> list:
        changed = sorted(self.grouper.stories.changed)
        members = self.store.members(changed)
        new_by_id = {a.id: a for a in articles}
        for item in placements:
            article = new_by_id[item.article_id].model_copy(
                update={"duplicate_of": item.duplicate_of}
            )
            members.setdefault(item.story_id, []).append(article)
        return [
            StoryReport.of(
                assemble_story(
                    s, members[s], self.grouper.stories.stories[s].centroid, self.settings
                )
            )
            for s in changed
        ]


@dataclass
class IngestSummary:
    added: int = 0
    already_stored: int = 0
    reports_written: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    # seconds this process spent per stage (reading and cleaning is mostly waiting for the
    # workers; the reports are built in the workers too)
    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - start


def ingest_articles(
    store: Store,
    articles: Sequence[Article],
    grouper: StoreGrouper | Settings,
    *,
    reports: bool = True,
    features: Sequence[Features] | None = None,
    leftovers: bool = True,
    near: Mapping[str, Sequence[tuple[str, float]]] | None = None,
) -> tuple[IngestResult, int]:
    """Store one batch and place it (and, with `leftovers`, first what a killed run left);
    with `reports`, the changed stories' reports are written in the same transaction. Returns
    the store's counts and the number of reports written."""
    synced = grouper if isinstance(grouper, StoreGrouper) else StoreGrouper(store, grouper)
    written = _place_leftovers(store, synced, reports) if leftovers else 0
    unique: dict[str, int] = {}
    for i, article in enumerate(articles):
        unique.setdefault(article.id, i)
    batch = [articles[i] for i in unique.values()]
    result = store.add_articles(batch)
    if result.added_ids == {a.id for a in batch}:
        pending, pending_features = (
            batch,
            (None if features is None else [features[i] for i in unique.values()]),
        )
    else:  # some were stored before: place only those not placed yet
        pending = store.ungrouped_articles(batch)
        by_id = {a.id: i for a, i in zip(batch, unique.values(), strict=True)}
        pending_features = None if features is None else [features[by_id[a.id]] for a in pending]
    written += synced.place(pending, pending_features, reports, near)
    return result, written


def _place_leftovers(store: Store, synced: StoreGrouper, reports: bool) -> int:
    """What a killed run stored but did not place."""
    leftovers = store.ungrouped_articles()
    order = time_order(leftovers)
    return synced.place([leftovers[i] for i in order], None, reports) if leftovers else 0


def ingest_documents(
    store: Store,
    documents: Iterable[RawDocument | Skipped],
    grouper: StoreGrouper | Settings,
    progress: Progress = _no_progress,
) -> IngestSummary:
    """Clean (in the workers), store and place documents batch by batch, each batch one
    transaction, then rebuild the changed stories' reports once. With no documents it still
    places and reports what a killed run left. `documents` is read as it goes."""
    synced = grouper if isinstance(grouper, StoreGrouper) else StoreGrouper(store, grouper)
    settings = synced.settings
    summary = IngestSummary()
    with summary.timed("group"):
        _place_leftovers(store, synced, reports=False)
    done = 0
    batches = _cleaned_batches(documents, settings, summary)
    with _long_lived():
        while True:
            with summary.timed("read, clean and index"):
                batch = next(batches, None)
            if batch is None:
                break
            articles = [article for article, _ in batch]
            with summary.timed("store"):
                result = store.add_articles(articles)
            with summary.timed("group"):
                pending = _unplaced(store, articles, result)
                features = {article.id: f for article, f in batch}
                synced.place(pending, [features[a.id] for a in pending])
            summary.added += result.added
            summary.already_stored += result.already_stored
            done += len(batch)
            progress("ingest", done, None)
            gc.collect()  # the batch's own garbage first: frozen, it would never go
            gc.freeze()  # see _long_lived
        if not isinstance(grouper, StoreGrouper):
            # the grouping state is this call's own: its memory goes before the reports
            del synced
            gc.unfreeze()
            workers.give_back_memory()  # before the report workers fork
            gc.freeze()
        with summary.timed("reports"):
            # fresh workers for the reports: the cleaning caches go; forked with the heap
            # frozen, so that they share what they inherit instead of copying it (_long_lived)
            workers.restart()
            summary.reports_written = refresh_reports(store, settings, progress)
    return summary


def _unplaced(store: Store, batch: Sequence[Article], stored: IngestResult) -> list[Article]:
    """The articles of a batch just stored that are not placed yet: all of them when all were
    new (the store need not be asked; should another ingester place one meanwhile, saving the
    grouping fails and the retry asks)."""
    if stored.added_ids == {a.id for a in batch}:
        return list(batch)
    return store.ungrouped_articles(batch)


def _job_size(job: tuple[RawDocument, Settings]) -> int:
    return len(job[0].content)


def _cleaned_batches(
    documents: Iterable[RawDocument | Skipped], settings: Settings, summary: IngestSummary
) -> Iterator[list[tuple[Article, Features]]]:
    """Batches of cleaned, indexed articles, each article once (cleaned in the workers)."""

    def jobs() -> Iterator[tuple[RawDocument, Settings]]:
        for document in documents:
            if isinstance(document, Skipped):
                summary.skipped.append(document)
            else:
                yield document, settings

    batch: dict[str, tuple[Article, Features]] = {}
    for result in imap(clean_and_index, jobs(), size=_job_size):
        if isinstance(result, Skipped):
            summary.skipped.append(result)
            continue
        batch.setdefault(result[0].id, result)
        if len(batch) >= settings.ingest_batch:
            yield list(batch.values())
            batch = {}
    if batch:
        yield list(batch.values())


@contextmanager
def _long_lived() -> Iterator[None]:
    """The grouping state is millions of long-lived objects; Python's full collections would
    scan them again and again. Frozen after each batch (once the batch's garbage is collected:
    a collection skips frozen objects, so it stays cheap), they are left out until the ingest
    ends and the collector sees everything again. The report workers are forked inside: a
    collection in a worker would otherwise walk every inherited object and so write to (copy)
    every page of the parent's heap, a private copy of the grouping state per worker."""
    try:
        yield
    finally:
        gc.unfreeze()


# A story whose analysis read this much text (seconds of work) gives its freed memory back
# after it; after every story, that would cost more than many small stories' analyses.
LARGE_ANALYSIS_CHARS = 1_000_000


@lru_cache(maxsize=4)
def _worker_store(url: str) -> Store:
    return Store(url)


def _reports_of(store: Store, settings: Settings, story_ids: list[str]) -> list[StoryReport]:
    """The reports of these stories, one story's articles in memory at a time (of a long
    story, only the text of those its analysis reads)."""
    centroids = store.centroids(story_ids)
    reports = []
    for story_id in story_ids:
        members, analysed = store.report_members(
            story_id, settings.report_max_articles, settings.report_max_chars
        )
        if members:
            centroid = centroids.get(story_id)
            story = assemble_story(story_id, members, centroid, settings, analysed)
            reports.append(StoryReport.of(story))
            if text_chars(analysed) >= LARGE_ANALYSIS_CHARS:
                del members, analysed, story
                workers.give_back_memory()  # its peak is not kept for the next stories
    return reports


def build_reports(job: tuple[str, Settings, list[str]]) -> list[StoryReport]:
    """The reports of some stories, read from the store (the work of one worker, which opens
    the store for itself)."""
    url, settings, story_ids = job
    return _reports_of(_worker_store(url), settings, story_ids)


def refresh_reports(
    store: Store,
    settings: Settings,
    progress: Progress = _no_progress,
    parallel: bool = True,
    executor: Executor | None = None,
) -> int:
    """Rebuild the reports of stale stories, on every core (unless not `parallel`: a server
    does not fork; it may give an `executor` of its own, whose process builds them without
    taking the server's interpreter from its requests): a story that grew over many batches
    of one ingest is analysed once, at the end."""
    total = len(store.stale_stories())
    if not total:
        return 0
    in_memory = ":memory:" in store.url or store.url.rstrip("/").endswith("sqlite:")

    def tasks() -> Iterator[tuple[str, Settings, list[str]]]:
        after = None
        while True:
            page = store.stale_stories(REPORTS_PER_TASK, after=after)
            if not page:
                return
            yield store.url, settings, [story_id for _, story_id in page]
            after = page[-1]

    results: Iterable[list[StoryReport]]
    if in_memory or (not parallel and executor is None):
        results = (_reports_of(store, settings, ids) for _, _, ids in tasks())
    elif executor is not None:
        results = (executor.submit(build_reports, task).result() for task in tasks())
    else:
        results = imap(build_reports, tasks(), chunk=1, parallel_min=2)

    def built() -> Iterator[StoryReport]:
        done = 0
        for reports in results:
            yield from reports
            done += REPORTS_PER_TASK
            progress("reports", min(done, total), total)

    return store.save_report_stream(built())
