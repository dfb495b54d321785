"""story listing index: stories largest first, a page at a time

The story list (`/`, `GET /api/stories`, `newsfuse stories`) orders by size then id and reads
one page; with this index the database walks the index for that page instead of sorting the
whole table (whose rows hold the reports).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_stories_listing", "stories", [sa.text("article_count DESC"), "id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_stories_listing", "stories")
