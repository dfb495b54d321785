"""The store: one small interface over SQLAlchemy, the only place that holds global state.

Ingest is idempotent (an article is keyed by its content id and, when it has one, its URL; a
second insert of either does nothing) and transactional (each batch commits whole or not at
all, so a killed run leaves every committed batch intact and a re-run completes the rest).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, delete, event, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from ..model import Article, Story
from .tables import ArticleRow, StoryArticleRow, StoryRow

_HERE = Path(__file__).parent


@dataclass
class IngestResult:
    added: int
    already_stored: int


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers go on while a writer commits
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision."""
    config = Config(str(_HERE / "alembic.ini"))
    config.set_main_option("script_location", str(_HERE / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_engine(url, future=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        migrate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def session(self) -> Session:
        return self._sessions()

    # --- articles -----------------------------------------------------------------------

    def _insert(self) -> Any:
        dialect = self.engine.dialect.name
        if dialect == "sqlite":
            return sqlite.insert(ArticleRow)
        if dialect == "postgresql":
            return postgresql.insert(ArticleRow)
        return None

    def add_articles(self, articles: Sequence[Article]) -> IngestResult:
        """Store a batch in one transaction; articles already stored (same id or URL) are kept."""
        if not articles:
            return IngestResult(0, 0)
        now = datetime.now(UTC)
        rows = [_article_row(a, now) for a in articles]
        with self.session() as session, session.begin():
            before = session.scalar(select(func.count()).select_from(ArticleRow)) or 0
            insert = self._insert()
            if insert is not None:
                session.execute(insert.on_conflict_do_nothing(), rows)
            else:  # other databases: check first, inside the same transaction
                for row in rows:
                    clash = select(ArticleRow.id).where(
                        (ArticleRow.id == row["id"])
                        | ((ArticleRow.url == row["url"]) if row["url"] else False)
                    )
                    if session.scalar(clash) is None:
                        session.add(ArticleRow(**row))
            after = session.scalar(select(func.count()).select_from(ArticleRow)) or 0
        added = int(after - before)
        return IngestResult(added=added, already_stored=len(rows) - added)

    def articles(self) -> list[Article]:
        with self.session() as session:
            rows = session.scalars(select(ArticleRow.data).order_by(ArticleRow.id))
            return [Article.model_validate_json(data) for data in rows]

    def article_count(self) -> int:
        with self.session() as session:
            return int(session.scalar(select(func.count()).select_from(ArticleRow)) or 0)

    # --- stories ------------------------------------------------------------------------

    def replace_stories(self, stories: Iterable[Story]) -> int:
        """Make the stored stories these ones; a story whose report is unchanged is not rewritten.
        Returns how many stories were written."""
        now = datetime.now(UTC)
        written = 0
        with self.session() as session, session.begin():
            existing = {row.id: row for row in session.scalars(select(StoryRow))}
            keep: set[str] = set()
            for story in stories:
                keep.add(story.id)
                report = story.model_dump_json()
                row = existing.get(story.id)
                if row is not None and row.report == report:
                    continue
                written += 1
                values = {
                    "title": story.title,
                    "article_count": len(story.articles),
                    "first_published": story.coverage.first_published,
                    "last_published": story.coverage.last_published,
                    "report": report,
                    "updated_at": now,
                }
                if row is None:
                    session.add(StoryRow(id=story.id, **values))
                else:
                    for key, value in values.items():
                        setattr(row, key, value)
                session.flush()
                session.execute(delete(StoryArticleRow).where(StoryArticleRow.story_id == story.id))
                session.flush()
                for article in story.articles:
                    session.execute(
                        delete(StoryArticleRow).where(StoryArticleRow.article_id == article.id)
                    )
                    session.add(StoryArticleRow(story_id=story.id, article_id=article.id))
                session.flush()
            for story_id in set(existing) - keep:
                session.execute(delete(StoryArticleRow).where(StoryArticleRow.story_id == story_id))
                session.execute(delete(StoryRow).where(StoryRow.id == story_id))
        return written

    def story_rows(self) -> list[StoryRow]:
        with self.session() as session:
            query = select(StoryRow).order_by(StoryRow.article_count.desc(), StoryRow.id)
            return list(session.scalars(query))

    def story(self, story_id: str) -> Story | None:
        with self.session() as session:
            row = session.get(StoryRow, story_id)
            return Story.model_validate_json(row.report) if row else None

    def stories(self) -> Iterator[Story]:
        for row in self.story_rows():
            yield Story.model_validate_json(row.report)


def _article_row(article: Article, now: datetime) -> dict[str, Any]:
    return {
        "id": article.id,
        "url": article.url,
        "source": article.source,
        "outlet": article.outlet,
        "title": article.title,
        "published_at": article.published_at,
        "language": article.language,
        "data": article.model_dump_json(),
        "ingested_at": now,
    }
