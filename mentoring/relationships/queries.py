"""Reads about mentoring relationships, session logs and action plans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_login import current_user
from sqlalchemy import bindparam, case, func, or_, select
from sqlalchemy.orm import selectinload

from mentoring.audit.models import AuditEvent
from mentoring.audit.services import AuditAction, audit_record_committed, audit_record_now
from mentoring.auth.models import User
from mentoring.extensions import db
from mentoring.relationships.models import MentoringRelationship, RelationshipStatus
from mentoring.relationships.session_models import ActionItem, SessionLog


def active_relationship_as_mentee(user_id: int | None = None) -> MentoringRelationship | None:
    return db.session.scalar(
        select(MentoringRelationship).where(
            MentoringRelationship.mentee_id == (user_id or current_user.id),
            MentoringRelationship.status == RelationshipStatus.ACTIVE.value,
        )
    )


def relationships_of(user_id: int) -> list[MentoringRelationship]:
    """Everyone's own relationships, as mentor or as mentee; active first, newest first."""
    return list(
        db.session.scalars(
            select(MentoringRelationship)
            .where(
                or_(
                    MentoringRelationship.mentor_id == user_id,
                    MentoringRelationship.mentee_id == user_id,
                )
            )
            .options(
                selectinload(MentoringRelationship.mentor),
                selectinload(MentoringRelationship.mentee),
            )
            .order_by(
                case((MentoringRelationship.status == "active", 0), else_=1),
                MentoringRelationship.started_at.desc(),
            )
        )
    )


# The relationship page's reads, built once: each request gives the values only, so neither the
# statement nor its cache key is built again on every view.
_SESSION_DATES = (
    select(SessionLog.id, SessionLog.held_on, SessionLog.minutes)
    .where(SessionLog.relationship_id == bindparam("relationship_id"))
    .order_by(SessionLog.held_on, SessionLog.logged_at)
)
_CONTACT = select(User.display_name, User.email).where(User.id == bindparam("user_id"))
_ACTIONS = (
    select(ActionItem)
    .where(ActionItem.relationship_id == bindparam("relationship_id"))
    .order_by(
        case((ActionItem.status == "open", 0), else_=1),
        ActionItem.due_on.is_(None),
        ActionItem.due_on,
        ActionItem.created_at,
    )
)


def session_dates(relationship_id: str) -> list:
    """The relationship page's list: each session's id, date and minutes, in order (no notes)."""
    return list(db.session.execute(_SESSION_DATES, {"relationship_id": relationship_id}))


def contact_of(user_id: int):
    """A person's name and email, without their account's roles."""
    return db.session.execute(_CONTACT, {"user_id": user_id}).one()


def actions_of(relationship_id: str) -> list[ActionItem]:
    """The whole plan across sessions: open first, then by due date."""
    return list(db.session.scalars(_ACTIONS, {"relationship_id": relationship_id}))


def note_read_record(*, actor_id: int, relationship_id: str, what: str) -> None:
    """Every read of note text is logged at once, without the content."""
    audit_record_now(
        action=AuditAction.NOTE_READ,
        actor_id=actor_id,
        record_type="mentoring_relationship",
        record_id=relationship_id,
        detail=what,
    )


def note_read_committed(*, actor_id: int, relationship_id: str, what: str) -> None:
    """As `note_read_record`, in the request's own transaction, committed at once: for a page
    already rendered and not yet sent."""
    audit_record_committed(
        action=AuditAction.NOTE_READ,
        actor_id=actor_id,
        record_type="mentoring_relationship",
        record_id=relationship_id,
        detail=what,
    )


def read_history(relationship_id: str, limit: int = 200) -> list[AuditEvent]:
    """Who read the notes of this relationship, and when: for the mentee's own view."""
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.record_type == "mentoring_relationship",
                AuditEvent.record_id == relationship_id,
                AuditEvent.action == AuditAction.NOTE_READ.value,
            )
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class RelationshipFigures:
    """What a coordinator may see of one relationship: no names, no topics, no text."""

    reference: str
    status: str
    started_on: date
    ended_on: date | None
    planned_sessions: int
    sessions: int
    minutes: int
    last_session_on: date | None


def relationship_figures() -> list[RelationshipFigures]:
    counts = (
        select(
            SessionLog.relationship_id,
            func.count(SessionLog.id).label("sessions"),
            func.coalesce(func.sum(SessionLog.minutes), 0).label("minutes"),
            func.max(SessionLog.held_on).label("last_on"),
        )
        .group_by(SessionLog.relationship_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            MentoringRelationship,
            func.coalesce(counts.c.sessions, 0),
            func.coalesce(counts.c.minutes, 0),
            counts.c.last_on,
        )
        .outerjoin(counts, counts.c.relationship_id == MentoringRelationship.id)
        .order_by(MentoringRelationship.started_at.desc())
    ).all()
    return [
        RelationshipFigures(
            reference=rel.id[:8],
            status=rel.status,
            started_on=rel.started_at.date(),
            ended_on=rel.ended_at.date() if rel.ended_at else None,
            planned_sessions=rel.planned_sessions,
            sessions=int(sessions),
            minutes=int(minutes),
            last_session_on=last_on,
        )
        for rel, sessions, minutes, last_on in rows
    ]
