"""Looking after mentors: their supervision log and their requests for support.

A support request says only that a mentor would like support. Coordinators are emailed that much
and a link; the mentor is never asked why.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import url_for
from sqlalchemy import select

from mentoring.auth.models import RoleGrant, User, utcnow
from mentoring.core.errors import ServiceError
from mentoring.core.vocabulary import SUPERVISION_KINDS, values
from mentoring.extensions import db
from mentoring.mentors.models import SupervisionSession, SupportRequest
from mentoring.outbox import queue_email
from mentoring.permissions import Role

MIN_SUPERVISION_HOURS = Decimal("0.25")
MAX_SUPERVISION_HOURS = Decimal("24")


def supervision_log(
    *, mentor: User, held_on: date, hours: Decimal, kind: str, today: date | None = None
) -> SupervisionSession:
    if held_on is None or held_on > (today or date.today()):
        raise ServiceError("The date must be today or in the past", field="held_on")
    if hours is None or not MIN_SUPERVISION_HOURS <= hours <= MAX_SUPERVISION_HOURS:
        raise ServiceError("Hours must be between 0.25 and 24", field="hours")
    if kind not in values(SUPERVISION_KINDS):
        raise ServiceError("Choose supervision or peer support", field="kind")
    entry = SupervisionSession(
        mentor_id=mentor.id,
        held_on=held_on,
        minutes=int((hours * 60).to_integral_value()),
        kind=kind,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def supervision_remove(*, entry: SupervisionSession) -> None:
    db.session.delete(entry)
    db.session.flush()


def open_support_request_of(mentor_id: int) -> SupportRequest | None:
    return db.session.scalar(
        select(SupportRequest).where(
            SupportRequest.mentor_id == mentor_id, SupportRequest.handled_at.is_(None)
        )
    )


def support_request_create(*, mentor: User) -> SupportRequest:
    """Ask the coordinators for support; one open request at a time is enough."""
    existing = open_support_request_of(mentor.id)
    if existing is not None:
        return existing
    support_request = SupportRequest(mentor_id=mentor.id)
    db.session.add(support_request)
    db.session.flush()
    coordinators = db.session.scalars(
        select(User)
        .join(RoleGrant)
        .where(
            RoleGrant.role == Role.COORDINATOR.value,
            User.is_disabled.is_(False),
            User.email_confirmed_at.is_not(None),
        )
    )
    link = url_for("mentor_support.support_requests", _external=True)
    for coordinator in coordinators:
        queue_email(
            to=coordinator.email,
            subject="A mentor asked for support",
            template="mentor_support_request",
            link=link,
        )
    return support_request


def support_request_handle(*, support_request: SupportRequest, coordinator: User) -> None:
    if support_request.handled_at is not None:
        raise ServiceError("This request has already been marked as handled")
    support_request.handled_at = utcnow()
    support_request.handled_by_id = coordinator.id
    db.session.flush()
