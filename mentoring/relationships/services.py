"""The relationship lifecycle: agree terms, review and extend, end, feedback, scheduling.

Services flush; the caller commits once. Emails say only that something happened and link to the
service: never a topic, a note, or a reason for ending.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, url_for
from sqlalchemy import func, select

from mentoring.audit.services import AuditAction, audit_record
from mentoring.auth.models import User, utcnow
from mentoring.core.errors import ServiceError
from mentoring.core.vocabulary import FORMATS, values
from mentoring.extensions import db
from mentoring.mentors.services import mentor_place_release
from mentoring.outbox import queue_email
from mentoring.relationships.frameworks import model_of
from mentoring.relationships.models import (
    MenteeFeedback,
    MentoringRelationship,
    RelationshipStatus,
)
from mentoring.relationships.presentation import local_time
from mentoring.relationships.session_models import SessionLog
from mentoring.relationships.vocabulary import ENDING_REASONS, MEETING_FREQUENCIES

MAX_AGREEMENT_NOTES = 2000
MAX_EXTENSION = 12


def _require_active(relationship: MentoringRelationship) -> None:
    if not relationship.is_active:
        raise ServiceError("This mentoring relationship has ended")


@dataclass(frozen=True)
class AgreementTerms:
    model: str
    meeting_frequency: str
    meeting_format: str
    planned_sessions: int
    notes: str
    confidentiality_understood: bool


def agreement_record(
    *, relationship: MentoringRelationship, actor: User, terms: AgreementTerms
) -> None:
    _require_active(relationship)
    if model_of(terms.model) is None:
        raise ServiceError("Choose a model from the list", field="model")
    if terms.meeting_frequency not in values(MEETING_FREQUENCIES):
        raise ServiceError("Choose how often you will meet", field="meeting_frequency")
    if terms.meeting_format not in values(FORMATS):
        raise ServiceError("Choose how you will meet", field="meeting_format")
    if not 1 <= terms.planned_sessions <= 20:
        raise ServiceError("Plan between 1 and 20 sessions", field="planned_sessions")
    if len(terms.notes) > MAX_AGREEMENT_NOTES:
        raise ServiceError(
            f"Keep anything else you agreed under {MAX_AGREEMENT_NOTES} characters", field="notes"
        )
    if not terms.confidentiality_understood:
        raise ServiceError(
            "Confirm you have talked through confidentiality and its limits",
            field="confidentiality_understood",
        )
    relationship.model = terms.model
    relationship.meeting_frequency = terms.meeting_frequency
    relationship.meeting_format = terms.meeting_format
    relationship.planned_sessions = terms.planned_sessions
    relationship.agreement_notes = terms.notes.strip() or None
    relationship.agreed_at = utcnow()
    relationship.agreed_by_id = actor.id
    audit_record(
        action=AuditAction.AGREEMENT_RECORDED,
        actor_id=actor.id,
        record_type="mentoring_relationship",
        record_id=relationship.id,
    )
    db.session.flush()


def sessions_logged(relationship_id: str) -> int:
    return db.session.scalar(
        select(func.count(SessionLog.id)).where(SessionLog.relationship_id == relationship_id)
    )


def review_due(relationship: MentoringRelationship) -> bool:
    """Once the planned sessions are reached, the pair decide together: extend or close."""
    return relationship.is_active and sessions_logged(relationship.id) >= (
        relationship.planned_sessions
    )


def relationship_extend(
    *, relationship: MentoringRelationship, actor: User, extra_sessions: int
) -> None:
    _require_active(relationship)
    if not 1 <= extra_sessions <= MAX_EXTENSION:
        raise ServiceError(f"Add between 1 and {MAX_EXTENSION} sessions", field="extra_sessions")
    relationship.planned_sessions += extra_sessions
    relationship.extensions += 1
    audit_record(
        action=AuditAction.RELATIONSHIP_EXTENDED,
        actor_id=actor.id,
        record_type="mentoring_relationship",
        record_id=relationship.id,
    )
    db.session.flush()


def relationship_end(
    *, relationship: MentoringRelationship, actor: User, reason: str | None
) -> None:
    """Either side ends it at any time; the mentee need not say why. The mentor's place is freed."""
    _require_active(relationship)
    party = relationship.party_of(actor.id)
    if party is None:
        raise ServiceError("Only the mentor or the mentee can end this relationship")
    if not reason:
        if party == "mentor":
            raise ServiceError("Choose a reason for ending", field="reason")
        reason = "not_given"
    if reason not in values(ENDING_REASONS):
        raise ServiceError("Choose a reason from the list", field="reason")
    relationship_close(
        relationship=relationship,
        party=party,
        reason=reason,
        actor=actor,
        email_template="relationship_ended",
        new_request_url=url_for("requests.new", _external=True),
    )


