"""A mentoring relationship: begins when a mentor accepts a doctor's request."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentoring.auth.models import User, utcnow
from mentoring.extensions import db
from mentoring.requests_.models import new_uuid


class RelationshipStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class MentoringRelationship(db.Model):
    __tablename__ = "mentoring_relationship"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_uuid)
    mentor_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    mentee_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    request_id: Mapped[str] = mapped_column(
        ForeignKey("mentoring_request.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[str] = mapped_column(String(20), default=RelationshipStatus.ACTIVE.value)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]

    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id])
    mentee: Mapped[User] = relationship(foreign_keys=[mentee_id])

    __table_args__ = (
        CheckConstraint("status IN ('active', 'closed')", name="status_known"),
        CheckConstraint("mentor_id <> mentee_id", name="not_self"),
        Index("ix_mentoring_relationship_started_at", "started_at"),  # reports count by period
        # Nobody is mentored in two relationships at once.
        Index(
            "uq_mentoring_relationship_one_active_per_mentee",
            "mentee_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )

    def __init__(self, **fields) -> None:
        fields.setdefault("id", new_uuid())
        super().__init__(**fields)
