"""Reads about mentoring relationships."""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy import select

from mentoring.extensions import db
from mentoring.relationships.models import MentoringRelationship, RelationshipStatus


def active_relationship_as_mentee(user_id: int | None = None) -> MentoringRelationship | None:
    return db.session.scalar(
        select(MentoringRelationship).where(
            MentoringRelationship.mentee_id == (user_id or current_user.id),
            MentoringRelationship.status == RelationshipStatus.ACTIVE.value,
        )
    )
