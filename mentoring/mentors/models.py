"""A mentor's profile and what they offer, their supervision log and their requests for support.

What a mentor offers (formats, topics, models, availability windows) is kept as rows, so matching
can ask "who offers video on Tuesday evenings for workload?" in SQL.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentoring.auth.models import User, utcnow
from mentoring.core.vocabulary import TIME_SLOTS
from mentoring.extensions import db

DEFAULT_CAPACITY = 2
MAX_CAPACITY = 10


class MentorProfile(db.Model):
    __tablename__ = "mentor_profile"

    mentor_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    career_stage: Mapped[str] = mapped_column(String(40))
    specialty: Mapped[str] = mapped_column(String(40))
    organisation: Mapped[str] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(200))
    bio: Mapped[str] = mapped_column(Text)
    capacity: Mapped[int] = mapped_column(default=DEFAULT_CAPACITY)
    # Places held by active mentees and by doctors' choices awaiting an answer. Only changed by
    # conditional UPDATEs in requests_.services, so two doctors can never take one last place.
    places_taken: Mapped[int] = mapped_column(default=0, server_default="0")
    # Optional, so a doctor who asks for a mentor of a given gender can be matched.
    gender: Mapped[str | None] = mapped_column(String(20))
    paused: Mapped[bool] = mapped_column(default=False)
    # Optional: once this date arrives the pause has ended by itself.
    paused_until: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    mentor: Mapped[User] = relationship()
    format_rows: Mapped[list[MentorFormat]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    topic_rows: Mapped[list[MentorTopic]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    model_rows: Mapped[list[MentorModel]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    windows: Mapped[list[AvailabilityWindow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    __table_args__ = (
        CheckConstraint(f"capacity BETWEEN 0 AND {MAX_CAPACITY}", name="capacity_in_range"),
        CheckConstraint("places_taken >= 0", name="places_taken_not_negative"),
        # A capacity lowered below the places already taken would break this: the profile form
        # refuses it first, with a message.
        CheckConstraint("places_taken <= capacity", name="places_within_capacity"),
    )

    @property
    def formats(self) -> set[str]:
        return {row.format for row in self.format_rows}

    @property
    def topics(self) -> set[str]:
        return {row.topic for row in self.topic_rows}

    @property
    def models(self) -> set[str]:
        return {row.model for row in self.model_rows}

    @property
    def slots(self) -> set[str]:
        """The availability grid's values, `"<day>:<slot>"`, as the form shows them."""
        by_times = {(start, end): value for value, _label, start, end in TIME_SLOTS}
        return {
            f"{window.day_of_week}:{by_times[(window.start_minute, window.end_minute)]}"
            for window in self.windows
            if (window.start_minute, window.end_minute) in by_times
        }

    def is_paused_on(self, day: date) -> bool:
        return self.paused and (self.paused_until is None or self.paused_until > day)


class MentorFormat(db.Model):
    __tablename__ = "mentor_format"

    mentor_id: Mapped[int] = mapped_column(
        ForeignKey("mentor_profile.mentor_id", ondelete="CASCADE"), primary_key=True
    )
    format: Mapped[str] = mapped_column(String(20), primary_key=True)


class MentorTopic(db.Model):
    __tablename__ = "mentor_topic"

    mentor_id: Mapped[int] = mapped_column(
        ForeignKey("mentor_profile.mentor_id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(40), primary_key=True)


class MentorModel(db.Model):
    """A model the mentor offers. It counts for matching only while verified training teaches it."""

    __tablename__ = "mentor_model"

    mentor_id: Mapped[int] = mapped_column(
        ForeignKey("mentor_profile.mentor_id", ondelete="CASCADE"), primary_key=True
    )
    model: Mapped[str] = mapped_column(String(20), primary_key=True)


class AvailabilityWindow(db.Model):
    """A weekly window, in minutes from midnight of `day_of_week` (0 is Monday).

    A window may run past midnight (night: 22:00 to 06:00 is 1320 to 1800), so overlap with a
    mentee's windows is plain interval arithmetic on a 7-day clock.
    """

    __tablename__ = "availability_window"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(
        ForeignKey("mentor_profile.mentor_id", ondelete="CASCADE"), index=True
    )
    day_of_week: Mapped[int]
    start_minute: Mapped[int]
    end_minute: Mapped[int]

    __table_args__ = (
        CheckConstraint("day_of_week BETWEEN 0 AND 6", name="day_of_week_valid"),
        CheckConstraint("start_minute >= 0 AND start_minute < 1440", name="start_valid"),
        CheckConstraint(
            "end_minute > start_minute AND end_minute <= start_minute + 1440", name="end_valid"
        ),
    )


class SupervisionSession(db.Model):
    """Supervision or peer support a mentor received. Private to that mentor."""

    __tablename__ = "supervision_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        CheckConstraint("minutes BETWEEN 15 AND 1440", name="minutes_in_range"),
        Index("ix_supervision_session_held_on", "held_on"),  # reports sum a period's hours
    )

    @property
    def hours(self) -> float:
        return self.minutes / 60


class SupportRequest(db.Model):
    """A mentor asked the coordinators for support. Deliberately holds no reason."""

    __tablename__ = "support_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    handled_at: Mapped[datetime | None]
    handled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id])
