"""pending check-ins, sealed until their week closes

Revision ID: f3a9c2d8b4e1
Revises: e6b1d0c3a5f2
Create Date: 2026-11-30 03:30:00

A check-in is stored sealed, at one fixed size, in the same transaction as its receipt, and only
becomes a `wellbeing_check_in` row when its ISO week is closed, with the whole week's, in one
transaction (README, "Check-in threat model"). Closed weeks take no further check-ins.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3a9c2d8b4e1'
down_revision = 'e6b1d0c3a5f2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('wellbeing_check_in_pending',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('iso_year', sa.SmallInteger(), nullable=False),
    sa.Column('iso_week', sa.SmallInteger(), nullable=False),
    sa.Column('content_sealed', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wellbeing_check_in_pending')),
    sqlite_with_rowid=False
    )
    op.create_index('ix_wellbeing_check_in_pending_week', 'wellbeing_check_in_pending', ['iso_year', 'iso_week'], unique=False)
    op.create_table('wellbeing_check_in_week_closed',
    sa.Column('iso_year', sa.SmallInteger(), nullable=False),
    sa.Column('iso_week', sa.SmallInteger(), nullable=False),
    sa.PrimaryKeyConstraint('iso_year', 'iso_week', name=op.f('pk_wellbeing_check_in_week_closed')),
    sqlite_with_rowid=False
    )


def downgrade():
    op.drop_table('wellbeing_check_in_week_closed')
    op.drop_index('ix_wellbeing_check_in_pending_week', table_name='wellbeing_check_in_pending')
    op.drop_table('wellbeing_check_in_pending')
