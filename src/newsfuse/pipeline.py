"""The one place that knows the order of the stages: read -> clean -> index -> group -> analyze
-> summarize -> publish. Each stage is a plain function over plain data; the grouping state that
must outlive a batch lives in a `Grouper`, seeded from and saved to the store."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sqlalchemy.exc import IntegrityError

from . import __version__
from .analyze import analyze_story
from .clean import clean_document
from .config import Settings
from .encoders import Encoder, load_encoder
from .group.cluster import StoryIndex, StoryState
from .group.dedupe import DuplicateIndex, time_order
from .index import Features, index_articles, signature_bytes, signature_from_bytes
from .model import Article, Claim, RawDocument, Report, Skipped, Story, SummarySentence
from .read import read_paths
from .store import Assignment, IngestResult, Store
from .summarize import LLMError, extractive_summary, rewrite_summary, story_title
from .summarize.extractive import summary_language

Progress = Callable[[str, int, int | None], None]
Input = str | Path | RawDocument


def _no_progress(stage: str, done: int, total: int | None) -> None:
    return None


def read_inputs(
    inputs: Iterable[Input], settings: Settings
) -> tuple[list[RawDocument], list[Skipped]]:
    """Paths are read from disk; RawDocuments pass through as they are."""
    documents: list[RawDocument] = []
    skipped: list[Skipped] = []
    paths: list[str | Path] = []
    for item in inputs:
        if isinstance(item, RawDocument):
            documents.append(item)
        else:
            paths.append(item)
    for found in read_paths(paths, settings):
        if isinstance(found, Skipped):
            skipped.append(found)
        else:
            documents.append(found)
    return documents, skipped


def clean_documents(
    documents: Sequence[RawDocument], settings: Settings, progress: Progress = _no_progress
) -> tuple[list[Article], list[Skipped]]:
    """Clean each document; the same article read twice is kept once."""
    articles: dict[str, Article] = {}
    skipped: list[Skipped] = []
    for done, raw in enumerate(documents, start=1):
        try:
            result = clean_document(raw, settings)
        except Exception as exc:  # one broken page must not end the run
            result = Skipped(source=raw.source, reason=f"could not be cleaned ({exc!r})")
        if isinstance(result, Skipped):
            skipped.append(result)
        else:
            articles.setdefault(result.id, result)
        progress("clean", done, len(documents))
    return list(articles.values()), skipped


def encoding_text(article: Article) -> str:
    """What a dense encoder sees: the title and the opening of the text."""
    return f"{article.title or ''}\n{article.text[:1500]}"


class Grouper:
    """Duplicates and stories, continued across batches (and, through the store, runs)."""

    def __init__(self, settings: Settings, encoder: Encoder | None = None) -> None:
        self.settings = settings
        self.encoder = encoder
        self.duplicates = DuplicateIndex(settings.duplicate_threshold)
        self.stories = StoryIndex(settings.story_threshold, settings.story_window_days)

    @classmethod
    def from_store(cls, store: Store, settings: Settings) -> Grouper:
        grouper = cls(settings, load_encoder(settings))
        grouper.reload(store)
        return grouper

    def reload(self, store: Store) -> None:
        """Take the grouping state (originals, stories) as the store has it now."""
        self.duplicates = DuplicateIndex(self.settings.duplicate_threshold)
        self.stories = StoryIndex(self.settings.story_threshold, self.settings.story_window_days)
        for article_id, signature, shingles, exact_hash in store.originals():
            self.duplicates.add_original(
                article_id,
                Features(article_id, {}, signature_from_bytes(signature), shingles, exact_hash),
            )
        self.stories.load([StoryState.from_dict(s) for s in store.story_states()])

    def group(
        self, articles: Sequence[Article], indexed: Iterable[Features] | None = None
    ) -> tuple[list[Assignment], list[Features]]:
        """Place each article (in publication order); returns where each went. `indexed` holds
        features already computed for these articles (and maybe others); without it, indexing
        runs here, streamed from the worker processes as they finish."""
        order = time_order(articles)
        dense = (
            self.encoder.encode([encoding_text(a) for a in articles])
            if self.encoder is not None and articles
            else None
        )
        features: list[Features | None] = [None] * len(articles)
        ordered = [articles[i] for i in order]
        if indexed is None:
            stream: Iterable[Features] = index_articles(ordered)
        else:
            by_id = {f.article_id: f for f in indexed}
            stream = (by_id[a.id] for a in ordered)
        assignments: list[Assignment] = []
        for i, feature in zip(order, stream, strict=True):
            article = articles[i]
            features[i] = feature
            original = self.duplicates.add(article.id, feature)
            story_id = self.stories.add(
                article.id,
                article.published_at,
                feature.terms,
                None if dense is None else np.asarray(dense[i]),
                story_id=self.stories.story_of.get(original) if original else None,
                top=feature.top,
            )
            assignments.append(
                Assignment(
                    article_id=article.id,
                    story_id=story_id,
                    duplicate_of=original,
                    signature=signature_bytes(feature.signature),
                    shingles=feature.shingle_count,
                    exact_hash=feature.exact_hash,
                    title=article.title or _opening(article),
                )
            )
        return assignments, [f for f in features if f is not None]


def _opening(article: Article) -> str:
    """What stands for a title until a story's report is written: the first sentence."""
    span = article.sentences[0] if article.sentences else None
    return (article.text[span.start : span.end] if span else article.text)[:200]


