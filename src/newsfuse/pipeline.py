"""The one place that knows the order of the stages: read -> clean -> index -> group -> analyze
-> summarize -> publish. Each stage is a plain function over plain data."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from . import __version__
from .analyze import coverage
from .clean import clean_document
from .config import Settings
from .group import cluster_stories, find_duplicates
from .group.cluster import unit_vectors
from .index import index_article
from .model import Article, RawDocument, Report, Skipped, Story
from .read import read_paths
from .summarize import story_title

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
        (skipped if isinstance(found, Skipped) else documents).append(found)  # type: ignore[arg-type]
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


def build_stories(articles: Sequence[Article], settings: Settings) -> list[Story]:
    """Index, group, analyze and summarize: articles in, stories out (ordered by size, then id)."""
    if not articles:
        return []
    features = [index_article(article) for article in articles]
    duplicates = find_duplicates(articles, features, settings.duplicate_threshold)
    marked = [a.model_copy(update={"duplicate_of": duplicates.get(a.id)}) for a in articles]
    clusters = cluster_stories(
        marked, features, settings.story_threshold, settings.story_window_days
    )
    vectors = dict(zip((a.id for a in marked), unit_vectors(features), strict=True))
    by_id = {a.id: a for a in marked}
    stories = []
    for cluster in clusters:
        members = [by_id[i] for i in cluster.article_ids]
        stories.append(
            Story(
                id=cluster.id,
                title=story_title(members, vectors, cluster.centroid),
                articles=members,
                coverage=coverage(members),
            )
        )
    stories.sort(key=lambda s: (-len(s.articles), s.id))
    return stories


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
