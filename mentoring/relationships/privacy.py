"""What mentoring relationships, session logs and action plans hold about a person: the export.

Each party gets what the app itself shows them, written by them or shared with them:

- both: the relationship's terms and the agreement's notes, each session's figures, shared summary
  and stage notes, and the action plan;
- the mentor only: their own private reflections (a section of its own);
- the mentee only: their own reflections on their actions.

A mentee never gets the mentor's private reflection; a mentor never gets another mentor's anything,
nor the mentee's reflections on actions (the mentee's own words, in the mentee's export). Three
queries per export, whatever the number of relationships or sessions.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mentoring.auth.models import User
from mentoring.core.vocabulary import FORMATS, MENTORING_MODELS, TOPICS, label
from mentoring.extensions import db
from mentoring.privacy.registry import exporter
from mentoring.privacy.rows import listed, text, when, yes_no
from mentoring.relationships.frameworks import model_of
from mentoring.relationships.models import MentoringRelationship
from mentoring.relationships.queries import relationships_of
from mentoring.relationships.session_models import ActionItem, SessionLog
from mentoring.relationships.vocabulary import (
    ACTION_STATUSES,
    ENDING_REASONS,
    MEETING_FREQUENCIES,
    SIGNPOST_KINDS,
)


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
