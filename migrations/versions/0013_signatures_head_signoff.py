"""digital signatures of evidence PDFs, and the unit head's sign-off of a dossier

Revision ID: 0013
Revises: 0015

An uploaded PDF's signatures are checked once, on upload, and the finding kept with the file.
A rule file may require the unit head to confirm a dossier before it is submitted: the head's
confirmation records the content hash it covers, so any later edit voids it.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("evidence_files", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signature_verdict", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("signature_check", sa.JSON(), nullable=True))
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("head_confirmed_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("head_confirmed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("head_confirmed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("head_returned_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("head_return_comment", sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_dossiers_head_confirmed_by_id_users"),
            "users",
            ["head_confirmed_by_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_dossiers_head_confirmed_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("head_return_comment")
        batch_op.drop_column("head_returned_at")
        batch_op.drop_column("head_confirmed_by_id")
        batch_op.drop_column("head_confirmed_at")
        batch_op.drop_column("head_confirmed_hash")
    with op.batch_alter_table("evidence_files", schema=None) as batch_op:
        batch_op.drop_column("signature_check")
        batch_op.drop_column("signature_verdict")