def summarize(
    articles: Sequence[Article], claims: Sequence[Claim], settings: Settings
) -> list[SummarySentence]:
    """The extractive summary, rewritten by a language model only when configured so."""
    summary = extractive_summary(articles, claims, settings.summary_words)
    if settings.summary_mode != "abstractive":
        return summary
    if not settings.llm_base_url or not settings.llm_model:
        raise LLMError("summary_mode 'abstractive' needs llm_base_url and llm_model")
    return rewrite_summary(
        summary,
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=settings.llm_api_key,
        language=summary_language(articles),
        words=settings.summary_words,
    )


def assemble_story(
    story_id: str, members: Sequence[Article], centroid: dict[str, float], settings: Settings
) -> Story:
    """Analyze and summarize one story from its member articles (copies marked)."""
    ordered = [members[i] for i in time_order(members)]
    analysis = analyze_story(ordered)
    return Story(
        id=story_id,
        title=story_title(ordered, centroid),
        articles=ordered,
        summary=summarize(ordered, analysis.claims, settings),
        claims=analysis.claims,
        quotes=analysis.quotes,
        conflicts=analysis.conflicts,
        timeline=analysis.timeline,
        entities=analysis.entities,
        coverage=analysis.coverage,
    )


def build_stories(articles: Sequence[Article], settings: Settings) -> list[Story]:
    """Group a batch of articles in memory: articles in, stories out (largest first)."""
    if not articles:
        return []
    grouper = Grouper(settings, load_encoder(settings))
    assignments, _ = grouper.group(articles)
    by_id = {a.id: a for a in articles}
    members: dict[str, list[Article]] = {}
    for item in assignments:
        article = by_id[item.article_id].model_copy(update={"duplicate_of": item.duplicate_of})
        members.setdefault(item.story_id, []).append(article)
    stories = [
        assemble_story(story_id, items, grouper.stories.stories[story_id].centroid, settings)
        for story_id, items in members.items()
    ]
    stories.sort(key=lambda s: (-len(s.articles), s.id))
    return stories


def ingest_articles(
    store: Store, articles: Sequence[Article], grouper: Grouper, *, reports: bool = True
) -> tuple[IngestResult, int]:
    """Store one batch and place it (and what a killed run left) into stories; see
    `ingest_batches`. Returns the ingest counts and the number of reports written."""
    [(result, written)] = ingest_batches(store, [articles], grouper, reports=reports)
    return result, written


def ingest_batches(
    store: Store,
    batches: Iterable[Sequence[Article]],
    grouper: Grouper,
    *,
    reports: bool = False,
) -> Iterator[tuple[IngestResult, int]]:
    """Store batch after batch and place each one's new articles into stories, rebuilding the
    reports of the stories it changed (with `reports=False` they are only marked stale, for
    `refresh_reports`). Yields each batch's ingest counts and reports written.

    Storing a batch and placing it are two transactions: a killed run keeps what it committed,
    and the next run first places what was stored but not placed. While batch k is grouped
    here, batch k+1 is indexed by the worker processes and written by a second thread (the
    database does that work outside the GIL). The two writes never overlap, and which articles
    batch k places does not depend on timing, so the result is the same as one batch after
    another."""
    written = _place(store, grouper, None, reports)  # what a killed run left
    pending = iter(batches)
    batch = next(pending, None)
    if batch is None:
        return
    with ThreadPoolExecutor(1, thread_name_prefix="newsfuse-store") as writer, _long_lived():
        indexing = index_articles(batch)  # the worker processes start on it now
        storing = writer.submit(store.add_articles, batch)
        while batch is not None:
            result = storing.result()
            placing, placing_features = batch, indexing
            batch = next(pending, None)
            if batch is not None:
                # batch k+1 is indexed by the workers and stored by the writer thread while
                # batch k is grouped here: indexing needs neither the store nor the stories
                indexing = index_articles(batch)
                storing = writer.submit(store.add_articles, batch)
            written += _place(
                store, grouper, placing, reports, storing, placing_features, stored=result
            )
            gc.freeze()  # see _long_lived
            yield result, written
            written = 0


@contextmanager
def _long_lived() -> Iterator[None]:
    """During an ingest the grouping state grows by millions of objects that live to the end
    (LSH band sets, story states). Python's full collections would scan them all again and again
    (6% of the time at 50k articles); frozen after each batch, they are left out until the
    ingest ends and the collector sees everything again."""
    try:
        yield
    finally:
        gc.unfreeze()


GROUPING_ATTEMPTS = 3


