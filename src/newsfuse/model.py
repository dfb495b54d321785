"""The data that flows through newsfuse, and the report contract.

Every stage takes and returns these plain models. The `Report` model *is* the versioned JSON
contract: its JSON Schema (``newsfuse schema``) is generated from these classes, and the JSON,
Markdown and HTML outputs all render from one `Report`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

PublishedFrom = Literal["source", "html", "feed", "text", "inferred"]


class Model(BaseModel):
    """Base: forbid unknown fields so the contract stays exact."""

    model_config = ConfigDict(extra="forbid")


# --- what the readers yield -------------------------------------------------------------


class RawDocument(Model):
    """One document as a reader found it, before any cleaning."""

    source: str = Field(description="File path, 'path#entry' or URL the document came from.")
    kind: Literal["text", "html"] = Field(description="How `content` must be cleaned.")
    content: str
    extracted: bool = Field(
        default=False,
        description="`content` is the article's own text as a source handed it over (a JSON "
        "record's text): it is repaired and trimmed of chrome at its edges, never judged as a "
        "whole page.",
    )
    url: str | None = None
    title: str | None = None
    published: str | None = Field(default=None, description="Date string given by the source.")
    published_origin: Literal["source", "feed"] = "source"
    outlet: str | None = None


class Skipped(Model):
    """An input that was not used, and why: the run goes on without it."""

    source: str
    reason: str


# --- articles -------------------------------------------------------------------------


class Span(Model):
    """Character offsets ``[start, end)`` into an article's cleaned text."""

    start: int
    end: int


class Paragraph(Span):
    """A paragraph span with the language of its own text (pages mix languages)."""

    language: str | None = None


class Article(Model):
    """A cleaned article with its metadata; offsets everywhere point into `text`."""

    id: str = Field(description="Stable id: hash of the normalised cleaned text.")
    source: str = Field(description="Path or URL the article was read from.")
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published_at: datetime | None = Field(
        default=None, description="Publication time, ISO 8601 with UTC offset when known."
    )
    published_from: PublishedFrom | None = Field(
        default=None, description="Where the publication time was found."
    )
    timezone_known: bool = Field(
        default=False, description="False when the source gave no zone and UTC was assumed."
    )
    language: str | None = Field(default=None, description="ISO 639-1 code.")
    byline: str | None = None
    agencies: list[str] = Field(default_factory=list, description="News agencies the text cites.")
    text: str = Field(description="The cleaned article text (no title).")
    paragraphs: list[Paragraph] = Field(default_factory=list)
    sentences: list[Span] = Field(default_factory=list)
    duplicate_of: str | None = Field(
        default=None, description="Id of the article this one is a (near) copy of."
    )


# --- analysis -------------------------------------------------------------------------


class Citation(Model):
    """A pointer at the outlet's own words: article id and offsets into its cleaned text."""

    article_id: str
    start: int
    end: int


class SummarySentence(Model):
    text: str
    citations: list[Citation] = Field(default_factory=list)


class KeyDate(Model):
    """One of a long story's key dates, with the sentences that best say what happened."""

    date: str = Field(description="ISO day.")
    sentences: list[SummarySentence] = Field(default_factory=list)


class Claim(Model):
    text: str
    article_ids: list[str] = Field(default_factory=list)
    outlets: list[str] = Field(default_factory=list)
    independent_outlets: int = 0
    citations: list[Citation] = Field(default_factory=list)


class QuoteVariant(Model):
    article_id: str
    text: str
    start: int
    end: int


class Quote(Model):
    speaker: str | None = Field(default=None, description="The person, resolved to one name.")
    text: str
    kind: Literal["direct", "reported", "unmarked"] = Field(
        default="direct",
        description="direct: in quote marks; reported: 'X said that …'; unmarked: '…, X said'.",
    )
    variants: list[QuoteVariant] = Field(default_factory=list)


class ConflictValue(Model):
    value: str
    article_ids: list[str] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)


class Conflict(Model):
    about: str
    values: list[ConflictValue] = Field(default_factory=list)


class Event(Model):
    date: str = Field(
        description="ISO date, truncated to its precision (2022, 2022-01, 2022-01-12)."
    )
    precision: Literal["day", "month", "year"]
    description: str
    citations: list[Citation] = Field(default_factory=list)


class Entity(Model):
    name: str
    type: Literal["person", "organization", "place", "other"]
    aliases: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)


class OutletCoverage(Model):
    name: str
    articles: int
    languages: list[str] = Field(default_factory=list)


class Coverage(Model):
    articles: int = 0
    independent_articles: int = Field(0, description="Articles that are not copies of another.")
    analysed_articles: int | None = Field(
        None,
        description="Articles the summary, claims, quotes, conflicts, timeline and entities are "
        "drawn from when that is not all of them: a story past `report_max_articles` is "
        "analysed on that many, spread over its span, originals before copies.",
    )
    outlets: list[OutletCoverage] = Field(default_factory=list)
    languages: dict[str, int] = Field(default_factory=dict)
    countries: list[str] = Field(default_factory=list)
    first_published: datetime | None = None
    last_published: datetime | None = None


class Story(Model):
    id: str
    title: str
    articles: list[Article] = Field(default_factory=list)
    summary: list[SummarySentence] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)
    timeline: list[Event] = Field(default_factory=list)
    key_dates: list[KeyDate] = Field(
        default_factory=list,
        description="For a story that spans weeks: its key days, each with its best sentences.",
    )
    entities: list[Entity] = Field(default_factory=list)
    coverage: Coverage = Field(default_factory=Coverage)


class Report(Model):
    """The contract: what `newsfuse run` writes as report.json."""

    schema_version: Literal["1.0"] = "1.0"
    generator: str = Field(description="Tool and version that wrote the report.")
    stories: list[Story] = Field(default_factory=list)
    skipped: list[Skipped] = Field(default_factory=list)


def make_report(stories: list[Story], skipped: list[Skipped]) -> Report:
    """The report of these stories, stamped with the version of newsfuse that wrote it."""
    from . import __version__  # the package sets it before it imports this module

    return Report(generator=f"newsfuse {__version__}", stories=stories, skipped=skipped)


def report_json_schema() -> dict[str, Any]:
    """The JSON Schema of the report, as printed by ``newsfuse schema``."""
    schema = Report.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://newsfuse.invalid/schema/report-{SCHEMA_VERSION}.json"
    return schema
