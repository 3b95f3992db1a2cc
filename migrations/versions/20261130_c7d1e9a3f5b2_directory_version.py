"""directory version: a token every change to the directory writes anew

Revision ID: c7d1e9a3f5b2
Revises: b5d2e8f4a1c7
Create Date: 2026-11-30 09:00:00

Each process keeps the directory it last read under this token and reads the token, one row, on
every request that shows services (README, "Performance"): the directory page and the check-in
result no longer read every service each time. The row is written with a random token; the
application writes a new one with every change to a service, its topics, kinds or opening hours.
"""

import uuid

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c7d1e9a3f5b2"
down_revision = "b5d2e8f4a1c7"
branch_labels = None
depends_on = None


def upgrade():
    version = op.create_table(
        "directory_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_version")),
    )
    op.bulk_insert(version, [{"id": 1, "token": uuid.uuid4()}])


def downgrade():
    op.drop_table("directory_version")
