"""The store: one small interface over SQLAlchemy, the only place that holds global state.

Ingest is idempotent (an article is keyed by its content id and, when it has one, its URL; a
second insert of either does nothing) and transactional (each batch commits whole or not at
all, so a killed run leaves every committed batch intact and a re-run completes the rest).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from ..analyze.coverage import coverage
from ..analyze.selection import members_to_analyse
from ..group.order import time_order
from ..model import Article, Story
from .engine import open_engine
from .grouping import GroupingStore, StoryReport, aware_utc, chunks, write_reports
from .search import full_text_search
from .tables import ArticleRow, StoryArticleRow, StoryRow

REPORTS_PER_TRANSACTION = 50
REPORT_BYTES_PER_TRANSACTION = 16_000_000
# what a report needs of an article it does not analyse (`report_members`)
_STUB_COLUMNS = (
    ArticleRow.id,
    ArticleRow.source,
    ArticleRow.url,
    ArticleRow.outlet,
    ArticleRow.title,
    ArticleRow.published_at,
    ArticleRow.language,
    ArticleRow.duplicate_of,
)


@dataclass
class IngestResult:
    added: int
    already_stored: int
    added_ids: set[str] = field(default_factory=set)


class Store(GroupingStore):
    def __init__(self, url: str, *, create: bool = True) -> None:
        """Open (with `create`, also make) the store at `url`; `StoreError` says why not."""
        self.url = url
        self.engine = open_engine(url, create=create)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def session(self) -> Session:
        return self._sessions()

    @property
    def dialect(self) -> str:
        return str(self.engine.dialect.name)

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
            insert = self._insert()
            if insert is not None:
                # multi-row VALUES with RETURNING: one statement per page of rows, so the
                # database (and SQLite's full-text trigger) works outside the GIL, and the new
                # rows are counted without counting the table
                statement = insert.on_conflict_do_nothing().returning(ArticleRow.id)
                added = {str(r[0]) for r in session.connection().execute(statement, rows)}
            else:  # other databases: check first, inside the same transaction
                added = set()
                for row in rows:
                    clash = select(ArticleRow.id).where(
                        (ArticleRow.id == row["id"])
                        | ((ArticleRow.url == row["url"]) if row["url"] else False)
                    )
                    if session.scalar(clash) is None:
                        session.add(ArticleRow(**row))
                        session.flush()
                        added.add(row["id"])
        return IngestResult(len(added), len(rows) - len(added), added)

    def articles(self) -> list[Article]:
        with self.session() as session:
            rows = session.scalars(select(ArticleRow.data).order_by(ArticleRow.id))
            return [Article.model_validate_json(data) for data in rows]

    def article_count(self) -> int:
        with self.session() as session:
            return int(session.scalar(select(func.count()).select_from(ArticleRow)) or 0)

    def ungrouped_articles(self, among: Sequence[Article] | None = None) -> list[Article]:
        """Articles stored but not yet in a story, in id order: every one (what a killed run
        left is read back), or only those of `among` (a batch just stored)."""
        grouped = select(StoryArticleRow.article_id)
        with self.session() as session:
            if among is not None:
                by_id = {a.id: a for a in among}
                ids: set[str] = set()
                for chunk in chunks(sorted(by_id)):
                    query = select(ArticleRow.id).where(
                        ArticleRow.id.in_(chunk), ArticleRow.id.not_in(grouped)
                    )
                    ids.update(session.scalars(query))
                return [by_id[i] for i in sorted(ids)]
            query = select(ArticleRow.data).where(ArticleRow.id.not_in(grouped))
            found = [Article.model_validate_json(data) for data in session.scalars(query)]
        return sorted(found, key=lambda a: a.id)

    def members_of(self, article_ids: Iterable[str]) -> dict[str, list[str]]:
        """The stories that hold these articles, with the article ids found in each."""
        ids = sorted(set(article_ids))
        found: dict[str, list[str]] = {}
        with self.session() as session:
            for chunk in chunks(ids):
                query = select(StoryArticleRow.story_id, StoryArticleRow.article_id).where(
                    StoryArticleRow.article_id.in_(chunk)
                )
                for story_id, article_id in session.execute(query):
                    found.setdefault(story_id, []).append(article_id)
        return found

    def members(self, story_ids: Iterable[str]) -> dict[str, list[Article]]:
        """The articles of each story, with their duplicate links."""
        ids = sorted(set(story_ids))
        found: dict[str, list[Article]] = {story_id: [] for story_id in ids}
        query = (
            select(StoryArticleRow.story_id, ArticleRow.data, ArticleRow.duplicate_of)
            .join(ArticleRow, ArticleRow.id == StoryArticleRow.article_id)
            .where(StoryArticleRow.story_id.in_(ids))
            .order_by(StoryArticleRow.story_id, ArticleRow.id)
        )
        with self.session() as session:
            for story_id, data, duplicate_of in session.execute(query):
                found[story_id].append(_stored_article(data, duplicate_of))
        return found

    def report_members(
        self, story_id: str, limit: int, max_chars: int | None = None
    ) -> tuple[list[Article], list[Article]]:
        """A story's articles as its report reads them, and those its analysis reads: all of
        them whole when there are at most `limit` whose texts fit `max_chars`; else every
        article's metadata (source, outlet, title, date, language, copy link: what coverage
        counts) and the text of only those the analysis reads (`members_to_analyse`), so that
        a months-long story's report takes bounded memory."""
        query = (
            select(*_STUB_COLUMNS)
            .join(StoryArticleRow, StoryArticleRow.article_id == ArticleRow.id)
            .where(StoryArticleRow.story_id == story_id)
            .order_by(ArticleRow.id)
        )
        with self.session() as session:
            rows = session.execute(query).all()
        stubs = [
            Article(
                id=article_id,
                source=source,
                url=url,
                outlet=outlet,
                title=title,
                published_at=aware_utc(published),
                language=language,
                text="",
                duplicate_of=duplicate_of,
            )
            for article_id, source, url, outlet, title, published, language, duplicate_of in rows
        ]
        if len(stubs) <= limit:
            read = [stub.id for stub in stubs]
        else:
            ordered = [stubs[i] for i in time_order(stubs)]
            read = sorted(a.id for a in members_to_analyse(ordered, limit))
        whole: dict[str, Article] = {}
        with self.session() as session:
            for chunk in chunks(read):
                texts = select(ArticleRow.data, ArticleRow.duplicate_of).where(
                    ArticleRow.id.in_(chunk)
                )
                for data, duplicate_of in session.execute(texts):
                    article = _stored_article(data, duplicate_of)
                    whole[article.id] = article
        if max_chars is not None:  # the lengths are known once the texts are read
            found = list(whole.values())
            kept = members_to_analyse([found[i] for i in time_order(found)], limit, max_chars)
            whole = {article.id: article for article in kept}
        members = [whole.get(stub.id, stub) for stub in stubs]
        return members, [a for a in members if a.id in whole]

    def stale_stories(
        self, limit: int | None = None, after: tuple[int, str] | None = None
    ) -> list[tuple[int, str]]:
        """(creation order, id) of stories whose report is older than their members, oldest
        first; `after` continues from where the previous page ended."""
        seq = func.coalesce(StoryRow.created_seq, 0)
        query = select(seq, StoryRow.id).where(StoryRow.stale.is_(True))
        if after is not None:
            query = query.where(or_(seq > after[0], and_(seq == after[0], StoryRow.id > after[1])))
        query = query.order_by(seq, StoryRow.id).limit(limit)
        with self.session() as session:
            return [(int(n), str(story_id)) for n, story_id in session.execute(query)]

    def save_reports(self, reports: Sequence[Story | StoryReport]) -> int:
        """Write rebuilt reports in one transaction; returns how many changed."""
        rows = [r if isinstance(r, StoryReport) else StoryReport.of(r) for r in reports]
        with self.session() as session, session.begin():
            return write_reports(session, rows, datetime.now(UTC))

    def save_report_stream(self, reports: Iterable[StoryReport]) -> int:
        """Write reports as they come, a transaction per REPORTS_PER_TRANSACTION of them or
        per REPORT_BYTES_PER_TRANSACTION of JSON, whichever is first: a months-long story's
        report runs to megabytes, and memory should not hold fifty of them."""
        written = size = 0
        pending: list[StoryReport] = []
        for report in reports:
            pending.append(report)
            size += len(report.report)
            if len(pending) >= REPORTS_PER_TRANSACTION or size >= REPORT_BYTES_PER_TRANSACTION:
                written += self.save_reports(pending)
                pending, size = [], 0
        return written + (self.save_reports(pending) if pending else 0)

    def search(self, query: str, limit: int = 20) -> dict[str, list[dict[str, Any]]]:
        """Stories and articles matching all words of `query`, best first."""
        with self.session() as session:
            return full_text_search(session, self.engine.dialect.name, query, limit)

    def story_listing(self, limit: int | None = None, offset: int = 0) -> list[StoryListing]:
        """Stories for a list, largest first: only the columns a list shows, one page of them
        (the database sorts and slices; no report is read)."""
        query = (
            select(
                StoryRow.id,
                StoryRow.title,
                StoryRow.article_count,
                StoryRow.first_published,
                StoryRow.last_published,
            )
            .order_by(StoryRow.article_count.desc(), StoryRow.id)
            .offset(offset)
            .limit(limit)
        )
        with self.session() as session:
            return [StoryListing(*row) for row in session.execute(query)]

    def story_version(self, story_id: str) -> tuple[Any, ...] | None:
        """What changes whenever the story's report or members do (None: no such story)."""
        query = select(
            StoryRow.updated_at, StoryRow.article_count, StoryRow.grouped_seq, StoryRow.stale
        ).where(StoryRow.id == story_id)
        with self.session() as session:
            row = session.execute(query).first()
        return None if row is None else tuple(row)

    def story(self, story_id: str) -> Story | None:
        """A stored story with its articles (kept once, in the articles table, not in the
        stored report). A story whose report is not written yet (an ingest is running, or was
        killed) still shows its articles and title."""
        with self.session() as session:
            row = session.get(StoryRow, story_id)
            if row is None:
                return None
            title, report = row.title, row.report
        members = self.members([story_id])[story_id]
        ordered = [members[i] for i in time_order(members)]
        if not report or report == "{}":
            if not ordered:
                return None
            return Story(
                id=story_id,
                title=title or ordered[0].title or "",
                articles=ordered,
                coverage=coverage(ordered),
            )
        story = Story.model_validate_json(report)
        return story.model_copy(update={"articles": ordered})

    def stories(self) -> Iterator[Story]:
        for row in self.story_listing():
            story = self.story(row.id)
            if story is not None:
                yield story


@dataclass
class StoryListing:
    """A story as a list shows it."""

    id: str
    title: str
    articles: int
    first_published: datetime | None
    last_published: datetime | None


def _stored_article(data: str, duplicate_of: str | None) -> Article:
    """An article as stored, with its copy link (kept in its own column)."""
    return Article.model_validate_json(data).model_copy(update={"duplicate_of": duplicate_of})


def _article_row(article: Article, now: datetime) -> dict[str, Any]:
    return {
        "id": article.id,
        "url": article.url,
        "source": article.source,
        "outlet": article.outlet,
        "title": article.title,
        "published_at": article.published_at and article.published_at.astimezone(UTC),
        "language": article.language,
        "data": article.model_dump_json(),
        "ingested_at": now,
    }
