"""narratives, supplements, extensions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:56:25.037154

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():

    op.create_table(
        "deadline_extensions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("until", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("granted_by_id", sa.Integer(), nullable=True),
        sa.Column("granted_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("length(reason) > 0", name=op.f("ck_deadline_extensions_reason_given")),
        sa.ForeignKeyConstraint(
            ["granted_by_id"], ["users.id"], name=op.f("fk_deadline_extensions_granted_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_deadline_extensions_round_id_rounds")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_deadline_extensions_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_extensions")),
        sa.UniqueConstraint("round_id", "unit_id", name=op.f("uq_deadline_extensions_round_id")),
    )
    with op.batch_alter_table("deadline_extensions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deadline_extensions_round_id"), ["round_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_deadline_extensions_unit_id"), ["unit_id"], unique=False
        )

    op.create_table(
        "criterion_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("criterion_code", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_criterion_notes_dossier_id_dossiers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_criterion_notes")),
        sa.UniqueConstraint(
            "dossier_id", "criterion_code", name=op.f("uq_criterion_notes_dossier_id")
        ),
    )
    with op.batch_alter_table("criterion_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_criterion_notes_dossier_id"), ["dossier_id"], unique=False
        )

    op.create_table(
        "supplement_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "due_at > requested_at", name=op.f("ck_supplement_requests_due_after_request")
        ),
        sa.CheckConstraint("length(reason) > 0", name=op.f("ck_supplement_requests_reason_given")),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_supplement_requests_dossier_id_dossiers")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_supplement_requests_requested_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplement_requests")),
    )
    with op.batch_alter_table("supplement_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_supplement_requests_dossier_id"), ["dossier_id"], unique=False
        )


def downgrade():

    with op.batch_alter_table("supplement_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supplement_requests_dossier_id"))

    op.drop_table("supplement_requests")
    with op.batch_alter_table("criterion_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_criterion_notes_dossier_id"))

    op.drop_table("criterion_notes")
    with op.batch_alter_table("deadline_extensions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deadline_extensions_unit_id"))
        batch_op.drop_index(batch_op.f("ix_deadline_extensions_round_id"))

    op.drop_table("deadline_extensions")
