"""stale reports: a story whose members changed and whose report is yet to be rebuilt

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN: SQLite's batch mode would copy the table and lose its FTS triggers
    op.add_column(
        "stories", sa.Column("stale", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.create_index("ix_stories_stale", "stories", ["stale"])


def downgrade() -> None:
    op.drop_index("ix_stories_stale", "stories")
    op.drop_column("stories", "stale")