def _place(
    store: Store,
    grouper: Grouper,
    among: Sequence[Article] | None,
    reports: bool,
    writing: Future[IngestResult] | None = None,
    indexed: Iterable[Features] | None = None,
    stored: IngestResult | None = None,
) -> int:
    """Group the stored, not yet placed articles of `among` (all of them with None) and save
    where they went. `writing` is a write in flight that must end before this one starts;
    `indexed` holds the features of `among`, computed ahead; `stored` is what storing `among`
    found: when every article was new, none is placed yet and the store need not be asked
    (should another ingester place one meanwhile, saving fails and the retry asks)."""
    features = None if indexed is None else list(indexed)
    all_new = among is not None and stored is not None and stored.already_stored == 0
    for attempt in range(GROUPING_ATTEMPTS):
        try:
            if attempt == 0 and all_new and among is not None:
                pending = sorted(among, key=lambda a: a.id)  # as the store would list them
            else:
                pending = store.ungrouped_articles(among)
            return _group_pending(store, pending, grouper, reports, writing, features)
        except IntegrityError:
            # another ingester grouped some of these articles first: continue from its state
            if attempt + 1 == GROUPING_ATTEMPTS:
                raise
            grouper.reload(store)
    return 0


def _group_pending(
    store: Store,
    pending: Sequence[Article],
    grouper: Grouper,
    reports: bool,
    writing: Future[IngestResult] | None,
    features: Sequence[Features] | None,
) -> int:
    if not pending:
        return 0
    grouper.stories.changed.clear()
    assignments, _ = grouper.group(pending, features)
    changed = sorted(grouper.stories.changed)
    states = [grouper.stories.stories[s].to_dict() for s in changed]
    built: list[Story] = []
    if reports:
        members = store.members(changed)
        new_by_id = {a.id: a for a in pending}
        for item in assignments:
            article = new_by_id[item.article_id].model_copy(
                update={"duplicate_of": item.duplicate_of}
            )
            members.setdefault(item.story_id, []).append(article)
        built = [
            assemble_story(s, members[s], grouper.stories.stories[s].centroid, grouper.settings)
            for s in changed
        ]
    if writing is not None:
        wait([writing])  # one writer at a time; its error surfaces where its result is read
    return store.save_grouping(assignments, states, built)


REPORTS_PER_TRANSACTION = 50


def refresh_reports(store: Store, settings: Settings, progress: Progress = _no_progress) -> int:
    """Rebuild the reports of stale stories, a few per transaction. A story that grew over many
    batches of one ingest is analysed once, at the end, not once per batch."""
    written, done = 0, 0
    total = len(store.stale_stories())
    page = store.stale_stories(REPORTS_PER_TRANSACTION)
    while page:
        ids = [story_id for _, story_id in page]
        members = store.members(ids)
        centroids = {state["id"]: state["centroid"] for state in store.story_states(ids)}
        written += store.save_reports(
            [assemble_story(s, members[s], centroids.get(s, {}), settings) for s in ids]
        )
        done += len(ids)
        progress("reports", done, max(total, done))
        # onwards from this page: a story another ingester made stale again waits for the next
        page = store.stale_stories(REPORTS_PER_TRANSACTION, after=page[-1])
    return written


@dataclass
class IngestSummary:
    added: int = 0
    already_stored: int = 0
    reports_written: int = 0
    skipped: list[Skipped] = field(default_factory=list)


def ingest_documents(
    store: Store,
    grouper: Grouper,
    documents: Sequence[RawDocument],
    progress: Progress = _no_progress,
) -> IngestSummary:
    """Clean and ingest documents batch by batch, each batch one transaction: a killed run
    keeps every batch it committed. Stories are analysed once, after the last batch. With no
    documents it still groups and reports what a killed run left."""
    summary = IngestSummary()
    size = grouper.settings.ingest_batch

    def cleaned_batches() -> Iterator[list[Article]]:
        for start in range(0, len(documents), size):
            articles, not_cleaned = clean_documents(
                documents[start : start + size], grouper.settings
            )
            summary.skipped += not_cleaned
            yield articles

    done = 0
    for result, _ in ingest_batches(store, cleaned_batches(), grouper):
        summary.added += result.added
        summary.already_stored += result.already_stored
        done = min(done + size, len(documents))
        progress("ingest", done, len(documents))
    summary.reports_written = refresh_reports(store, grouper.settings, progress)
    return summary


def make_report(stories: list[Story], skipped: list[Skipped]) -> Report:
    return Report(generator=f"newsfuse {__version__}", stories=stories, skipped=skipped)


def fuse(
    inputs: Iterable[Input],
    settings: Settings | None = None,
    progress: Progress = _no_progress,
) -> Report:
    """Run the whole pipeline over files, folders, feeds, archives or raw documents."""
    settings = settings or Settings()
    documents, skipped = read_inputs(inputs, settings)
    articles, not_cleaned = clean_documents(documents, settings, progress)
    return make_report(build_stories(articles, settings), skipped + not_cleaned)
