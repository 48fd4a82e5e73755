"""individual nominations: the year's rating and achievement summary of a nominated person

Revision ID: 0010
Revises: 0007

A unit nominates people (cá nhân) for individual titles and awards; each nomination keeps the
person's rating for the year and a summary of achievements, and when it was made.
"""

from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rating", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("achievement", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("nominated_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.drop_column("nominated_at")
        batch_op.drop_column("achievement")
        batch_op.drop_column("rating")
