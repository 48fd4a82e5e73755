"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 09:55:28.878950

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():

    op.create_table(
        "clusters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.CheckConstraint("length(code) > 0", name=op.f("ck_clusters_code_not_empty")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clusters")),
        sa.UniqueConstraint("code", name=op.f("uq_clusters_code")),
    )
    op.create_table(
        "movements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("organisation", sa.String(length=300), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("length(code) > 0", name=op.f("ck_movements_code_not_empty")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_movements")),
        sa.UniqueConstraint("code", name=op.f("uq_movements_code")),
    )
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("movement_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("opens_at", sa.DateTime(), nullable=False),
        sa.Column("deadline", sa.DateTime(), nullable=False),
        sa.Column("grace_seconds", sa.Integer(), nullable=False),
        sa.Column("late_policy", sa.String(length=20), nullable=False),
        sa.Column("award_date", sa.Date(), nullable=True),
        sa.Column("rules_filename", sa.String(length=300), nullable=False),
        sa.Column("rules_text", sa.Text(), nullable=False),
        sa.Column("rules_hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("kind IN ('interim', 'final')", name=op.f("ck_rounds_kind_known")),
        sa.CheckConstraint(
            "late_policy IN ('reject', 'accept_flagged')", name=op.f("ck_rounds_late_policy_known")
        ),
        sa.CheckConstraint("grace_seconds >= 0", name=op.f("ck_rounds_grace_not_negative")),
        sa.CheckConstraint("length(rules_hash) = 64", name=op.f("ck_rounds_rules_hash_sha256")),
        sa.CheckConstraint("opens_at < deadline", name=op.f("ck_rounds_opens_before_deadline")),
        sa.ForeignKeyConstraint(
            ["movement_id"], ["movements.id"], name=op.f("fk_rounds_movement_id_movements")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rounds")),
        sa.UniqueConstraint("movement_id", "code", name=op.f("uq_rounds_movement_id")),
    )
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rounds_movement_id"), ["movement_id"], unique=False)

    op.create_table(
        "units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("length(code) > 0", name=op.f("ck_units_code_not_empty")),
        sa.ForeignKeyConstraint(
            ["cluster_id"], ["clusters.id"], name=op.f("fk_units_cluster_id_clusters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_units")),
        sa.UniqueConstraint("code", name=op.f("uq_units_code")),
    )
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_units_cluster_id"), ["cluster_id"], unique=False)

    op.create_table(
        "candidates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("movement_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("person_name", sa.String(length=200), nullable=True),
        sa.Column("position", sa.String(length=200), nullable=True),
        sa.CheckConstraint(
            "kind = 'collective' OR person_name IS NOT NULL",
            name=op.f("ck_candidates_individual_has_name"),
        ),
        sa.CheckConstraint(
            "kind IN ('collective', 'individual')", name=op.f("ck_candidates_kind_known")
        ),
        sa.ForeignKeyConstraint(
            ["movement_id"], ["movements.id"], name=op.f("fk_candidates_movement_id_movements")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_candidates_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidates")),
    )
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_candidates_movement_id"), ["movement_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_candidates_unit_id"), ["unit_id"], unique=False)
        batch_op.create_index(
            "uq_candidates_collective_unit",
            ["movement_id", "unit_id"],
            unique=True,
            sqlite_where=sa.text("kind = 'collective'"),
            postgresql_where=sa.text("kind = 'collective'"),
        )

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("password_hash", sa.String(length=256), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "NOT (role IN ('unit_editor', 'unit_head')) OR unit_id IS NOT NULL",
            name=op.f("ck_users_unit_role_has_unit"),
        ),
        sa.CheckConstraint(
            "role IN ('unit_editor', 'unit_head', 'reviewer', 'secretariat', 'admin')",
            name=op.f("ck_users_role_known"),
        ),
        sa.CheckConstraint("length(username) > 0", name=op.f("ck_users_username_not_empty")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_users_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("object_type", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("remote_addr", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_audit_events_actor_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_events_at"), ["at"], unique=False)

    op.create_table(
        "dossiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'returned', 'withdrawn')",
            name=op.f("ck_dossiers_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"], ["candidates.id"], name=op.f("fk_dossiers_candidate_id_candidates")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_dossiers_round_id_rounds")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossiers")),
        sa.UniqueConstraint("round_id", "candidate_id", name=op.f("uq_dossiers_round_id")),
    )
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dossiers_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_dossiers_round_id"), ["round_id"], unique=False)

    op.create_table(
        "ranking_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("rules_hash", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.Column("reopened_at", sa.DateTime(), nullable=True),
        sa.Column("reopen_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "length(payload_hash) = 64", name=op.f("ck_ranking_snapshots_payload_hash_sha256")
        ),
        sa.CheckConstraint(
            "reopened_at IS NULL OR length(reopen_reason) > 0",
            name=op.f("ck_ranking_snapshots_reopen_has_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_ranking_snapshots_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_ranking_snapshots_round_id_rounds")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ranking_snapshots")),
    )
    with op.batch_alter_table("ranking_snapshots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ranking_snapshots_round_id"), ["round_id"], unique=False
        )

    op.create_table(
        "dossier_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("receipt_no", sa.String(length=40), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "length(content_hash) = 64", name=op.f("ck_dossier_versions_content_hash_sha256")
        ),
        sa.CheckConstraint("number >= 1", name=op.f("ck_dossier_versions_number_positive")),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_dossier_versions_dossier_id_dossiers")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["users.id"],
            name=op.f("fk_dossier_versions_submitted_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_versions")),
        sa.UniqueConstraint("dossier_id", "number", name=op.f("uq_dossier_versions_dossier_id")),
        sa.UniqueConstraint("receipt_no", name=op.f("uq_dossier_versions_receipt_no")),
    )
    with op.batch_alter_table("dossier_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dossier_versions_dossier_id"), ["dossier_id"], unique=False
        )

    op.create_table(
        "evidence_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("criterion_code", sa.String(length=40), nullable=True),
        sa.Column("document_code", sa.String(length=40), nullable=True),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("length(sha256) = 64", name=op.f("ck_evidence_files_sha256_length")),
        sa.CheckConstraint("size_bytes > 0", name=op.f("ck_evidence_files_size_positive")),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_evidence_files_dossier_id_dossiers")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_evidence_files_uploaded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_files")),
    )
    with op.batch_alter_table("evidence_files", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evidence_files_dossier_id"), ["dossier_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_evidence_files_sha256"), ["sha256"], unique=False)

    op.create_table(
        "indicator_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("column", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("text_value", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_indicator_values_dossier_id_dossiers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_values")),
        sa.UniqueConstraint("dossier_id", "column", name=op.f("uq_indicator_values_dossier_id")),
    )
    with op.batch_alter_table("indicator_values", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_values_dossier_id"), ["dossier_id"], unique=False
        )

    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        sa.Column("assigned_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("recusal_reason", sa.Text(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "status <> 'recused' OR length(recusal_reason) > 0",
            name=op.f("ck_reviews_recusal_has_reason"),
        ),
        sa.CheckConstraint(
            "status IN ('assigned', 'done', 'recused')", name=op.f("ck_reviews_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["assigned_by_id"], ["users.id"], name=op.f("fk_reviews_assigned_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_reviews_dossier_id_dossiers")
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["users.id"], name=op.f("fk_reviews_reviewer_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
        sa.UniqueConstraint("dossier_id", "reviewer_id", name=op.f("uq_reviews_dossier_id")),
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reviews_dossier_id"), ["dossier_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reviews_reviewer_id"), ["reviewer_id"], unique=False)

    op.create_table(
        "self_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("indicator_code", sa.String(length=40), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.CheckConstraint("points >= 0", name=op.f("ck_self_assessments_points_not_negative")),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_self_assessments_dossier_id_dossiers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_assessments")),
        sa.UniqueConstraint(
            "dossier_id", "indicator_code", name=op.f("uq_self_assessments_dossier_id")
        ),
    )
    with op.batch_alter_table("self_assessments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_self_assessments_dossier_id"), ["dossier_id"], unique=False
        )

    op.create_table(
        "adjustments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("indicator_code", sa.String(length=40), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("length(reason) > 0", name=op.f("ck_adjustments_reason_given")),
        sa.CheckConstraint("points >= 0", name=op.f("ck_adjustments_points_not_negative")),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name=op.f("fk_adjustments_review_id_reviews")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adjustments")),
    )
    with op.batch_alter_table("adjustments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_adjustments_review_id"), ["review_id"], unique=False)


