"""individual nominations (rating, achievements) and the register of recognised initiatives

Revision ID: 0010
Revises: 0009

A unit nominates people (cá nhân) for individual titles and awards; each nomination keeps the
person's rating for the year and a summary of achievements, and when it was made.
Recognised initiatives (sáng kiến) are registered with their recognising decision; each counts
for at most one candidate per movement. Award history: each unit's and person's titles and
awards by year, imported for past years or added from decisions; the register of issued
decisions (number, date, signer, issuing body) per round. Unit changes (rename, merge, split
effective on a date) link a unit to its successor.
"""

from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rating", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("achievement", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("nominated_at", sa.DateTime(), nullable=True))
    op.create_table(
        "initiatives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("authors", sa.String(length=1000), nullable=False),
        sa.Column("field", sa.String(length=200), nullable=False),
        sa.Column("decision_no", sa.String(length=100), nullable=False),
        sa.Column("decision_date", sa.Date(), nullable=False),
        sa.Column("level", sa.String(length=12), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "level IN ('unit', 'provincial', 'sector', 'national')",
            name=op.f("ck_initiatives_level_known"),
        ),
        sa.CheckConstraint("length(title) > 0", name=op.f("ck_initiatives_title_given")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_initiatives_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_initiatives_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiatives")),
    )
    with op.batch_alter_table("initiatives", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_initiatives_unit_id"), ["unit_id"], unique=False)
    op.create_table(
        "initiative_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("movement_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"], ["candidates.id"],
            name=op.f("fk_initiative_claims_candidate_id_candidates"),
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiatives.id"],
            name=op.f("fk_initiative_claims_initiative_id_initiatives"),
        ),
        sa.ForeignKeyConstraint(
            ["movement_id"], ["movements.id"], name=op.f("fk_initiative_claims_movement_id_movements")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiative_claims")),
        sa.UniqueConstraint(
            "initiative_id", "movement_id", name=op.f("uq_initiative_claims_initiative_id")
        ),
    )
    with op.batch_alter_table("initiative_claims", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_initiative_claims_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_initiative_claims_initiative_id"), ["initiative_id"], unique=False
        )


    op.create_table(
        "award_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("person_name", sa.String(length=200), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("award_code", sa.String(length=80), nullable=False),
        sa.Column("award_name", sa.String(length=300), nullable=False),
        sa.Column("decision_no", sa.String(length=100), nullable=False),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("issuing_body", sa.String(length=300), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("year BETWEEN 1975 AND 2100", name=op.f("ck_award_records_year_sane")),
        sa.CheckConstraint(
            "source IN ('import', 'decision')", name=op.f("ck_award_records_source_known")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_award_records_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_award_records")),
    )
    with op.batch_alter_table("award_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_award_records_unit_id"), ["unit_id"], unique=False)


    op.create_table(
        "award_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("signer", sa.String(length=200), nullable=False),
        sa.Column("issuing_body", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_award_decisions_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_award_decisions_round_id_rounds")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_award_decisions")),
        sa.UniqueConstraint("round_id", "number", name=op.f("uq_award_decisions_round_id")),
    )
    with op.batch_alter_table("award_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_award_decisions_round_id"), ["round_id"], unique=False)


    op.create_table(
        "unit_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("predecessor_id", sa.Integer(), nullable=False),
        sa.Column("successor_id", sa.Integer(), nullable=False),
        sa.Column("predecessor_name", sa.String(length=200), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('rename', 'merge', 'split')", name=op.f("ck_unit_changes_kind_known")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_unit_changes_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["predecessor_id"], ["units.id"], name=op.f("fk_unit_changes_predecessor_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["successor_id"], ["units.id"], name=op.f("fk_unit_changes_successor_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_changes")),
    )
    with op.batch_alter_table("unit_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_unit_changes_predecessor_id"), ["predecessor_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_unit_changes_successor_id"), ["successor_id"], unique=False
        )


def downgrade():
    op.drop_table("unit_changes")
    op.drop_table("award_decisions")
    op.drop_table("award_records")
    op.drop_table("initiative_claims")
    op.drop_table("initiatives")
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.drop_column("nominated_at")
        batch_op.drop_column("achievement")
        batch_op.drop_column("rating")
