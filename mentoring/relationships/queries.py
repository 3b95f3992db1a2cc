"""Reads about mentoring relationships, session logs and action plans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from flask_login import current_user
from sqlalchemy import (
    Integer,
    LargeBinary,
    String,
    and_,
    bindparam,
    case,
    func,
    literal_column,
    null,
    or_,
    select,
    type_coerce,
    union_all,
)
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


# The relationship page's reads, in one statement built once: each request gives the values only.
_PAGE_COLUMNS = (
    MentoringRelationship.id,
    MentoringRelationship.mentor_id,
    MentoringRelationship.mentee_id,
    MentoringRelationship.status,
    MentoringRelationship.started_at,
    MentoringRelationship.ended_at,
    MentoringRelationship.ended_by,
    MentoringRelationship.ending_reason,
    MentoringRelationship.agreed_at,
    MentoringRelationship.model,
    MentoringRelationship.meeting_frequency,
    MentoringRelationship.meeting_format,
    MentoringRelationship.planned_sessions,
    MentoringRelationship.next_session_at,
    MentoringRelationship.next_session_format,
    MentoringRelationship.feedback_given,
)
SESSION_LINE, ACTION_LINE = 0, 1  # what a detail row of the page's statement is


@cache
def _page_statement():
    """The relationship (no sealed column), the other person's name and email, and a row for each
    session (id, date, minutes: no notes) and each action (sealed text as stored), in the page's
    order: sessions by date, then actions open first and by due date. The other person and the
    details are joined only for a viewer who is one of the two; `may_read_relationship` still
    decides, on the relationship's columns, before anything is shown."""
    rel = MentoringRelationship
    nothing, zero, one = null(), literal_column("0"), literal_column("1")
    details = union_all(
        select(
            SessionLog.relationship_id,
            literal_column(str(SESSION_LINE)).label("what"),
            zero.label("open_first"),
            zero.label("undated_last"),
            SessionLog.held_on.label("day"),
            SessionLog.logged_at.label("at"),
            SessionLog.id,
            SessionLog.minutes,
            type_coerce(nothing, LargeBinary).label("text_sealed"),
            type_coerce(nothing, LargeBinary).label("reflection_sealed"),
            type_coerce(nothing, String).label("status"),
        ).where(SessionLog.relationship_id == bindparam("relationship_id")),
        select(
            ActionItem.relationship_id,
            literal_column(str(ACTION_LINE)),
            case((ActionItem.status == "open", zero), else_=one),
            case((ActionItem.due_on.is_(None), one), else_=zero),
            ActionItem.due_on,
            ActionItem.created_at,
            ActionItem.id,
            nothing,
            ActionItem.text_sealed,
            ActionItem.mentee_reflection_sealed,
            ActionItem.status,
        ).where(ActionItem.relationship_id == bindparam("relationship_id")),
    ).subquery()
    viewer = bindparam("viewer_id", type_=Integer)
    other = case((rel.mentor_id == viewer, rel.mentee_id), (rel.mentee_id == viewer, rel.mentor_id))
    return (
        select(
            *_PAGE_COLUMNS,
            User.display_name.label("other_name"),
            User.email.label("other_email"),
            details.c.what,
            details.c.id.label("line_id"),
            details.c.day,
            details.c.minutes,
            details.c.text_sealed,
            details.c.reflection_sealed,
            details.c.status.label("line_status"),
        )
        .outerjoin(User, User.id == other)
        .outerjoin(
            details,
            and_(
                details.c.relationship_id == rel.id,
                or_(rel.mentor_id == viewer, rel.mentee_id == viewer),
            ),
        )
        .where(rel.id == bindparam("relationship_id"))
        .order_by(
            details.c.what,
            details.c.open_first,
            details.c.undated_last,
            details.c.day,
            details.c.at,
            details.c.id,  # the same order on every view, even for two lines made at once
        )
    )


def relationship_page_rows(relationship_id: str, viewer_id: int) -> list:
    """The relationship page's rows for one viewer (none if there is no such relationship): each
    carries the relationship's columns, and one session or action (or neither, if it has none)."""
    return (
        db.session.connection()
        .execute(_page_statement(), {"relationship_id": relationship_id, "viewer_id": viewer_id})
        .all()
    )


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
