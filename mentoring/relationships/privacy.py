"""Mentoring relationships, session logs and action plans: the export, erasure and retention.

**Export.** Each party gets what the app itself shows them, written by them or shared with them:

- both: the relationship's terms and the agreement's notes, each session's figures, shared summary
  and stage notes, and the action plan;
- the mentor only: their own private reflections (a section of its own);
- the mentee only: their own reflections on their actions, and who has read the notes of their
  mentoring (as their "who has read your record" pages show it).

A mentee never gets the mentor's private reflection; a mentor never gets another mentor's anything,
nor the mentee's reflections on actions (the mentee's own words, in the mentee's export). A fixed
number of queries per export, whatever the number of relationships or sessions.

**Erasure and retention.** What is destroyed, always in bulk SQL (sealed columns set to NULL, so
nothing is left to decrypt, and action items, which are nothing but their text, deleted): the
agreement's notes, each session's shared summary, stage notes and the mentor's private reflection,
and the request's own words. What stays, because reports and the mentor's appraisal record count
it: the relationship row (its dates, model, planned sessions, who ended it and why), each session's
date, minutes, format, model, topics, signposting kinds and stage numbers, and the request's
structured fields.

- **A mentee leaves**: all text of all their relationships goes: it is about them, and their open
  relationship closes, so nobody needs it any more.
- **A mentor leaves**: their private reflections go. What they shared with a mentee (summaries,
  stage notes, actions, the agreement) stays for that mentee, who may still be using their action
  plan, until retention removes it like any other closed relationship's text.
- **Retention**: relationships closed before the cutoff lose all their text.

Open relationships close kindly: ended with a neutral reason, the place freed, and the other person
told by email after the commit that mentoring has ended, not why; a mentee is invited to ask again.
"""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from sqlalchemy import Select, delete, select, update
from sqlalchemy.orm import selectinload

from mentoring.audit.models import AuditEvent
from mentoring.audit.services import AuditAction
from mentoring.auth.models import User
from mentoring.core.vocabulary import FORMATS, MENTORING_MODELS, TOPICS, label
from mentoring.extensions import db
from mentoring.privacy.registry import eraser, exporter, retention_rule
from mentoring.privacy.rows import listed, text, when, yes_no
from mentoring.relationships.frameworks import model_of
from mentoring.relationships.models import MentoringRelationship, RelationshipStatus
from mentoring.relationships.queries import relationships_of
from mentoring.relationships.services import relationship_close
from mentoring.relationships.session_models import (
    ActionItem,
    SessionLog,
    SessionStageNote,
)
from mentoring.relationships.vocabulary import (
    ACTION_STATUSES,
    ENDING_REASONS,
    MEETING_FREQUENCIES,
    SIGNPOST_KINDS,
)
from mentoring.requests_.models import MentoringRequest


def _side(relationship: MentoringRelationship, user: User) -> tuple[str, str]:
    """(your part, the other person's name)."""
    if relationship.mentor_id == user.id:
        return "mentor", relationship.mentee.display_name
    return "mentee", relationship.mentor.display_name


@exporter("relationships", "Your mentoring relationships")
def export_relationships(user: User) -> list[dict]:
    rows = []
    for relationship in relationships_of(user.id):
        part, other = _side(relationship, user)
        rows.append(
            {
                "you were the": part,
                "with": other,
                "began": when(relationship.started_at),
                "ended": when(relationship.ended_at),
                "model": label(MENTORING_MODELS, relationship.model),
                "how often": label(MEETING_FREQUENCIES, relationship.meeting_frequency),
                "how you met": label(FORMATS, relationship.meeting_format),
                "planned sessions": relationship.planned_sessions,
                "times extended": relationship.extensions,
                "agreed": when(relationship.agreed_at),
                "what else you agreed": text(relationship.agreement_notes),
                "next session": when(relationship.next_session_at),
                "ended by": text(relationship.ended_by),
                "why it ended": label(ENDING_REASONS, relationship.ending_reason),
                "feedback given": yes_no(relationship.feedback_given) if part == "mentee" else "",
            }
        )
    return rows


