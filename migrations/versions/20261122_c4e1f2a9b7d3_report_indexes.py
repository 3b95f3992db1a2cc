"""indexes for coordinator reports

Revision ID: c4e1f2a9b7d3
Revises: aa0fe6922afb
Create Date: 2026-11-22 11:45:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c4e1f2a9b7d3'
down_revision = 'aa0fe6922afb'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_wellbeing_check_in_week', 'wellbeing_check_in', ['iso_year', 'iso_week'])
    op.create_index('ix_supervision_session_held_on', 'supervision_session', ['held_on'])
    op.create_index('ix_mentoring_request_created_at', 'mentoring_request', ['created_at'])
    op.create_index(
        'ix_mentoring_relationship_started_at', 'mentoring_relationship', ['started_at']
    )


def downgrade():
    op.drop_index('ix_mentoring_relationship_started_at', table_name='mentoring_relationship')
    op.drop_index('ix_mentoring_request_created_at', table_name='mentoring_request')
    op.drop_index('ix_supervision_session_held_on', table_name='supervision_session')
    op.drop_index('ix_wellbeing_check_in_week', table_name='wellbeing_check_in')
