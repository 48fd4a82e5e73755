"""unit headcount; an initiative may count for several candidates when the rules share it

Revision ID: 0015
Revises: 0012

A collective title's condition on the share of its members holding a title needs the unit's
staff count; initiatives shared by several authors or units need one claim row per candidate.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.add_column(sa.Column("headcount", sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_units_headcount_sane"),
            "headcount IS NULL OR headcount BETWEEN 1 AND 100000",
        )
    with op.batch_alter_table("initiative_claims", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_initiative_claims_initiative_id"), type_="unique")
        batch_op.create_unique_constraint(
            op.f("uq_initiative_claims_initiative_id"),
            ["initiative_id", "movement_id", "candidate_id"],
        )


def downgrade():
    with op.batch_alter_table("initiative_claims", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_initiative_claims_initiative_id"), type_="unique")
        batch_op.create_unique_constraint(
            op.f("uq_initiative_claims_initiative_id"), ["initiative_id", "movement_id"]
        )
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_units_headcount_sane"), type_="check")
        batch_op.drop_column("headcount")
