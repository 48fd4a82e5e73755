"""council set-up and paper votes (issue 5)

Revision ID: 0007
Revises: 0006

Reserved so parallel work keeps one linear chain; the owner fills in upgrade/downgrade
and renames the file.
"""

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
