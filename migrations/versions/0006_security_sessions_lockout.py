"""security: sessions, login throttling, password policy

Revision ID: 0006
Revises: 0005

Users get a session version (raised to sign them out everywhere) and the counters of
failed logins that lock an account for a while, kept in the database so every worker
sees them.
"""

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), server_default="1", nullable=False)
        )
        batch_op.add_column(
            sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("last_failed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("last_failed_at")
        batch_op.drop_column("failed_logins")
        batch_op.drop_column("session_version")
