"""indicator values: drop the index on dossier_id, which the unique (dossier_id, column) serves

Revision ID: 0015
Revises: 0014

Every look-up of a dossier's values uses the unique index on (dossier_id, column), whose
leading column is dossier_id; the separate index only cost time on every insert (an import
writes hundreds of thousands of values).
"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_indicator_values_dossier_id", table_name="indicator_values")


def downgrade():
    op.create_index(
        "ix_indicator_values_dossier_id", "indicator_values", ["dossier_id"], unique=False
    )
