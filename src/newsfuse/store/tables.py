"""The database tables; Alembic migrations in `migrations/` create and evolve them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    url: Mapped[str | None] = mapped_column(String(2048), unique=True)
    source: Mapped[str] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(512))
    title: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    language: Mapped[str | None] = mapped_column(String(16))
    data: Mapped[str] = mapped_column(Text, doc="The article as JSON (the report contract).")
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # grouping state, set when the article is put into a story
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    shingles: Mapped[int | None] = mapped_column(Integer)
    exact_hash: Mapped[str | None] = mapped_column(String(40), index=True)
    duplicate_of: Mapped[str | None] = mapped_column(String(32))
    seen_at: Mapped[float | None] = mapped_column(
        Float, index=True, doc="POSIX time it counts as seen for grouping (publication or clock)."
    )
    grouped_seq: Mapped[int | None] = mapped_column(
        Integer, index=True, doc="The grouping transaction that placed it."
    )
    terms: Mapped[bytes | None] = mapped_column(
        LargeBinary, doc="Its term ids (an original's), for the stream's term frequencies."
    )


class StoryRow(Base):
    __tablename__ = "stories"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    article_count: Mapped[int] = mapped_column(Integer)
    first_published: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_published: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    report: Mapped[str] = mapped_column(Text, doc="The story as JSON (the report contract).")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    state: Mapped[str | None] = mapped_column(Text, doc="Old clustering state (JSON, before 0007).")
    # grouping state (migration 0007): compact, read back only for the active window
    centroid: Mapped[bytes | None] = mapped_column(LargeBinary, doc="Term ids and weights.")
    posted: Mapped[bytes | None] = mapped_column(LargeBinary, doc="Term ids it is found by.")
    dense: Mapped[bytes | None] = mapped_column(LargeBinary, doc="Sum of unit embeddings.")
    size: Mapped[int | None] = mapped_column(Integer, doc="Articles placed in it.")
    span_first: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    span_last: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    active_at: Mapped[float | None] = mapped_column(
        Float, index=True, doc="POSIX time an article last joined it."
    )
    join_sum: Mapped[float | None] = mapped_column(
        Float, doc="Sum of the scores its articles joined it with (migration 0009)."
    )
    joins: Mapped[int | None] = mapped_column(Integer, doc="How many joined it by score.")
    languages: Mapped[str | None] = mapped_column(
        String(200), doc="Languages of its articles, comma-separated (migration 0009)."
    )
    grouped_seq: Mapped[int | None] = mapped_column(
        Integer, index=True, doc="The last grouping transaction that changed it."
    )
    created_seq: Mapped[int | None] = mapped_column(Integer, index=True, doc="Order of creation.")
    stale: Mapped[bool] = mapped_column(
        Boolean,
        default=False,
        server_default=false(),
        index=True,
        doc="Members changed since the report was built; the next ingest rebuilds it.",
    )

    __table_args__ = (Index("ix_stories_listing", article_count.desc(), "id"),)


class StoryArticleRow(Base):
    __tablename__ = "story_articles"

    story_id: Mapped[str] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    article_id: Mapped[str] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, unique=True
    )
