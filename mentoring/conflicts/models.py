"""One table of pairs (mentor, doctor) that must never be matched, whoever declared them.

Both sides are kept by email, always; the account ids are filled in when an account with that email
exists. Matching joins on email, so a declaration made before the other person registered still
holds once they do.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mentoring.auth.models import utcnow
from mentoring.extensions import db


class ConflictOfInterest(db.Model):
    __tablename__ = "conflict_of_interest"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_email: Mapped[str] = mapped_column(String(254))
    mentor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    doctor_email: Mapped[str] = mapped_column(String(254))
    doctor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    declared_by_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    # "mentor": a mentor named someone they supervise or assess; "doctor": a mentor to avoid.
    declared_as: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("declared_by_id", "mentor_email", "doctor_email", name="uq_conflict_pair"),
        CheckConstraint("declared_as IN ('mentor', 'doctor')", name="declared_as_known"),
        CheckConstraint("mentor_email = lower(mentor_email)", name="mentor_email_lowercase"),
        CheckConstraint("doctor_email = lower(doctor_email)", name="doctor_email_lowercase"),
        Index("ix_conflict_of_interest_pair", "mentor_email", "doctor_email"),
    )
