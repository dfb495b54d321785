"""The grouping state in the store: the compact story state (centroid bytes, the terms a
story is found by, its span), the originals' signatures, and the sequence number that tells
one ingester what another one changed.

Saving a batch's grouping is one transaction under the database's write lock (SQLite's BEGIN
IMMEDIATE, a PostgreSQL advisory lock) that first checks that nobody grouped since this
ingester last looked (`GroupingConflict` otherwise): two ingesters then group as one would,
one batch after the other, instead of splitting a story between them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from sqlalchemy import Table, and_, bindparam, func, insert, select, text, update
from sqlalchemy.orm import Session

from ..group.story import StoryState
from ..model import Story
from ..vectors import ID, SparseVector
from .tables import ArticleRow, StoryArticleRow, StoryRow

if TYPE_CHECKING:
    from ..group.dedupe import Original
    from ..group.grouper import Placement, StoredOriginal

_ARTICLES = cast(Table, ArticleRow.__table__)
_STORIES = cast(Table, StoryRow.__table__)
_STORY_ARTICLES = cast(Table, StoryArticleRow.__table__)
_PG_GROUPING_LOCK = 7_311_905_418
_DENSE = np.dtype("<f4")


class GroupingConflict(Exception):
    """Another ingester grouped articles since this one last read the store."""


def chunks(ids: Sequence[str], size: int = 500) -> Iterable[Sequence[str]]:
    """Ids in slices small enough for one IN (...) list on every database."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def by_id(table: Table, *columns: str) -> Any:
    """An UPDATE of `columns` for many rows at once, each found by its `row_id` parameter."""
    return (
        update(table)
        .where(table.c.id == bindparam("row_id"))
        .values({c: bindparam(c) for c in columns})
    )


@dataclass
class StoryReport:
    """A built report as it is written: its row values, without the article texts."""

    id: str
    title: str
    articles: int
    first_published: datetime | None
    last_published: datetime | None
    report: str

    @classmethod
    def of(cls, story: Story) -> StoryReport:
        return cls(
            story.id,
            story.title,
            len(story.articles),
            story.coverage.first_published,
            story.coverage.last_published,
            story.model_dump_json(exclude={"articles"}),
        )


_STATE_COLUMNS = (
    StoryRow.id,
    StoryRow.posted,
    StoryRow.dense,
    StoryRow.size,
    StoryRow.span_first,
    StoryRow.span_last,
    StoryRow.active_at,
    StoryRow.join_sum,
    StoryRow.joins,
    StoryRow.languages,
)


def _state(row: Any, centroid: bytes | None = None, with_centroid: bool = False) -> StoryState:
    story_id, posted, dense, size, first, last, active, join_sum, joins, languages = row
    return StoryState(
        id=story_id,
        size=int(size or 0),
        centroid=SparseVector.from_bytes(centroid or b"") if with_centroid else None,
        dense=None if dense is None else np.frombuffer(dense, dtype=_DENSE).copy(),
        first=aware_utc(first),
        last=aware_utc(last),
        active=float(active or 0.0),
        posted=tuple(int(t) for t in np.frombuffer(posted or b"", dtype=ID)),
        join_sum=float(join_sum or 0.0),
        joins=int(joins or 0),
        languages=frozenset(languages.split(",")) if languages else frozenset(),
    )