def _sessions_of(user: User) -> list[SessionLog]:
    return list(
        db.session.scalars(
            select(SessionLog)
            .join(MentoringRelationship, MentoringRelationship.id == SessionLog.relationship_id)
            .where(
                (MentoringRelationship.mentor_id == user.id)
                | (MentoringRelationship.mentee_id == user.id)
            )
            .options(
                selectinload(SessionLog.relationship_).selectinload(MentoringRelationship.mentor),
                selectinload(SessionLog.relationship_).selectinload(MentoringRelationship.mentee),
                selectinload(SessionLog.stage_notes),
                selectinload(SessionLog.topic_rows),
                selectinload(SessionLog.signpost_rows),
            )
            .order_by(SessionLog.held_on, SessionLog.logged_at)
        )
    )


def _stage_notes(log: SessionLog) -> str:
    model = model_of(log.model)
    parts = []
    for note in log.stage_notes:
        stage = model.stage(note.stage) if model else None
        words = [note.notes or ""]
        if note.number_value is not None:
            words.insert(0, f"({note.number_field}: {note.number_value})")
        parts.append(f"{stage.label if stage else note.stage}: {' '.join(w for w in words if w)}")
    return listed(parts)


@exporter("session_logs", "Sessions you held")
def export_session_logs(user: User) -> list[dict]:
    rows = []
    for log in _sessions_of(user):
        part, other = _side(log.relationship_, user)
        rows.append(
            {
                "you were the": part,
                "with": other,
                "held on": when(log.held_on),
                "minutes": log.minutes,
                "how you met": label(FORMATS, log.format),
                "model": label(MENTORING_MODELS, log.model),
                "topics": listed(label(TOPICS, topic) for topic in log.topics),
                "signposted to": listed(label(SIGNPOST_KINDS, kind) for kind in log.signposts),
                "shared summary": text(log.summary),
                "notes by stage": _stage_notes(log),
            }
        )
    return rows


@exporter("private_reflections", "Your private reflections as a mentor")
def export_private_reflections(user: User) -> list[dict]:
    logs = db.session.scalars(
        select(SessionLog)
        .join(MentoringRelationship, MentoringRelationship.id == SessionLog.relationship_id)
        .where(
            MentoringRelationship.mentor_id == user.id, SessionLog.reflection_sealed.is_not(None)
        )
        .options(selectinload(SessionLog.relationship_).selectinload(MentoringRelationship.mentee))
        .order_by(SessionLog.held_on, SessionLog.logged_at)
    ).all()
    return [
        {
            "session with": log.relationship_.mentee.display_name,
            "held on": when(log.held_on),
            "your reflection": text(log.reflection),
        }
        for log in logs
    ]


@exporter("actions", "Action plans")
def export_actions(user: User) -> list[dict]:
    items = db.session.execute(
        select(ActionItem, MentoringRelationship)
        .join(MentoringRelationship, MentoringRelationship.id == ActionItem.relationship_id)
        .where(
            (MentoringRelationship.mentor_id == user.id)
            | (MentoringRelationship.mentee_id == user.id)
        )
        .options(
            selectinload(MentoringRelationship.mentor),
            selectinload(MentoringRelationship.mentee),
        )
        .order_by(ActionItem.created_at)
    ).all()
    rows = []
    for item, relationship in items:
        part, other = _side(relationship, user)
        rows.append(
            {
                "you were the": part,
                "with": other,
                "action": text(item.text),
                "due": when(item.due_on),
                "status": label(ACTION_STATUSES, item.status),
                "your reflection": text(item.mentee_reflection) if part == "mentee" else "",
            }
        )
    return rows


def _reader(event: AuditEvent, relationship: MentoringRelationship) -> str:
    """Who read, in the words of the mentee's "who has read your record" page."""
    if event.actor_id == relationship.mentee_id:
        return "you"
    if event.actor_id == relationship.mentor_id:
        return f"your mentor, {relationship.mentor.display_name}"
    return event.actor.display_name if event.actor else "a removed account"


@exporter("record_reads", "Who has read the notes of your mentoring")
def export_record_reads(user: User) -> list[dict]:
    """The reads the mentee sees on her relationships' "who has read your record" pages."""
    events = db.session.execute(
        select(AuditEvent, MentoringRelationship)
        .join(MentoringRelationship, MentoringRelationship.id == AuditEvent.record_id)
        .where(
            AuditEvent.record_type == "mentoring_relationship",
            AuditEvent.action == AuditAction.NOTE_READ.value,
            MentoringRelationship.mentee_id == user.id,
        )
        .options(selectinload(MentoringRelationship.mentor))
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    ).all()
    return [
        {
            "with": relationship.mentor.display_name,
            "when": when(event.occurred_at),
            "who": _reader(event, relationship),
        }
        for event, relationship in events
    ]


