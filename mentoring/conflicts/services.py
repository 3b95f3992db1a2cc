"""Declaring and withdrawing conflicts of interest. Services flush; the view commits."""

from __future__ import annotations

from sqlalchemy import select

from mentoring.auth.models import User
from mentoring.auth.services import normalise_email
from mentoring.conflicts.models import ConflictOfInterest
from mentoring.core.errors import ServiceError
from mentoring.extensions import db


def _account_id(email: str) -> int | None:
    return db.session.scalar(select(User.id).where(User.email == email))


def _declare(*, declared_by: User, declared_as: str, mentor_email: str, doctor_email: str):
    if mentor_email == doctor_email:
        raise ServiceError("Enter someone else's email address, not your own", field="email")
    exists = db.session.scalar(
        select(ConflictOfInterest.id).where(
            ConflictOfInterest.declared_by_id == declared_by.id,
            ConflictOfInterest.mentor_email == mentor_email,
            ConflictOfInterest.doctor_email == doctor_email,
        )
    )
    if exists:
        raise ServiceError("You have already named this person", field="email")
    conflict = ConflictOfInterest(
        mentor_email=mentor_email,
        mentor_id=_account_id(mentor_email),
        doctor_email=doctor_email,
        doctor_id=_account_id(doctor_email),
        declared_by_id=declared_by.id,
        declared_as=declared_as,
    )
    db.session.add(conflict)
    db.session.flush()
    return conflict


def conflict_declare_by_mentor(*, mentor: User, doctor_email: str) -> ConflictOfInterest:
    """A mentor names someone they supervise or assess: never to be their mentee."""
    return _declare(
        declared_by=mentor,
        declared_as="mentor",
        mentor_email=mentor.email,
        doctor_email=normalise_email(doctor_email),
    )


def conflict_declare_by_doctor(*, doctor: User, mentor_email: str) -> ConflictOfInterest:
    """A doctor names a mentor they want to avoid: never on their shortlist."""
    return _declare(
        declared_by=doctor,
        declared_as="doctor",
        mentor_email=normalise_email(mentor_email),
        doctor_email=doctor.email,
    )


def conflict_withdraw(*, conflict: ConflictOfInterest) -> None:
    db.session.delete(conflict)
    db.session.flush()
