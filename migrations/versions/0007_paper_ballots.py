"""paper ballots: who recorded a vote on a member's behalf

Revision ID: 0007
Revises: 0006

A member may vote on paper at the meeting; the secretariat types the ballot in. The vote
stays the member's, and `recorded_by_id` says who entered it.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recorded_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_votes_recorded_by_id_users"), "users", ["recorded_by_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_votes_recorded_by_id_users"), type_="foreignkey")
        batch_op.drop_column("recorded_by_id")
