"""indexed lookups: stories by creation order, full-text rows by their article or story id

Every grouping transaction reads the largest `created_seq`, and every report written replaces
its story's full-text row. Without an index the first scans the stories table and, with the id
column UNINDEXED, the second scans the whole FTS table: both grow with the store, which made
ingest slow down batch after batch (28 ms per report at 100k stories). The FTS id columns are
now indexed, triggers find a row through MATCH (then compare the id exactly), and searches
name the text columns so ids never match a user's words.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# (table, id column, text columns) of each full-text table
FTS_TABLES = [
    ("articles_fts", "article_id", "title, body"),
    ("stories_fts", "story_id", "title, summary"),
]


def _match_id(table: str, column: str, value: str) -> str:
    """SQL that finds the FTS rows of one id through the index (ids hold no double quotes but
    are escaped all the same), then keeps only the exact id."""
    phrase = f"""'{column} : "' || replace({value}, '"', '""') || '"'"""
    return f"{table} MATCH {phrase} AND {column} = {value}"


TRIGGERS = (
    "articles_fts_insert",
    "articles_fts_delete",
    "stories_fts_upsert",
    "stories_fts_delete",
)


def _recreate(indexed: bool) -> None:
    """Rebuild both FTS tables with their id column indexed or not, keeping their rows (the
    triggers go first: SQLite will not rename a table while a trigger names a missing one)."""
    for trigger in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for table, column, columns in FTS_TABLES:
        flag = "" if indexed else " UNINDEXED"
        op.execute(f"CREATE VIRTUAL TABLE {table}_new USING fts5({column}{flag}, {columns})")
        op.execute(
            f"INSERT INTO {table}_new ({column}, {columns}) SELECT {column}, {columns} FROM {table}"
        )
        op.execute(f"DROP TABLE {table}")
        op.execute(f"ALTER TABLE {table}_new RENAME TO {table}")


def _triggers(indexed: bool) -> None:
    def where(table: str, column: str, value: str) -> str:
        return _match_id(table, column, value) if indexed else f"{column} = {value}"

    op.execute(
        """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
             INSERT INTO articles_fts (article_id, title, body)
             VALUES (new.id, coalesce(new.title, ''), json_extract(new.data, '$.text'));
           END"""
    )
    op.execute(
        f"""CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
             DELETE FROM articles_fts WHERE {where("articles_fts", "article_id", "old.id")};
           END"""
    )
    op.execute(
        f"""CREATE TRIGGER stories_fts_upsert AFTER UPDATE OF report ON stories BEGIN
             DELETE FROM stories_fts WHERE {where("stories_fts", "story_id", "new.id")};
             INSERT INTO stories_fts (story_id, title, summary)
             VALUES (new.id, new.title, coalesce(json_extract(new.report, '$.summary'), ''));
           END"""
    )
    op.execute(
        f"""CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories BEGIN
             DELETE FROM stories_fts WHERE {where("stories_fts", "story_id", "old.id")};
           END"""
    )


def upgrade() -> None:
    op.create_index("ix_stories_created_seq", "stories", ["created_seq"])
    if op.get_bind().dialect.name != "sqlite":
        return
    _recreate(indexed=True)
    _triggers(indexed=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _recreate(indexed=False)
        _triggers(indexed=False)
    op.drop_index("ix_stories_created_seq", "stories")
