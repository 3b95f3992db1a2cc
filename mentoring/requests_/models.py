"""A doctor's confidential request for a mentor, its shortlist, and offers to mentors.

The request's own words (`wishes`) are sealed at rest and readable only by the mentor who accepts.
Everything else is structured, so coordinators can help without reading anything personal.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentoring.auth.models import User, utcnow
from mentoring.extensions import db
from mentoring.sealing import SealedText


def new_uuid() -> str:
    return uuid.uuid4().hex


class RequestStatus(StrEnum):
    OPEN = "open"  # waiting for the doctor to choose, or for a coordinator
    OFFERED = "offered"  # the doctor chose; the mentor has not answered yet
    MATCHED = "matched"  # a mentor accepted: the relationship has begun
    WITHDRAWN = "withdrawn"  # the doctor withdrew it


LIVE_REQUEST_STATUSES = (RequestStatus.OPEN.value, RequestStatus.OFFERED.value)


class SpecialtyPreference(StrEnum):
    ANY = "any"
    SAME = "same"
    DIFFERENT = "different"


class MentoringRequest(db.Model):
    __tablename__ = "mentoring_request"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_uuid)
    requester_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default=RequestStatus.OPEN.value)

    # About the requester, coarse and structured: what matching needs.
    career_stage: Mapped[str] = mapped_column(String(40))
    specialty: Mapped[str] = mapped_column(String(40))
    organisation: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(200))

    # Preferences.
    outside_department: Mapped[bool] = mapped_column(default=False)
    outside_organisation: Mapped[bool] = mapped_column(default=False)
    specialty_preference: Mapped[str] = mapped_column(
        String(10), default=SpecialtyPreference.ANY.value
    )
    more_senior_only: Mapped[bool] = mapped_column(default=False)
    gender_preference: Mapped[str | None] = mapped_column(String(20))
    preferred_model: Mapped[str | None] = mapped_column(String(20))

    wishes_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    wishes = SealedText("wishes_sealed")

    # Requests no mentor could take, or declined or expired twice, go to the coordinators.
    needs_coordinator: Mapped[bool] = mapped_column(default=False)
    unsuccessful_offers: Mapped[int] = mapped_column(default=0)

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    matched_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]

    requester: Mapped[User] = relationship()
    topic_rows: Mapped[list[RequestTopic]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="RequestTopic.topic"
    )
    format_rows: Mapped[list[RequestFormat]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    slot_rows: Mapped[list[RequestSlot]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    suggestions: Mapped[list[Suggestion]] = relationship(
        cascade="all, delete-orphan", order_by="Suggestion.rank", back_populates="request"
    )

    __table_args__ = (
        CheckConstraint(
            "status IN ('open', 'offered', 'matched', 'withdrawn')", name="status_known"
        ),
        CheckConstraint(
            "specialty_preference IN ('any', 'same', 'different')", name="specialty_pref_known"
        ),
        # One live request per person, enforced by the database.
        Index(
            "uq_mentoring_request_one_live_per_requester",
            "requester_id",
            unique=True,
            sqlite_where=text("status IN ('open', 'offered')"),
            postgresql_where=text("status IN ('open', 'offered')"),
        ),
        Index("ix_mentoring_request_status_created", "status", "created_at"),
        Index("ix_mentoring_request_created_at", "created_at"),  # reports count by period
    )

    def __init__(self, **fields) -> None:
        # The id is known before any sealed text is set, because the seal is bound to it.
        fields.setdefault("id", new_uuid())
        super().__init__(**fields)

    @property
    def topics(self) -> list[str]:
        return [row.topic for row in self.topic_rows]

    @property
    def formats(self) -> list[str]:
        return sorted(row.format for row in self.format_rows)

    @property
    def slots(self) -> list[tuple[int, str]]:
        return sorted((row.day_of_week, row.slot) for row in self.slot_rows)

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_REQUEST_STATUSES


class RequestTopic(db.Model):
    __tablename__ = "request_topic"

    request_id: Mapped[str] = mapped_column(
        ForeignKey("mentoring_request.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class RequestFormat(db.Model):
    __tablename__ = "request_format"

    request_id: Mapped[str] = mapped_column(
        ForeignKey("mentoring_request.id", ondelete="CASCADE"), primary_key=True
    )
    format: Mapped[str] = mapped_column(String(20), primary_key=True)


class RequestSlot(db.Model):
    """A time of the week the doctor could meet: a day and one of the vocabulary's time slots."""

    __tablename__ = "request_slot"

    request_id: Mapped[str] = mapped_column(
        ForeignKey("mentoring_request.id", ondelete="CASCADE"), primary_key=True
    )
    day_of_week: Mapped[int] = mapped_column(primary_key=True)
    slot: Mapped[str] = mapped_column(String(20), primary_key=True)

    __table_args__ = (CheckConstraint("day_of_week BETWEEN 0 AND 6", name="day_valid"),)


class SuggestionSource(StrEnum):
    ENGINE = "engine"  # the doctor's shortlist
    COORDINATOR = "coordinator"  # a coordinator suggested this mentor
    POOL = "pool"  # proposed by whole-pool matching


class Suggestion(db.Model):
    """A mentor on a request's shortlist. The doctor can choose only from these."""

    __tablename__ = "request_suggestion"

    request_id: Mapped[str] = mapped_column(
        ForeignKey("mentoring_request.id", ondelete="CASCADE"), primary_key=True
    )
    mentor_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    rank: Mapped[int]
    source: Mapped[str] = mapped_column(String(20), default=SuggestionSource.ENGINE.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    request: Mapped[MentoringRequest] = relationship(back_populates="suggestions")
    mentor: Mapped[User] = relationship(lazy="joined")


class OfferStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


class MentorOffer(db.Model):
    """The doctor chose this mentor; the mentor accepts or declines by `respond_by`.

    A pending offer holds one of the mentor's places, so two doctors can never both be promised a
    mentor's last place.
    """

    __tablename__ = "mentor_offer"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[str] = mapped_column(
        ForeignKey("mentoring_request.id", ondelete="CASCADE"), index=True
    )
    mentor_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default=OfferStatus.PENDING.value)
    offered_at: Mapped[datetime] = mapped_column(default=utcnow)
    respond_by: Mapped[datetime]
    responded_at: Mapped[datetime | None]
    # Private to the mentor and the scheme's aggregate figures; the doctor never sees it.
    decline_reason: Mapped[str | None] = mapped_column(String(30))

    request: Mapped[MentoringRequest] = relationship()
    mentor: Mapped[User] = relationship()

    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'accepted', 'declined', 'expired', 'withdrawn')",
            name="status_known",
        ),
        # A request has at most one offer waiting for an answer.
        Index(
            "uq_mentor_offer_one_pending_per_request",
            "request_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_mentor_offer_status_respond_by", "status", "respond_by"),
    )

    @property
    def is_pending(self) -> bool:
        return self.status == OfferStatus.PENDING.value


DECLINE_REASONS = (
    ("no_capacity", "I do not have room at the moment"),
    ("not_right_fit", "I am not the right mentor for this"),
    ("conflict", "I know this person in another role"),
    ("other", "Another reason"),
)