def aware_utc(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:  # SQLite gives naive UTC back
        return moment.replace(tzinfo=UTC)
    return moment


def _originals(session: Session, condition: Any) -> list[StoredOriginal]:
    # grouping's own types load with grouping (MinHash, word frequencies): only an ingest
    # reads originals, and a command that lists or shows stories goes without them
    from ..group.grouper import StoredOriginal
    from ..index import signature_values

    query = (
        select(
            ArticleRow.id,
            ArticleRow.signature,
            ArticleRow.shingles,
            ArticleRow.exact_hash,
            ArticleRow.seen_at,
            StoryArticleRow.story_id,
            ArticleRow.terms,
            ArticleRow.outlet,
        )
        .join(StoryArticleRow, StoryArticleRow.article_id == ArticleRow.id)
        .where(ArticleRow.signature.is_not(None), ArticleRow.duplicate_of.is_(None), condition)
        .order_by(ArticleRow.seen_at, ArticleRow.id)
    )
    return [
        StoredOriginal(
            article_id,
            signature_values(signature or b""),
            int(shingles or 0),
            str(exact_hash),
            float(seen or 0.0),
            story_id,
            np.frombuffer(terms or b"", dtype=ID),
            outlet,
        )
        for (
            article_id,
            signature,
            shingles,
            exact_hash,
            seen,
            story_id,
            terms,
            outlet,
        ) in session.execute(query)
    ]


class GroupingStore:
    """The grouping half of the store (mixed into `Store`)."""

    def session(self) -> Session:  # provided by Store
        raise NotImplementedError

    @property
    def dialect(self) -> str:  # provided by Store
        raise NotImplementedError

    def grouping_seq(self) -> int:
        """The number of the last grouping transaction (0 for none)."""
        with self.session() as session:
            return int(session.scalar(select(func.max(StoryRow.grouped_seq))) or 0)

    def latest_activity(self) -> float | None:
        """When an article last joined a story (POSIX time), or None for an empty store."""
        with self.session() as session:
            latest = session.scalar(select(func.max(StoryRow.active_at)))
            return None if latest is None else float(latest)

    def window(
        self, since: float, before: float | None = None
    ) -> tuple[list[StoryState], list[StoredOriginal]]:
        """The stories last joined, and the originals seen, from `since` (and before `before`):
        what an ingest needs in memory. Centroids are read later, when needed."""
        active = StoryRow.active_at >= since
        seen = ArticleRow.seen_at >= since
        if before is not None:
            active = and_(active, StoryRow.active_at < before)
            seen = and_(seen, ArticleRow.seen_at < before)
        query = (
            select(*_STATE_COLUMNS)
            .where(active, StoryRow.centroid.is_not(None))
            .order_by(StoryRow.created_seq, StoryRow.id)
        )
        with self.session() as session:
            states = [_state(row) for row in session.execute(query)]
            return states, _originals(session, seen)

    def changes_since(self, seq: int) -> tuple[list[StoryState], list[StoredOriginal]]:
        """What grouping transactions after `seq` changed: stories (with their centroids) and
        the originals they placed."""
        query = (
            select(*_STATE_COLUMNS, StoryRow.centroid)
            .where(StoryRow.grouped_seq > seq, StoryRow.centroid.is_not(None))
            .order_by(StoryRow.created_seq, StoryRow.id)
        )
        with self.session() as session:
            states = [
                _state(row[:-1], cast(bytes | None, row[-1]), with_centroid=True)
                for row in session.execute(query)
            ]
            return states, _originals(session, ArticleRow.grouped_seq > seq)

    def centroids(self, story_ids: Sequence[str]) -> dict[str, SparseVector]:
        found: dict[str, SparseVector] = {}
        with self.session() as session:
            for chunk in chunks(sorted(set(story_ids))):
                query = select(StoryRow.id, StoryRow.centroid).where(StoryRow.id.in_(chunk))
                for story_id, centroid in session.execute(query):
                    found[story_id] = SparseVector.from_bytes(centroid or b"")
        return found

    def grouping_states(self, story_ids: Sequence[str]) -> list[StoryState]:
        """The grouping state of these stories, with their centroids, in creation order."""
        states = []
        with self.session() as session:
            for chunk in chunks(sorted(set(story_ids))):
                query = (
                    select(*_STATE_COLUMNS, StoryRow.centroid)
                    .where(StoryRow.id.in_(chunk), StoryRow.centroid.is_not(None))
                    .order_by(StoryRow.created_seq, StoryRow.id)
                )
                states += [
                    _state(row[:-1], cast(bytes | None, row[-1]), with_centroid=True)
                    for row in session.execute(query)
                ]
        return states

    def originals_by_hash(self, hashes: Sequence[str]) -> dict[str, Original]:
        """Stored originals with these exact hashes (copies of articles of any age)."""
        from ..group.dedupe import Original  # as in _originals

        found: dict[str, Original] = {}
        with self.session() as session:
            for chunk in chunks(sorted(set(hashes))):
                query = (
                    select(ArticleRow.exact_hash, ArticleRow.id, StoryArticleRow.story_id)
                    .join(StoryArticleRow, StoryArticleRow.article_id == ArticleRow.id)
                    .where(ArticleRow.exact_hash.in_(chunk), ArticleRow.duplicate_of.is_(None))
                    .order_by(ArticleRow.seen_at, ArticleRow.id)
                )
                for exact_hash, article_id, story_id in session.execute(query):
                    found.setdefault(str(exact_hash), Original(article_id, story_id))
        return found

    def save_grouping(
        self,
        placements: Sequence[Placement],
        states: Sequence[StoryState],
        reports: Sequence[StoryReport] = (),
        expected_seq: int | None = None,
    ) -> tuple[int, int]:
        """Record, in one transaction, where articles went, the grouping state of the stories
        they changed and (when given) those stories' reports; a changed story without its
        report is marked stale. With `expected_seq`, fails with `GroupingConflict` when the
        last grouping transaction is another one. Returns (reports written, this
        transaction's number)."""
        now = datetime.now(UTC)
        with self.session() as session, session.begin():
            db = session.connection()
            if self.dialect == "sqlite":
                db.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock, before anything is read
            elif self.dialect == "postgresql":
                db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_GROUPING_LOCK})
            last = int(session.scalar(select(func.max(StoryRow.grouped_seq))) or 0)
            if expected_seq is not None and last != expected_seq:
                raise GroupingConflict(f"grouped up to {last}, this ingester saw {expected_seq}")
            seq = last + 1
            created = int(session.scalar(select(func.max(StoryRow.created_seq))) or 0)
            existing = _existing(session, [state.id for state in states])
            first_title: dict[str, str] = {}
            for item in placements:
                first_title.setdefault(item.story_id, item.title)
            opened, grown = [], []
            for state in states:
                assert state.centroid is not None
                values = {
                    "centroid": state.centroid.to_bytes(),
                    "posted": np.asarray(state.posted, dtype=ID).tobytes(),
                    "dense": None if state.dense is None else state.dense.astype(_DENSE).tobytes(),
                    "size": state.size,
                    "span_first": state.first,
                    "span_last": state.last,
                    "active_at": state.active,
                    "join_sum": state.join_sum,
                    "joins": state.joins,
                    "languages": ",".join(sorted(state.languages))[:200] or None,
                    "grouped_seq": seq,
                    "stale": True,
                    # listed with its size and a title at once, before its report is written
                    "article_count": state.size,
                }
                if state.id in existing:
                    grown.append(values | {"row_id": state.id})
                else:
                    created += 1
                    opened.append(
                        values
                        | {
                            "id": state.id,
                            "title": first_title.get(state.id, ""),
                            "report": "{}",
                            "created_seq": created,
                            "updated_at": now,
                        }
                    )
            # Core statements: the ORM's bulk path costs more Python time than the database's
            if opened:
                db.execute(insert(_STORIES), opened)
            if grown:
                db.execute(by_id(_STORIES, *(k for k in grown[0] if k != "row_id")), grown)
            if placements:
                db.execute(
                    by_id(
                        _ARTICLES,
                        "signature",
                        "shingles",
                        "exact_hash",
                        "duplicate_of",
                        "seen_at",
                        "grouped_seq",
                        "terms",
                    ),
                    [
                        {
                            "row_id": item.article_id,
                            "signature": item.signature,
                            "shingles": item.shingles,
                            "exact_hash": item.exact_hash,
                            "duplicate_of": item.duplicate_of,
                            "seen_at": item.seen_at,
                            "grouped_seq": seq,
                            "terms": item.terms or None,
                        }
                        for item in placements
                    ],
                )
                db.execute(
                    insert(_STORY_ARTICLES),
                    [{"story_id": i.story_id, "article_id": i.article_id} for i in placements],
                )
            return write_reports(session, reports, now), seq