def relationship_close(
    *,
    relationship: MentoringRelationship,
    party: str,
    reason: str,
    actor: User,
    email_template: str,
    new_request_url: str,
    audit_note: str = "",
) -> None:
    """Close it, free the mentor's place, audit it, and tell the other person after the commit.

    Shared by ending it on the relationship page and by closing it when one side leaves the scheme.
    """
    relationship.status = RelationshipStatus.CLOSED.value
    relationship.ended_at = utcnow()
    relationship.ended_by = party
    relationship.ending_reason = reason
    relationship.next_session_at = None
    relationship.next_session_format = None
    db.session.flush()
    mentor_place_release(mentor_id=relationship.mentor_id)
    audit_record(
        action=AuditAction.RELATIONSHIP_ENDED,
        actor_id=actor.id,
        record_type="mentoring_relationship",
        record_id=relationship.id,
        detail=party + audit_note,
    )
    other = relationship.mentee if party == "mentor" else relationship.mentor
    queue_email(
        to=other.email,
        subject="your mentoring relationship has ended",
        template=email_template,
        name=other.display_name,
        is_mentee=other.id == relationship.mentee_id,
        relationship_url=url_for(
            "relationships.detail", relationship_id=relationship.id, _external=True
        ),
        new_request_url=new_request_url,
    )


def feedback_give(
    *,
    relationship: MentoringRelationship,
    actor: User,
    helpfulness: int,
    would_recommend: bool | None,
) -> None:
    """Stored apart from the relationship, with only the month, for aggregate reports."""
    if relationship.is_active:
        raise ServiceError("Feedback can be given once the relationship has ended")
    if actor.id != relationship.mentee_id:
        raise ServiceError("Only the mentee gives feedback")
    if relationship.feedback_given:
        raise ServiceError("Thank you: you have already given feedback")
    if not 1 <= helpfulness <= 5:
        raise ServiceError("Choose how helpful mentoring was", field="helpfulness")
    # The month where the scheme runs: 00:30 on 1 July in London is still 30 June in UTC.
    today = utcnow().astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()
    db.session.add(
        MenteeFeedback(
            month=today.replace(day=1), helpfulness=helpfulness, would_recommend=would_recommend
        )
    )
    relationship.feedback_given = True
    db.session.flush()


# --- scheduling -----------------------------------------------------------------------------------


def next_session_set(
    *, relationship: MentoringRelationship, starts_at: datetime, format: str, now: datetime
) -> None:
    _require_active(relationship)
    if format not in values(FORMATS):
        raise ServiceError("Choose how you will meet", field="format")
    if starts_at <= now:
        raise ServiceError("Choose a time in the future", field="date")
    if starts_at > now + timedelta(days=366):
        raise ServiceError("Choose a date within the next year", field="date")
    relationship.next_session_at = starts_at
    relationship.next_session_format = format
    relationship.reminder_sent_for = None
    db.session.flush()


def reminders_send_due(*, now: datetime | None = None) -> int:
    """Email both people about sessions starting in the next day; each session once."""
    now = now or utcnow()
    due = db.session.scalars(
        select(MentoringRelationship).where(
            MentoringRelationship.status == RelationshipStatus.ACTIVE.value,
            MentoringRelationship.next_session_at > now,
            MentoringRelationship.next_session_at <= now + timedelta(days=1),
        )
    ).all()
    sent = 0
    for relationship in due:
        if relationship.reminder_sent_for == relationship.next_session_at:
            continue
        for person in (relationship.mentor, relationship.mentee):
            queue_email(
                to=person.email,
                subject="reminder: mentoring conversation tomorrow",
                template="session_reminder",
                name=person.display_name,
                starts_at=local_time(relationship.next_session_at),
                relationship_url=url_for(
                    "relationships.detail", relationship_id=relationship.id, _external=True
                ),
            )
        relationship.reminder_sent_for = relationship.next_session_at
        sent += 1
    db.session.flush()
    return sent
