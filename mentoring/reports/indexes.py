"""Indexes that exist for reports, on tables other parts of the scheme own.

Declared here, beside the queries that need them, so the owning models stay as they are; the
migration `e7b3d5a1c9f2` creates them. `mentoring.models` imports this module, so Alembic and
`flask db check` see them.
"""

from __future__ import annotations

from sqlalchemy import Index

from mentoring.relationships.models import MentoringRelationship

# Endings are counted by the period they fall in (`endings.ending_reason_counts`).
RELATIONSHIP_ENDED_AT = Index("ix_mentoring_relationship_ended_at", MentoringRelationship.ended_at)
