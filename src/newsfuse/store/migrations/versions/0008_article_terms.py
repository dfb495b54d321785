"""article terms: an original's term ids, so that an ingest that reads the active window back
counts the stream's term frequencies as the ingest that placed those articles did

Articles placed before this revision have none; they count for nothing until they leave the
window (a re-ingest is not needed).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("terms", sa.LargeBinary()))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("terms")