def _existing(session: Session, story_ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in chunks(sorted(set(story_ids))):
        found.update(session.scalars(select(StoryRow.id).where(StoryRow.id.in_(chunk))))
    return found


def write_reports(session: Session, reports: Sequence[StoryReport], now: datetime) -> int:
    """Write reports that changed. A story stays stale when its members changed after its
    report was built (another ingester added some): the next rebuild sees them all."""
    if not reports:
        return 0
    ids = [report.id for report in reports]
    counts: dict[str, int] = {}
    rows: dict[str, StoryRow] = {}
    for chunk in chunks(ids):
        query = (
            select(StoryArticleRow.story_id, func.count())
            .where(StoryArticleRow.story_id.in_(chunk))
            .group_by(StoryArticleRow.story_id)
        )
        counts.update((str(story_id), int(n)) for story_id, n in session.execute(query))
        found = session.scalars(select(StoryRow).where(StoryRow.id.in_(chunk)))
        rows.update({row.id: row for row in found})
    written = 0
    for report in reports:
        row = rows.get(report.id)
        if row is None:
            continue
        row.stale = counts.get(report.id, 0) != report.articles
        if row.report == report.report:
            continue
        row.title = report.title
        row.article_count = report.articles
        row.first_published = report.first_published
        row.last_published = report.last_published
        row.report = report.report
        row.updated_at = now
        written += 1
    return written
