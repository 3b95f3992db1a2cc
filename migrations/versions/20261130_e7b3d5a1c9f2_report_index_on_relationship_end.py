"""index on when relationships ended, for reports

Revision ID: e7b3d5a1c9f2
Revises: c4e1f2a9b7d3
Create Date: 2026-11-30 01:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e7b3d5a1c9f2'
down_revision = 'c4e1f2a9b7d3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_mentoring_relationship_ended_at', 'mentoring_relationship', ['ended_at']
    )


def downgrade():
    op.drop_index('ix_mentoring_relationship_ended_at', table_name='mentoring_relationship')
