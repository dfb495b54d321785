"""The one place that knows the order of the stages: read -> clean -> index -> group -> analyze
-> summarize -> publish. Each stage is a plain function over plain data; the grouping state that
must outlive a batch lives in a `Grouper`, seeded from and saved to the store."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
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

    def group(self, articles: Sequence[Article]) -> tuple[list[Assignment], list[Features]]:
        """Place each article (in publication order); returns where each went."""
        order = time_order(articles)
        dense = (
            self.encoder.encode([encoding_text(a) for a in articles])
            if self.encoder is not None and articles
            else None
        )
        features: list[Features | None] = [None] * len(articles)
        assignments: list[Assignment] = []
        for i, feature in zip(order, index_articles([articles[i] for i in order]), strict=True):
            article = articles[i]
            features[i] = feature
            original = self.duplicates.add(article.id, feature)
            story_id = self.stories.add(
                article.id,
                article.published_at,
                feature.terms,
                None if dense is None else np.asarray(dense[i]),
                story_id=self.stories.story_of.get(original) if original else None,
            )
            assignments.append(
                Assignment(
                    article_id=article.id,
                    story_id=story_id,
                    duplicate_of=original,
                    signature=signature_bytes(feature.signature),
                    shingles=feature.shingle_count,
                    exact_hash=feature.exact_hash,
                )
            )
        return assignments, [f for f in features if f is not None]


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
    """Store a batch, then place every not-yet-grouped article and rebuild the reports of the
    stories it changed (with `reports=False` they are only marked stale, for
    `refresh_reports`). Each step is a transaction: a killed run keeps what it committed, and
    a re-run groups what was stored but not yet grouped. Returns the ingest counts and the
    number of reports written."""
    result = store.add_articles(articles)
    for attempt in range(GROUPING_ATTEMPTS):
        try:
            return result, _group_pending(store, articles, grouper, reports)
        except IntegrityError:
            # another ingester grouped some of these articles first: continue from its state
            if attempt + 1 == GROUPING_ATTEMPTS:
                raise
            grouper.reload(store)
    return result, 0


GROUPING_ATTEMPTS = 3


def _group_pending(
    store: Store, articles: Sequence[Article], grouper: Grouper, reports: bool
) -> int:
    pending = store.ungrouped_articles(known=articles)
    if not pending:
        return 0
    grouper.stories.changed.clear()
    assignments, _ = grouper.group(pending)
    changed = sorted(grouper.stories.changed)
    states = [grouper.stories.stories[s].to_dict() for s in changed]
    if not reports:
        return store.save_grouping(assignments, states)
    members = store.members(changed)
    new_by_id = {a.id: a for a in pending}
    for item in assignments:
        article = new_by_id[item.article_id].model_copy(update={"duplicate_of": item.duplicate_of})
        members.setdefault(item.story_id, []).append(article)
    built = [
        assemble_story(s, members[s], grouper.stories.stories[s].centroid, grouper.settings)
        for s in changed
    ]
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
    batch_size = grouper.settings.ingest_batch
    for start in range(0, len(documents), batch_size):
        batch = documents[start : start + batch_size]
        articles, not_cleaned = clean_documents(batch, grouper.settings)
        summary.skipped += not_cleaned
        result, _ = ingest_articles(store, articles, grouper, reports=False)
        summary.added += result.added
        summary.already_stored += result.already_stored
        progress("ingest", start + len(batch), len(documents))
    if not documents:
        ingest_articles(store, [], grouper, reports=False)
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
