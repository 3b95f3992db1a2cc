"""check-in week index covers what reports read

Revision ID: e6b1d0c3a5f2
Revises: e7b3d5a1c9f2
Create Date: 2026-11-30 01:00:00

On PostgreSQL the week index also carries the score and the coarse groups, so a period's figures
are read from the index alone (an index-only scan) instead of the table. SQLite has no INCLUDE:
there the index stays as it was.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e6b1d0c3a5f2'
down_revision = 'e7b3d5a1c9f2'
branch_labels = None
depends_on = None

COVERED = ['raw_score', 'career_stage_group', 'specialty_group', 'organisation', 'id']


def upgrade():
    op.drop_index('ix_wellbeing_check_in_week', table_name='wellbeing_check_in')
    op.create_index(
        'ix_wellbeing_check_in_week',
        'wellbeing_check_in',
        ['iso_year', 'iso_week'],
        postgresql_include=COVERED,
    )


def downgrade():
    op.drop_index('ix_wellbeing_check_in_week', table_name='wellbeing_check_in')
    op.create_index('ix_wellbeing_check_in_week', 'wellbeing_check_in', ['iso_year', 'iso_week'])