# --- erasure and retention ----------------------------------------------------------------------

# Neutral reasons from the existing vocabulary, so reports need no new category.
ENDING_REASON_WHEN_LEAVING = {"mentee": "mentee_moved_on", "mentor": "mentor_unable"}


def _rowcount(statement) -> int:
    result = db.session.execute(statement.execution_options(synchronize_session=False))
    return result.rowcount or 0


def destroy_text(relationship_ids: Select, *, requests_too: bool = True) -> int:
    """Empty every sealed column of these relationships; how many records held text.

    Versions move on, as for any save: an edit already in flight then finds the record changed
    instead of writing the destroyed text back.
    """
    session_ids = select(SessionLog.id).where(SessionLog.relationship_id.in_(relationship_ids))
    touched = _rowcount(
        update(MentoringRelationship)
        .where(
            MentoringRelationship.id.in_(relationship_ids),
            MentoringRelationship.agreement_notes_sealed.is_not(None),
        )
        .values(agreement_notes_sealed=None, version=MentoringRelationship.version + 1)
    )
    touched += _rowcount(
        update(SessionLog)
        .where(
            SessionLog.relationship_id.in_(relationship_ids),
            SessionLog.summary_sealed.is_not(None) | SessionLog.reflection_sealed.is_not(None),
        )
        .values(summary_sealed=None, reflection_sealed=None, version=SessionLog.version + 1)
    )
    touched += _rowcount(
        update(SessionStageNote)
        .where(
            SessionStageNote.session_id.in_(session_ids),
            SessionStageNote.notes_sealed.is_not(None),
        )
        .values(notes_sealed=None)
    )
    touched += _rowcount(delete(ActionItem).where(ActionItem.relationship_id.in_(relationship_ids)))
    if requests_too:
        request_ids = select(MentoringRelationship.request_id).where(
            MentoringRelationship.id.in_(relationship_ids)
        )
        touched += _rowcount(
            update(MentoringRequest)
            .where(
                MentoringRequest.id.in_(request_ids),
                MentoringRequest.wishes_sealed.is_not(None) | (MentoringRequest.department != ""),
            )
            .values(wishes_sealed=None, department="")
        )
    return touched


@retention_rule("closed relationships' text", "CLOSED_RELATIONSHIP_RETENTION_MONTHS")
def purge_closed_relationships(cutoff: datetime) -> int:
    closed_before = select(MentoringRelationship.id).where(
        MentoringRelationship.status == RelationshipStatus.CLOSED.value,
        MentoringRelationship.ended_at < cutoff,
    )
    return destroy_text(closed_before)


def _close_kindly(relationship: MentoringRelationship, leaving: User) -> None:
    party = relationship.party_of(leaving.id)
    relationship_close(
        relationship=relationship,
        party=party,
        reason=ENDING_REASON_WHEN_LEAVING[party],
        actor=leaving,
        email_template="relationship_ended_kindly",
        new_request_url=url_for("requests.new", again=1, _external=True),
        audit_note=", account deleted",
    )


@eraser("relationships")
def erase_relationships(user: User) -> None:
    open_ones = db.session.scalars(
        select(MentoringRelationship)
        .where(
            (MentoringRelationship.mentor_id == user.id)
            | (MentoringRelationship.mentee_id == user.id),
            MentoringRelationship.status == RelationshipStatus.ACTIVE.value,
        )
        .options(
            selectinload(MentoringRelationship.mentor),
            selectinload(MentoringRelationship.mentee),
        )
    ).all()
    for relationship in open_ones:
        _close_kindly(relationship, user)
    db.session.flush()
    # The request's words are erased by the requests domain, for every request of the person.
    destroy_text(
        select(MentoringRelationship.id).where(MentoringRelationship.mentee_id == user.id),
        requests_too=False,
    )
    _rowcount(
        update(SessionLog)
        .where(
            SessionLog.relationship_id.in_(
                select(MentoringRelationship.id).where(MentoringRelationship.mentor_id == user.id)
            )
        )
        .values(reflection_sealed=None, version=SessionLog.version + 1)
    )
    db.session.flush()
    # The bulk statements bypassed the objects in the session: read them afresh if needed.
    db.session.expire_all()
