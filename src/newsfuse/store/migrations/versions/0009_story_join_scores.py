"""story join scores and languages: the sum and number of the scores a story's articles joined
it with, and the languages they are in, so that an ingest that reads the active window back
holds a story's members to the same bar, and compares across languages, as the ingest that
placed them

Stories grouped before this revision start from none: their next articles are held to the
stream's usual score until they have joins of their own, and compared by terms.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("stories", sa.Column("join_sum", sa.Float()))
    op.add_column("stories", sa.Column("joins", sa.Integer()))
    op.add_column("stories", sa.Column("languages", sa.String(200)))


def downgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("languages")
        batch.drop_column("joins")
        batch.drop_column("join_sum")
