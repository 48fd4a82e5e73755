"""registration and activity plan (issue 10)

Revision ID: 0005
Revises: 0004

Reserved so parallel work keeps one linear chain; the owner fills in upgrade/downgrade
and renames the file.
"""

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
