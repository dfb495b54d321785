"""initial: articles, stories, story_articles

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("url", sa.String(2048), unique=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("outlet", sa.String(512)),
        sa.Column("title", sa.Text()),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("language", sa.String(16)),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_articles_published_at", "articles", ["published_at"])
    op.create_table(
        "stories",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("article_count", sa.Integer(), nullable=False),
        sa.Column("first_published", sa.DateTime(timezone=True)),
        sa.Column("last_published", sa.DateTime(timezone=True)),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "story_articles",
        sa.Column(
            "story_id",
            sa.String(40),
            sa.ForeignKey("stories.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "article_id",
            sa.String(32),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
            unique=True,
        ),
    )


def downgrade() -> None:
    op.drop_table("story_articles")
    op.drop_table("stories")
    op.drop_index("ix_articles_published_at", "articles")
    op.drop_table("articles")
