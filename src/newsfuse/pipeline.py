"""The one place that knows the order of the stages: read -> clean -> index -> group -> analyze
-> summarize -> publish. Each stage is a plain function over plain data; this module runs them
in memory over one pile of articles (`fuse`). Adding to the store, batch by batch, is
`ingest`'s job."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from .analyze import analyze_story, forget_story
from .analyze.coverage import story_coverage
from .analyze.meaning import sentence_meaning
from .analyze.selection import members_to_analyse
from .clean import clean_document
from .config import Settings
from .encoders import load_encoder
from .group import Grouper
from .group.order import time_order
from .index import Features, index_article, index_articles
from .model import (
    Article,
    Claim,
    RawDocument,
    Report,
    Skipped,
    Story,
    SummarySentence,
    make_report,
)
from .read import read_paths
from .summarize import LLMError, extractive_summary, rewrite_summary, story_title
from .summarize.extractive import summary_language
from .summarize.key_dates import key_date_budget, key_dates
from .vectors import SparseVector
from .workers import imap

Progress = Callable[[str, int, int | None], None]


def _no_progress(stage: str, done: int, total: int | None) -> None:
    return None


def iter_inputs(inputs: Iterable[object], settings: Settings) -> Iterator[RawDocument | Skipped]:
    """Documents as they are read (paths, folders, feeds, archives; RawDocuments pass
    through), with a `Skipped` for each input that cannot be used."""
    paths = []
    for item in inputs:
        if isinstance(item, RawDocument):
            yield item
        else:
            paths.append(item)
    yield from read_paths(paths, settings)  # type: ignore[arg-type]


def read_inputs(
    inputs: Iterable[object], settings: Settings
) -> tuple[list[RawDocument], list[Skipped]]:
    """Paths are read from disk; RawDocuments pass through as they are."""
    documents: list[RawDocument] = []
    skipped: list[Skipped] = []
    for found in iter_inputs(inputs, settings):
        (skipped if isinstance(found, Skipped) else documents).append(found)  # type: ignore[arg-type]
    return documents, skipped


def clean_one(job: tuple[RawDocument, Settings]) -> Article | Skipped:
    """Clean one document; one broken page never ends the run."""
    raw, settings = job
    try:
        return clean_document(raw, settings)
    except Exception as exc:
        return Skipped(source=raw.source, reason=f"could not be cleaned ({exc!r})")


def clean_and_index(job: tuple[RawDocument, Settings]) -> tuple[Article, Features] | Skipped:
    """Clean one document and compute its grouping features (the work of one worker)."""
    cleaned = clean_one(job)
    if isinstance(cleaned, Skipped):
        return cleaned
    return cleaned, index_article(cleaned)


def clean_documents(
    documents: Iterable[RawDocument], settings: Settings, progress: Progress = _no_progress
) -> tuple[list[Article], list[Skipped]]:
    """Clean each document (on every core for many); the same article read twice is kept
    once."""
    items = documents if isinstance(documents, Sequence) else list(documents)
    articles: dict[str, Article] = {}
    skipped: list[Skipped] = []
    results = imap(clean_one, ((raw, settings) for raw in items))
    for done, result in enumerate(results, start=1):
        if isinstance(result, Skipped):
            skipped.append(result)
        else:
            articles.setdefault(result.id, result)
        progress("clean", done, len(items))
    return list(articles.values()), skipped


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
    story_id: str,
    members: Sequence[Article],
    centroid: SparseVector | None,
    settings: Settings,
    analysed: Sequence[Article] | None = None,
) -> Story:
    """Analyze and summarize one story from its member articles (copies marked); `analysed`
    (some of them) when the caller chose what the analysis reads, else `members_to_analyse`
    chooses."""
    ordered = [members[i] for i in time_order(members)]
    if analysed is None:
        analysed = members_to_analyse(
            ordered, settings.report_max_articles, settings.report_max_chars
        )
    else:
        analysed = [analysed[i] for i in time_order(analysed)]
    try:
        analysis = analyze_story(analysed, sentence_meaning(settings))
        return Story(
            id=story_id,
            title=story_title(ordered, centroid),
            articles=ordered,
            summary=summarize(analysed, analysis.claims, settings),
            claims=analysis.claims,
            quotes=analysis.quotes,
            conflicts=analysis.conflicts,
            timeline=analysis.timeline,
            key_dates=key_dates(
                analysed,
                key_date_budget(
                    analysed,
                    settings.key_dates_min_span_days,
                    settings.key_dates_per_week,
                    settings.key_dates_max,
                ),
                settings.key_date_sentences,
            ),
            entities=analysis.entities,
            coverage=story_coverage(ordered, analysed),
        )
    finally:
        forget_story()


def _assemble(job: tuple[str, list[Article], SparseVector | None, Settings]) -> Story:
    return assemble_story(*job)


def build_stories(articles: Sequence[Article], settings: Settings) -> list[Story]:
    """Group a batch of articles in memory: articles in, stories out (largest first); the
    stories are analysed on every core."""
    if not articles:
        return []
    grouper = Grouper(settings, load_encoder(settings))
    placements = grouper.place(articles, list(index_articles(articles)))
    by_id = {a.id: a for a in articles}
    members: dict[str, list[Article]] = {}
    for item in placements:
        article = by_id[item.article_id].model_copy(update={"duplicate_of": item.duplicate_of})
        members.setdefault(item.story_id, []).append(article)
    jobs = [
        (story_id, items, grouper.stories.stories[story_id].centroid, settings)
        for story_id, items in members.items()
    ]
    stories = list(imap(_assemble, jobs, chunk=1, parallel_min=4))
    stories.sort(key=lambda s: (-len(s.articles), s.id))
    return stories


def fuse(
    inputs: Iterable[object],
    settings: Settings | None = None,
    progress: Progress = _no_progress,
) -> Report:
    """Run the whole pipeline over files, folders, feeds, archives or raw documents."""
    settings = settings or Settings()
    documents, skipped = read_inputs(inputs, settings)
    articles, not_cleaned = clean_documents(documents, settings, progress)
    return make_report(build_stories(articles, settings), skipped + not_cleaned)
