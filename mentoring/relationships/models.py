"""A mentoring relationship: begins when a mentor accepts a doctor's request.

It holds the agreement made at the start (model, how often and how to meet, planned sessions),
the next session's time, and how it ended. Ending reasons and session figures are plain columns so
reports can count them with SQL; the agreement's own words are sealed.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentoring.auth.models import User, utcnow
from mentoring.extensions import db
from mentoring.requests_.models import new_uuid
from mentoring.sealing import SealedText

DEFAULT_PLANNED_SESSIONS = 6


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

    # The agreement, recorded at the start by either of the two.
    model: Mapped[str | None] = mapped_column(String(20))
    meeting_frequency: Mapped[str | None] = mapped_column(String(20))
    meeting_format: Mapped[str | None] = mapped_column(String(20))
    planned_sessions: Mapped[int] = mapped_column(
        SmallInteger, default=DEFAULT_PLANNED_SESSIONS, server_default=text("6")
    )
    agreed_at: Mapped[datetime | None]
    agreed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    agreement_notes_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    agreement_notes = SealedText("agreement_notes_sealed")
    # How many times the pair extended at a review (each adds sessions to planned_sessions).
    extensions: Mapped[int] = mapped_column(SmallInteger, default=0, server_default=text("0"))

    # The next session: date, time and format only. Reminders go a day before.
    next_session_at: Mapped[datetime | None]
    next_session_format: Mapped[str | None] = mapped_column(String(20))
    reminder_sent_for: Mapped[datetime | None]

    # How it ended: structured, for aggregate reports.
    ended_by: Mapped[str | None] = mapped_column(String(10))
    ending_reason: Mapped[str | None] = mapped_column(String(40))
    # Whether the mentee gave feedback; the feedback itself is stored apart, unlinked.
    feedback_given: Mapped[bool] = mapped_column(default=False, server_default=text("false"))

    # Optimistic locking: a change made from a stale page is refused, not silently merged.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))

    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id])
    mentee: Mapped[User] = relationship(foreign_keys=[mentee_id])

    __mapper_args__ = {"version_id_col": version}

    __table_args__ = (
        CheckConstraint("status IN ('active', 'closed')", name="status_known"),
        CheckConstraint("mentor_id <> mentee_id", name="not_self"),
        CheckConstraint("planned_sessions BETWEEN 1 AND 50", name="planned_sessions_range"),
        Index("ix_mentoring_relationship_started_at", "started_at"),  # reports count by period
        # Nobody is mentored in two relationships at once.
        Index(
            "uq_mentoring_relationship_one_active_per_mentee",
            "mentee_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
        Index("ix_mentoring_relationship_next_session_at", "next_session_at"),
    )

    def __init__(self, **fields) -> None:
        # The id first: sealed text is bound to it, and keyword arguments are set in order.
        super().__init__(id=fields.pop("id", None) or new_uuid(), **fields)

    @property
    def is_active(self) -> bool:
        return self.status == RelationshipStatus.ACTIVE.value

    @property
    def is_agreed(self) -> bool:
        return self.agreed_at is not None

    def party_of(self, user_id: int) -> str | None:
        if user_id == self.mentor_id:
            return "mentor"
        if user_id == self.mentee_id:
            return "mentee"
        return None


class MenteeFeedback(db.Model):
    """A mentee's short feedback on a relationship that ended, kept apart from it.

    No relationship, mentor or mentee id: only the month it was given, so it can feed aggregate
    reports and never be traced back to a pair.
    """

    __tablename__ = "mentee_feedback"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_uuid)
    month: Mapped[date]
    helpfulness: Mapped[int] = mapped_column(SmallInteger)
    would_recommend: Mapped[bool | None]

    __table_args__ = (
        CheckConstraint("helpfulness BETWEEN 1 AND 5", name="helpfulness_range"),
        Index("ix_mentee_feedback_month", "month"),
    )
