"""registration and activity plan

Revision ID: 0005
Revises: 0004

Units register targets and titles for a movement; the movement's activity plan with lead and
coordinating units, due times and progress reports with evidence.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "plan_activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("movement_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("lead_unit_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("expected_output", sa.Text(), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("length(title) > 0", name=op.f("ck_plan_activities_title_given")),
        sa.CheckConstraint(
            "progress >= 0 AND progress <= 100", name=op.f("ck_plan_activities_progress_percent")
        ),
        sa.ForeignKeyConstraint(
            ["lead_unit_id"], ["units.id"], name=op.f("fk_plan_activities_lead_unit_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["movement_id"], ["movements.id"], name=op.f("fk_plan_activities_movement_id_movements")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_activities")),
    )
    op.create_index(
        op.f("ix_plan_activities_lead_unit_id"), "plan_activities", ["lead_unit_id"], unique=False
    )
    op.create_index(
        op.f("ix_plan_activities_movement_id"), "plan_activities", ["movement_id"], unique=False
    )
    op.create_table(
        "plan_coordinators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["plan_activities.id"],
            name=op.f("fk_plan_coordinators_activity_id_plan_activities"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_plan_coordinators_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_coordinators")),
        sa.UniqueConstraint(
            "activity_id", "unit_id", name=op.f("uq_plan_coordinators_activity_id")
        ),
    )
    op.create_index(
        op.f("ix_plan_coordinators_activity_id"), "plan_coordinators", ["activity_id"], unique=False
    )
    op.create_index(
        op.f("ix_plan_coordinators_unit_id"), "plan_coordinators", ["unit_id"], unique=False
    )
    op.create_table(
        "plan_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("content_type", sa.String(length=100), nullable=True),
        sa.Column("size_bytes", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "progress >= 0 AND progress <= 100", name=op.f("ck_plan_reports_progress_percent")
        ),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["plan_activities.id"],
            name=op.f("fk_plan_reports_activity_id_plan_activities"),
        ),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"], name=op.f("fk_plan_reports_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_reports")),
    )
    op.create_index(
        op.f("ix_plan_reports_activity_id"), "plan_reports", ["activity_id"], unique=False
    )
    op.create_index(op.f("ix_plan_reports_sha256"), "plan_reports", ["sha256"], unique=False)
    op.create_table(
        "registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("movement_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("titles", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("return_reason", sa.Text(), nullable=True),
        sa.Column("reopened_until", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('draft', 'confirmed', 'accepted', 'returned')",
            name=op.f("ck_registrations_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"], ["users.id"], name=op.f("fk_registrations_confirmed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_registrations_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["movement_id"], ["movements.id"], name=op.f("fk_registrations_movement_id_movements")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_registrations_unit_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_registrations_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registrations")),
        sa.UniqueConstraint("movement_id", "unit_id", name=op.f("uq_registrations_movement_id")),
    )
    op.create_index(
        op.f("ix_registrations_movement_id"), "registrations", ["movement_id"], unique=False
    )
    op.create_index(op.f("ix_registrations_unit_id"), "registrations", ["unit_id"], unique=False)
    op.create_table(
        "registration_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("indicator_code", sa.String(length=40), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.CheckConstraint("target >= 0", name=op.f("ck_registration_targets_target_not_negative")),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_registration_targets_registration_id_registrations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_targets")),
        sa.UniqueConstraint(
            "registration_id",
            "indicator_code",
            name=op.f("uq_registration_targets_registration_id"),
        ),
    )
    op.create_index(
        op.f("ix_registration_targets_registration_id"),
        "registration_targets",
        ["registration_id"],
        unique=False,
    )


def downgrade():
    op.drop_index(
        op.f("ix_registration_targets_registration_id"), table_name="registration_targets"
    )
    op.drop_table("registration_targets")
    op.drop_index(op.f("ix_registrations_unit_id"), table_name="registrations")
    op.drop_index(op.f("ix_registrations_movement_id"), table_name="registrations")
    op.drop_table("registrations")
    op.drop_index(op.f("ix_plan_reports_sha256"), table_name="plan_reports")
    op.drop_index(op.f("ix_plan_reports_activity_id"), table_name="plan_reports")
    op.drop_table("plan_reports")
    op.drop_index(op.f("ix_plan_coordinators_unit_id"), table_name="plan_coordinators")
    op.drop_index(op.f("ix_plan_coordinators_activity_id"), table_name="plan_coordinators")
    op.drop_table("plan_coordinators")
    op.drop_index(op.f("ix_plan_activities_movement_id"), table_name="plan_activities")
    op.drop_index(op.f("ix_plan_activities_lead_unit_id"), table_name="plan_activities")
    op.drop_table("plan_activities")
