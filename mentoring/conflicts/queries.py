"""Conflicts of interest as matching will ask about them: in one query, by email or account."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_, select

from mentoring.auth.models import User
from mentoring.conflicts.models import ConflictOfInterest
from mentoring.extensions import db


def conflict_between(mentor: type[User] | object, doctor: User) -> ColumnElement[bool]:
    """A correlated EXISTS: some declaration, by either side, pairs this mentor with `doctor`.

    `mentor` is the mapped User entity (or an alias of it) in the surrounding query, so matching
    can write `select(User).where(~conflict_between(User, doctor))`. Emails are compared, so a
    declaration made before either person had an account holds once they do.
    """
    return (
        select(ConflictOfInterest.id)
        .where(
            or_(
                ConflictOfInterest.mentor_email == mentor.email,
                ConflictOfInterest.mentor_id == mentor.id,
            ),
            or_(
                ConflictOfInterest.doctor_email == doctor.email,
                ConflictOfInterest.doctor_id == doctor.id,
            ),
        )
        .exists()
    )


def conflicted_mentor_ids(doctor: User) -> set[int]:
    """Accounts that must never be offered to `doctor` as a mentor."""
    return set(
        db.session.scalars(
            select(User.id).where(
                and_(User.id != doctor.id, conflict_between(User, doctor)),
            )
        )
    )


def conflicts_declared_by(person_id: int, declared_as: str) -> list[ConflictOfInterest]:
    return list(
        db.session.scalars(
            select(ConflictOfInterest)
            .where(
                ConflictOfInterest.declared_by_id == person_id,
                ConflictOfInterest.declared_as == declared_as,
            )
            .order_by(ConflictOfInterest.created_at, ConflictOfInterest.id)
        )
    )
