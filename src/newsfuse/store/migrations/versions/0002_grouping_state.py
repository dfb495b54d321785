"""grouping state: article signatures and duplicate links, story clustering state

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("signature", sa.LargeBinary()))
        batch.add_column(sa.Column("shingles", sa.Integer()))
        batch.add_column(sa.Column("exact_hash", sa.String(40)))
        batch.add_column(sa.Column("duplicate_of", sa.String(32)))
    op.create_index("ix_articles_exact_hash", "articles", ["exact_hash"])
    with op.batch_alter_table("stories") as batch:
        batch.add_column(sa.Column("state", sa.Text()))
        batch.add_column(sa.Column("created_seq", sa.Integer()))


def downgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("created_seq")
        batch.drop_column("state")
    op.drop_index("ix_articles_exact_hash", "articles")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("duplicate_of")
        batch.drop_column("exact_hash")
        batch.drop_column("shingles")
        batch.drop_column("signature")