def downgrade():

    with op.batch_alter_table("adjustments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_adjustments_review_id"))

    op.drop_table("adjustments")
    with op.batch_alter_table("self_assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_self_assessments_dossier_id"))

    op.drop_table("self_assessments")
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reviews_reviewer_id"))
        batch_op.drop_index(batch_op.f("ix_reviews_dossier_id"))

    op.drop_table("reviews")
    with op.batch_alter_table("indicator_values", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_values_dossier_id"))

    op.drop_table("indicator_values")
    with op.batch_alter_table("evidence_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_files_sha256"))
        batch_op.drop_index(batch_op.f("ix_evidence_files_dossier_id"))

    op.drop_table("evidence_files")
    with op.batch_alter_table("dossier_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dossier_versions_dossier_id"))

    op.drop_table("dossier_versions")
    with op.batch_alter_table("ranking_snapshots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ranking_snapshots_round_id"))

    op.drop_table("ranking_snapshots")
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dossiers_round_id"))
        batch_op.drop_index(batch_op.f("ix_dossiers_candidate_id"))

    op.drop_table("dossiers")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_at"))
        batch_op.drop_index(batch_op.f("ix_audit_events_actor_id"))

    op.drop_table("audit_events")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_unit_id"))

    op.drop_table("users")
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_candidates_collective_unit",
            sqlite_where=sa.text("kind = 'collective'"),
            postgresql_where=sa.text("kind = 'collective'"),
        )
        batch_op.drop_index(batch_op.f("ix_candidates_unit_id"))
        batch_op.drop_index(batch_op.f("ix_candidates_movement_id"))

    op.drop_table("candidates")
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_units_cluster_id"))

    op.drop_table("units")
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rounds_movement_id"))

    op.drop_table("rounds")
    op.drop_table("movements")
    op.drop_table("clusters")
