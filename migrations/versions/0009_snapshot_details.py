"""frozen rankings keep every candidate's points per item

Revision ID: 0009
Revises: 0008

A frozen round is shown from its snapshot alone (reports, exports, explanations), so the
snapshot keeps the per-item points beside its payload; the payload holds their sha256.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("ranking_snapshots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("details", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("ranking_snapshots", schema=None) as batch_op:
        batch_op.drop_column("details")
