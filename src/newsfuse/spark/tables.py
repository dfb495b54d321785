"""The output tables: one row layout per table, filled from the report contract's own
classes, so a Parquet reader sees what report.json says."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pyspark.sql.types import (
    ArrayType,
    LongType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)

from ..model import Article, Citation, Story


def _schema(*fields: tuple[str, Any]) -> StructType:
    return StructType([StructField(name, kind, True) for name, kind in fields])


_TEXTS = ArrayType(StringType())
REPORTS = _schema(("story_id", StringType()), ("articles", LongType()), ("report", StringType()))
ARTICLES = _schema(
    ("id", StringType()),
    ("story_id", StringType()),
    ("duplicate_of", StringType()),
    ("source", StringType()),
    ("url", StringType()),
    ("outlet", StringType()),
    ("title", StringType()),
    ("language", StringType()),
    ("published_at", TimestampType()),
    ("text", StringType()),
)
STORIES = _schema(
    ("id", StringType()),
    ("title", StringType()),
    ("articles", LongType()),
    ("independent_articles", LongType()),
    ("outlets", _TEXTS),
    ("languages", _TEXTS),
    ("first_published", TimestampType()),
    ("last_published", TimestampType()),
    ("summary", StringType()),
)
CLAIMS = _schema(
    ("story_id", StringType()),
    ("position", LongType()),
    ("text", StringType()),
    ("outlets", _TEXTS),
    ("independent_outlets", LongType()),
    ("article_ids", _TEXTS),
)
QUOTES = _schema(
    ("story_id", StringType()),
    ("position", LongType()),
    ("speaker", StringType()),
    ("text", StringType()),
    ("kind", StringType()),
    ("article_ids", _TEXTS),
)
TIMELINE = _schema(
    ("story_id", StringType()),
    ("position", LongType()),
    ("date", StringType()),
    ("precision", StringType()),
    ("description", StringType()),
    ("article_ids", _TEXTS),
)
SKIPPED = _schema(("source", StringType()), ("reason", StringType()))
# what each story's analysis writes, in one pass over the stories
STORY_TABLES = {
    "reports": REPORTS,
    "stories": STORIES,
    "claims": CLAIMS,
    "quotes": QUOTES,
    "timeline": TIMELINE,
    "articles": ARTICLES,
}
# one row of any of them: its table's name, then one column per table (only its own filled)
STORY_OUTPUTS = StructType(
    [StructField("table", StringType(), False)]
    + [StructField(name, schema, True) for name, schema in STORY_TABLES.items()]
)


def _article_row(article: Article, story_id: str) -> tuple[Any, ...]:
    return (
        article.id,
        story_id,
        article.duplicate_of,
        article.source,
        article.url,
        article.outlet,
        article.title,
        article.language,
        article.published_at,
        article.text,
    )


def _cited(citations: Iterable[Citation]) -> list[str]:
    return list(dict.fromkeys(c.article_id for c in citations))


def story_rows(story: Story, report_json: str) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """(table, row) for one story: its report, its stories row, its claims, quotes, timeline
    and articles rows."""
    coverage = story.coverage
    yield "reports", (story.id, len(story.articles), report_json)
    yield (
        "stories",
        (
            story.id,
            story.title,
            coverage.articles,
            coverage.independent_articles,
            [o.name for o in coverage.outlets],
            sorted(coverage.languages),
            coverage.first_published,
            coverage.last_published,
            " ".join(s.text for s in story.summary),
        ),
    )
    for n, claim in enumerate(story.claims):
        yield (
            "claims",
            (
                story.id,
                n,
                claim.text,
                claim.outlets,
                claim.independent_outlets,
                claim.article_ids,
            ),
        )
    for n, quote in enumerate(story.quotes):
        ids = list(dict.fromkeys(v.article_id for v in quote.variants))
        yield "quotes", (story.id, n, quote.speaker, quote.text, quote.kind, ids)
    for n, event in enumerate(story.timeline):
        yield (
            "timeline",
            (
                story.id,
                n,
                event.date,
                event.precision,
                event.description,
                _cited(event.citations),
            ),
        )
    for article in story.articles:
        yield "articles", _article_row(article, story.id)
