"""security: sessions, login throttling, password policy (issue 9)

Revision ID: 0006
Revises: 0005

Reserved so parallel work keeps one linear chain; the owner fills in upgrade/downgrade
and renames the file.
"""

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
