"""A mentor's training in a mentoring model, and whether a coordinator has verified it."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentoring.auth.models import User, utcnow
from mentoring.core.vocabulary import MENTORING_MODELS, label
from mentoring.extensions import db


class TrainingStatus(StrEnum):
    AWAITING = "awaiting"  # added or changed by the mentor, not yet looked at
    VERIFIED = "verified"
    RETURNED = "returned"  # a coordinator sent it back with a reason


class TrainingRecord(db.Model):
    __tablename__ = "training_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(200))
    completed_on: Mapped[date] = mapped_column(Date)
    # Whole minutes, so half and quarter hours add up exactly on every database.
    minutes: Mapped[int]
    other_model_name: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default=TrainingStatus.AWAITING.value)
    return_reason: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    reviewed_at: Mapped[datetime | None]
    # Evidence file: stored under UPLOAD_FOLDER with a random name; the original name is only shown.
    evidence_file: Mapped[str | None] = mapped_column(String(80))
    evidence_name: Mapped[str | None] = mapped_column(String(255))
    evidence_type: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id])
    model_rows: Mapped[list[TrainingModel]] = relationship(
        back_populates="record", cascade="all, delete-orphan", lazy="selectin"
    )

    __table_args__ = (
        CheckConstraint("minutes BETWEEN 30 AND 30000", name="hours_in_range"),
        CheckConstraint(
            "status IN (" + ", ".join(f"'{status.value}'" for status in TrainingStatus) + ")",
            name="known_status",
        ),
        Index("ix_training_record_status", "status"),
    )

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def models(self) -> list[str]:
        order = [value for value, _label in MENTORING_MODELS]
        return sorted((row.model for row in self.model_rows), key=order.index)

    @property
    def model_labels(self) -> list[str]:
        return [
            self.other_model_name
            if model == "other" and self.other_model_name
            else label(MENTORING_MODELS, model)
            for model in self.models
        ]

    @property
    def is_verified(self) -> bool:
        return self.status == TrainingStatus.VERIFIED


class TrainingModel(db.Model):
    """One mentoring model a course taught: rows, so 'who is trained in GROW' is one query."""

    __tablename__ = "training_model"

    training_record_id: Mapped[int] = mapped_column(
        ForeignKey("training_record.id", ondelete="CASCADE"), primary_key=True
    )
    model: Mapped[str] = mapped_column(String(20), primary_key=True)

    record: Mapped[TrainingRecord] = relationship(back_populates="model_rows")
