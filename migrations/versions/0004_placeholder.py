"""import, api tokens and unit administration (issue 7)

Revision ID: 0004
Revises: 0003

Reserved so parallel work keeps one linear chain; the owner fills in upgrade/downgrade
and renames the file.
"""

# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
