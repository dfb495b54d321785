"""full-text search: SQLite FTS5 tables kept by triggers (PostgreSQL searches with tsvector)

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL: to_tsvector at query time, no extra table
    op.execute("CREATE VIRTUAL TABLE articles_fts USING fts5(article_id UNINDEXED, title, body)")
    op.execute("CREATE VIRTUAL TABLE stories_fts USING fts5(story_id UNINDEXED, title, summary)")
    op.execute(
        "INSERT INTO articles_fts (article_id, title, body) "
        "SELECT id, coalesce(title, ''), json_extract(data, '$.text') FROM articles"
    )
    op.execute(
        """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
             INSERT INTO articles_fts (article_id, title, body)
             VALUES (new.id, coalesce(new.title, ''), json_extract(new.data, '$.text'));
           END"""
    )
    op.execute(
        """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
             DELETE FROM articles_fts WHERE article_id = old.id;
           END"""
    )
    op.execute(
        """CREATE TRIGGER stories_fts_upsert AFTER UPDATE OF report ON stories BEGIN
             DELETE FROM stories_fts WHERE story_id = new.id;
             INSERT INTO stories_fts (story_id, title, summary)
             VALUES (new.id, new.title, coalesce(json_extract(new.report, '$.summary'), ''));
           END"""
    )
    op.execute(
        """CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories BEGIN
             DELETE FROM stories_fts WHERE story_id = old.id;
           END"""
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in (
        "articles_fts_insert",
        "articles_fts_delete",
        "stories_fts_upsert",
        "stories_fts_delete",
    ):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS articles_fts")
    op.execute("DROP TABLE IF EXISTS stories_fts")
