"""The store: one small interface over SQLAlchemy, the only place that holds global state.

Ingest is idempotent (an article is keyed by its content id and, when it has one, its URL; a
second insert of either does nothing) and transactional (each batch commits whole or not at
all, so a killed run leaves every committed batch intact and a re-run completes the rest).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import pydantic_core
from sqlalchemy import (
    Table,
    Update,
    and_,
    bindparam,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from ..analyze.coverage import coverage
from ..group.dedupe import time_order
from ..model import Article, Story
from .engine import open_engine
from .tables import ArticleRow, StoryArticleRow, StoryRow


@dataclass
class IngestResult:
    added: int
    already_stored: int


class Store:
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
                added = len(session.connection().execute(statement, rows).all())
            else:  # other databases: check first, inside the same transaction
                added = 0
                for row in rows:
                    clash = select(ArticleRow.id).where(
                        (ArticleRow.id == row["id"])
                        | ((ArticleRow.url == row["url"]) if row["url"] else False)
                    )
                    if session.scalar(clash) is None:
                        session.add(ArticleRow(**row))
                        session.flush()
                        added += 1
        return IngestResult(added=added, already_stored=len(rows) - added)

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
                for chunk in _chunks(sorted(by_id)):
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
            for chunk in _chunks(ids):
                query = select(StoryArticleRow.story_id, StoryArticleRow.article_id).where(
                    StoryArticleRow.article_id.in_(chunk)
                )
                for story_id, article_id in session.execute(query):
                    found.setdefault(story_id, []).append(article_id)
        return found

    def originals(self) -> Iterator[tuple[str, bytes, int, str]]:
        """(id, signature, shingle count, exact hash) of every grouped article that is no copy."""
        query = (
            select(ArticleRow.id, ArticleRow.signature, ArticleRow.shingles, ArticleRow.exact_hash)
            .where(ArticleRow.signature.is_not(None), ArticleRow.duplicate_of.is_(None))
            .order_by(ArticleRow.id)
        )
        with self.session() as session:
            for article_id, signature, shingles, exact_hash in session.execute(query):
                yield article_id, bytes(signature or b""), int(shingles or 0), str(exact_hash)

    def story_states(self, story_ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """Clustering state of every story (or of these), in the order they were opened."""
        query = select(StoryRow.state).where(StoryRow.state.is_not(None))
        if story_ids is not None:
            query = query.where(StoryRow.id.in_(sorted(set(story_ids))))
        with self.session() as session:
            rows = session.scalars(query.order_by(StoryRow.created_seq, StoryRow.id))
            return [pydantic_core.from_json(state) for state in rows if state]

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
                article = Article.model_validate_json(data)
                found[story_id].append(article.model_copy(update={"duplicate_of": duplicate_of}))
        return found

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

    def save_reports(self, reports: Sequence[Story]) -> int:
        """Write rebuilt reports in one transaction; returns how many changed."""
        with self.session() as session, session.begin():
            return self._write_reports(session, reports, datetime.now(UTC))

    def save_grouping(
        self,
        assignments: Sequence[Assignment],
        states: Sequence[dict[str, Any]],
        reports: Sequence[Story] = (),
    ) -> int:
        """Record, in one transaction, where articles went, the clustering state of the stories
        they changed and those stories' reports; a changed story without its report here is
        marked stale. A report that did not change is not rewritten. Returns how many reports
        were written."""
        now = datetime.now(UTC)
        with self.session() as session, session.begin():
            # bulk statements: one round trip per kind of row, not one per story or article
            seq = session.scalar(select(func.max(StoryRow.created_seq))) or 0
            existing = self._existing_stories(session, [state["id"] for state in states])
            first_title: dict[str, str] = {}
            for item in assignments:
                first_title.setdefault(item.story_id, item.title)
            opened, grown = [], []
            for state in states:
                # listed with its size and a title at once, before its report is written
                values = {
                    "state": _state_json(state),
                    "stale": True,
                    "article_count": len(state["article_ids"]),
                }
                if state["id"] in existing:
                    grown.append(values | {"row_id": state["id"]})
                else:
                    seq += 1
                    opened.append(
                        values
                        | {
                            "id": state["id"],
                            "title": first_title.get(state["id"], ""),
                            "report": "{}",
                            "created_seq": seq,
                            "updated_at": now,
                        }
                    )
            # Core statements: the ORM's bulk path costs more Python time than the database's
            db = session.connection()
            if opened:
                db.execute(insert(_STORIES), opened)
            if grown:
                db.execute(_by_id(_STORIES, "state", "stale", "article_count"), grown)
            if assignments:
                db.execute(
                    _by_id(_ARTICLES, "signature", "shingles", "exact_hash", "duplicate_of"),
                    [
                        {
                            "row_id": item.article_id,
                            "signature": item.signature,
                            "shingles": item.shingles,
                            "exact_hash": item.exact_hash,
                            "duplicate_of": item.duplicate_of,
                        }
                        for item in assignments
                    ],
                )
                db.execute(
                    insert(_STORY_ARTICLES),
                    [{"story_id": i.story_id, "article_id": i.article_id} for i in assignments],
                )
            return self._write_reports(session, reports, now)

    @staticmethod
    def _existing_stories(session: Session, story_ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(story_ids):
            found.update(session.scalars(select(StoryRow.id).where(StoryRow.id.in_(chunk))))
        return found

    def _write_reports(self, session: Session, reports: Sequence[Story], now: datetime) -> int:
        """Write reports that changed. A story stays stale when its members changed after its
        report was built (another ingester added some): the next rebuild sees them all."""
        if not reports:
            return 0  # grouping alone (reports deferred): nothing to look up
        ids = [story.id for story in reports]
        counts = dict(
            session.execute(
                select(StoryArticleRow.story_id, func.count())
                .where(StoryArticleRow.story_id.in_(ids))
                .group_by(StoryArticleRow.story_id)
            ).all()
        )
        rows = {
            row.id: row for row in session.scalars(select(StoryRow).where(StoryRow.id.in_(ids)))
        }
        written = 0
        for story in reports:
            row = rows.get(story.id)
            if row is None:
                continue
            row.stale = counts.get(story.id, 0) != len(story.articles)
            report = story.model_dump_json(exclude={"articles"})
            if row.report == report:
                continue
            row.title = story.title
            row.article_count = len(story.articles)
            row.first_published = story.coverage.first_published
            row.last_published = story.coverage.last_published
            row.report = report
            row.updated_at = now
            written += 1
        return written

    def search(self, query: str, limit: int = 20) -> dict[str, list[dict[str, Any]]]:
        """Stories and articles matching all words of `query`, best first: SQLite FTS5, or
        PostgreSQL's own full-text search."""
        words = re.findall(r"\w+", query)[:12]
        if not words:
            return {"stories": [], "articles": []}
        with self.session() as session:
            if self.engine.dialect.name == "sqlite":
                # every word, in the text columns only (the id columns are indexed too)
                phrases = " ".join('"' + w.replace('"', '""') + '"' for w in words)
                stories = session.execute(
                    text(
                        "SELECT story_id, title, snippet(stories_fts, 2, '[', ']', '…', 12) "
                        "FROM stories_fts WHERE stories_fts MATCH :q ORDER BY rank LIMIT :n"
                    ),
                    {"q": "{title summary} : (" + phrases + ")", "n": limit},
                ).all()
                articles = session.execute(
                    text(
                        "SELECT f.article_id, f.title, "
                        "snippet(articles_fts, 2, '[', ']', '…', 16), sa.story_id "
                        "FROM articles_fts f "
                        "LEFT JOIN story_articles sa ON sa.article_id = f.article_id "
                        "WHERE articles_fts MATCH :q ORDER BY rank LIMIT :n"
                    ),
                    {"q": "{title body} : (" + phrases + ")", "n": limit},
                ).all()
            else:
                tsq = " & ".join(words)
                stories = session.execute(
                    text(
                        "SELECT id, title, left(report, 0) FROM stories WHERE "
                        "to_tsvector('simple', title || ' ' || report) @@ to_tsquery('simple', :q) "
                        "LIMIT :n"
                    ),
                    {"q": tsq, "n": limit},
                ).all()
                articles = session.execute(
                    text(
                        "SELECT a.id, a.title, "
                        "ts_headline('simple', a.data, to_tsquery('simple', :q)), sa.story_id "
                        "FROM articles a "
                        "LEFT JOIN story_articles sa ON sa.article_id = a.id "
                        "WHERE to_tsvector('simple', coalesce(a.title, '') || ' ' || a.data) "
                        "@@ to_tsquery('simple', :q) LIMIT :n"
                    ),
                    {"q": tsq, "n": limit},
                ).all()
        return {
            "stories": [{"id": r[0], "title": r[1], "snippet": r[2]} for r in stories],
            "articles": [
                {"id": r[0], "title": r[1], "snippet": r[2], "story_id": r[3]} for r in articles
            ],
        }

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


@dataclass
class Assignment:
    """Where one article went: its story, the original it copies, its grouping features."""

    article_id: str
    story_id: str
    duplicate_of: str | None
    signature: bytes
    shingles: int
    exact_hash: str
    title: str = ""  # shown for a new story until its report is written


_ARTICLES = cast(Table, ArticleRow.__table__)
_STORIES = cast(Table, StoryRow.__table__)
_STORY_ARTICLES = cast(Table, StoryArticleRow.__table__)


def _chunks(ids: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    """Ids in slices small enough for one IN (...) list on every database."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _by_id(table: Table, *columns: str) -> Update:
    """An UPDATE of `columns` for many rows at once, each found by its `row_id` parameter."""
    return (
        update(table)
        .where(table.c.id == bindparam("row_id"))
        .values({c: bindparam(c) for c in columns})
    )


def _state_json(state: dict[str, Any]) -> str:
    """Clustering state as JSON (pydantic-core: floats round-trip exactly, and it is several
    times faster than the json module on centroids of hundreds of terms)."""
    return pydantic_core.to_json(state).decode()


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
