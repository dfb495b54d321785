"""Settings: one object, passed down explicitly; defaults work with nothing configured.

Values come from the constructor, a TOML file (``--config``) or ``NEWSFUSE_*`` environment
variables, in that order of precedence (constructor first).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_DB_URL = "sqlite:///newsfuse.db"


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

    max_file_bytes: int = Field(50_000_000, description="Files larger than this are skipped.")
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
    duplicate_threshold: float = Field(0.8, description="MinHash Jaccard for near-duplicates.")
    story_threshold: float = Field(
        0.3, description="Similarity to join a story (chosen on data: benchmarks/group.py)."
    )
    story_window_days: float = Field(7.0, description="Half-life of the time decay in days.")
    encoder: Literal["tfidf", "wordllama", "sentence-transformers"] = "tfidf"
    encoder_model: str | None = None
    # summary
    summary_words: int = 120
    summary_mode: Literal["extractive", "abstractive"] = "extractive"
    llm_base_url: str | None = Field(None, description="OpenAI-compatible endpoint, e.g. .../v1")
    llm_model: str | None = None
    llm_api_key: str | None = None
    db_url: str = DEFAULT_DB_URL
    ingest_batch: int = Field(200, ge=1, description="Articles per ingest transaction.")

    @classmethod
    def load(cls, path: Path | None = None, **overrides: Any) -> Settings:
        """Build settings from a TOML file, the environment, then explicit overrides."""
        values: dict[str, Any] = {}
        if path is not None:
            with path.open("rb") as fh:
                values.update(tomllib.load(fh).get("newsfuse", {}))
        for name in cls.model_fields:
            env = os.environ.get(f"NEWSFUSE_{name.upper()}")
            if env is not None and name != "json_fields":
                values[name] = env
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls.model_validate(values)
