"""compact grouping state: centroids as bytes, the active window readable by time

Story centroids were JSON dicts of term strings (with the ids of all their articles, rewritten
on every change): a 100k-article store took 18 s and 1.6 GB to load, whole, before one article
could be added. Now each story keeps its centroid as term ids and weights (bytes), the terms it
is found by, its size, time span and the time an article last joined it; articles keep the time
they count as seen. An ingest reads back only the stories and originals of the active window,
and `grouped_seq` tells one ingester what another one changed. Existing JSON states are
converted (and cleared); a downgrade drops the compact state (the stories stay, their centroids
must then be rebuilt by re-ingesting).

Revision ID: 0007
Revises: 0006
"""

from datetime import UTC, datetime
from typing import Any

import pydantic_core
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

STORY_COLUMNS: list[tuple[str, Any]] = [
    ("centroid", sa.LargeBinary()),
    ("posted", sa.LargeBinary()),
    ("dense", sa.LargeBinary()),
    ("size", sa.Integer()),
    ("span_first", sa.DateTime(timezone=True)),
    ("span_last", sa.DateTime(timezone=True)),
    ("active_at", sa.Float()),
    ("grouped_seq", sa.Integer()),
]
ARTICLE_COLUMNS: list[tuple[str, Any]] = [("seen_at", sa.Float()), ("grouped_seq", sa.Integer())]


def _posix(value: object) -> float | None:
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _convert_states() -> None:
    import numpy as np

    from newsfuse.vectors import SparseVector

    bind = op.get_bind()
    stories = sa.table(
        "stories",
        sa.column("id", sa.String),
        sa.column("state", sa.Text),
        *(sa.column(name, kind) for name, kind in STORY_COLUMNS),
    )
    query = sa.select(stories.c.id, stories.c.state).where(stories.c.state.is_not(None))
    rows = bind.execute(query)
    updates = []
    for story_id, state_json in rows.all():
        state = pydantic_core.from_json(state_json)
        centroid = SparseVector.from_terms({str(k): float(v) for k, v in state["centroid"].items()})
        posted = centroid.top_ids(50).astype(np.int64)
        first = datetime.fromisoformat(state["first"]) if state.get("first") else None
        last = datetime.fromisoformat(state["last"]) if state.get("last") else None
        dense = state.get("dense")
        updates.append(
            {
                "row_id": story_id,
                "centroid": centroid.to_bytes(),
                "posted": posted.tobytes(),
                "dense": None if dense is None else np.asarray(dense, np.float32).tobytes(),
                "size": len(state["article_ids"]),
                "span_first": first,
                "span_last": last,
                "active_at": _posix(last or first) or 0.0,
                "grouped_seq": 0,
                "state": None,
            }
        )
    if updates:
        bind.execute(
            sa.update(stories)
            .where(stories.c.id == sa.bindparam("row_id"))
            .values({key: sa.bindparam(key) for key in updates[0] if key != "row_id"}),
            updates,
        )
    articles = sa.table(
        "articles",
        sa.column("id", sa.String),
        sa.column("published_at", sa.DateTime(timezone=True)),
        sa.column("ingested_at", sa.DateTime(timezone=True)),
        sa.column("signature", sa.LargeBinary),
        sa.column("seen_at", sa.Float),
        sa.column("grouped_seq", sa.Integer),
    )
    stored = bind.execute(
        sa.select(articles.c.id, articles.c.published_at, articles.c.ingested_at).where(
            articles.c.signature.is_not(None)
        )
    )
    seen = [
        {"row_id": row[0], "seen_at": _posix(row[1] or row[2]), "grouped_seq": 0}
        for row in stored.all()
    ]
    if seen:
        bind.execute(
            sa.update(articles)
            .where(articles.c.id == sa.bindparam("row_id"))
            .values(seen_at=sa.bindparam("seen_at"), grouped_seq=sa.bindparam("grouped_seq")),
            seen,
        )


def upgrade() -> None:
    # plain ADD COLUMN: SQLite's batch mode would copy the tables and lose the FTS triggers
    for name, kind in STORY_COLUMNS:
        op.add_column("stories", sa.Column(name, kind))
    for name, kind in ARTICLE_COLUMNS:
        op.add_column("articles", sa.Column(name, kind))
    op.create_index("ix_stories_active_at", "stories", ["active_at"])
    op.create_index("ix_stories_grouped_seq", "stories", ["grouped_seq"])
    op.create_index("ix_articles_seen_at", "articles", ["seen_at"])
    op.create_index("ix_articles_grouped_seq", "articles", ["grouped_seq"])
    _convert_states()


def downgrade() -> None:
    op.drop_index("ix_articles_grouped_seq", "articles")
    op.drop_index("ix_articles_seen_at", "articles")
    op.drop_index("ix_stories_grouped_seq", "stories")
    op.drop_index("ix_stories_active_at", "stories")
    with op.batch_alter_table("articles") as batch:
        for name, _ in reversed(ARTICLE_COLUMNS):
            batch.drop_column(name)
    for name, _ in reversed(STORY_COLUMNS):
        with op.batch_alter_table("stories") as batch:
            batch.drop_column(name)
