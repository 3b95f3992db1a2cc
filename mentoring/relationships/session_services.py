"""Logging a session on a model's template, editing it safely, and the mentee's action plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from mentoring.audit.services import AuditAction, audit_record
from mentoring.auth.models import User, utcnow
from mentoring.core.errors import ServiceError
from mentoring.core.vocabulary import FORMATS, TOPICS, values
from mentoring.extensions import db
from mentoring.relationships.frameworks import MentoringModel, model_of
from mentoring.relationships.models import MentoringRelationship
from mentoring.relationships.session_models import (
    MAX_MINUTES,
    MAX_NOTE_CHARS,
    MIN_MINUTES,
    ActionItem,
    ActionStatus,
    SessionLog,
    SessionSignpost,
    SessionStageNote,
    SessionTopic,
)
from mentoring.relationships.vocabulary import SIGNPOST_KINDS

MAX_ACTION_CHARS = 500


class StaleEdit(ServiceError):
    """The log changed since the form was opened; nothing was saved, nothing typed is lost."""


@dataclass(frozen=True)
class StageEntry:
    stage: str
    notes: str
    numbers: dict[str, int | None] = field(default_factory=dict)


@dataclass(frozen=True)
class NewAction:
    text: str
    due_on: date | None = None


@dataclass(frozen=True)
class SessionDetails:
    held_on: date
    minutes: int
    format: str
    model: str
    stages: list[StageEntry]
    topics: list[str]
    signposts: list[str]
    summary: str
    reflection: str
    actions: list[NewAction] = field(default_factory=list)


def _check_length(text: str, field_name: str, what: str) -> None:
    if len(text) > MAX_NOTE_CHARS:
        raise ServiceError(f"{what} must be {MAX_NOTE_CHARS} characters or fewer", field=field_name)


def _check_when(relationship: MentoringRelationship, details: SessionDetails, today: date) -> None:
    if details.held_on > today:
        raise ServiceError("The session date cannot be in the future", field="held_on")
    if details.held_on < relationship.started_at.date():
        raise ServiceError(
            "The session date cannot be before the relationship began", field="held_on"
        )
    if not MIN_MINUTES <= details.minutes <= MAX_MINUTES:
        raise ServiceError(
            f"Enter a duration between {MIN_MINUTES} and {MAX_MINUTES} minutes", field="minutes"
        )
    if details.format not in values(FORMATS):
        raise ServiceError("Choose how you met", field="format")


def _check_stages(model: MentoringModel, stages: list[StageEntry]) -> None:
    for entry in stages:
        stage = model.stage(entry.stage)
        if stage is None:
            raise ServiceError(f"{model.label} has no stage called {entry.stage!r}", field="model")
        _check_length(entry.notes, f"stage_{entry.stage}", f"Notes for {stage.label}")
        for number in stage.numbers:
            value = entry.numbers.get(number.key)
            if value is not None and not number.minimum <= value <= number.maximum:
                raise ServiceError(
                    f"{number.label}: enter a number from {number.minimum} to {number.maximum}",
                    field=f"stage_{entry.stage}_{number.key}",
                )


def _check_actions(actions: list[NewAction]) -> None:
    for action in actions:
        if not action.text.strip():
            raise ServiceError("Write what the action is, or leave its date empty", field="actions")
        if len(action.text) > MAX_ACTION_CHARS:
            raise ServiceError(
                f"Keep each action under {MAX_ACTION_CHARS} characters", field="actions"
            )


def _check_details(
    relationship: MentoringRelationship, details: SessionDetails, today: date
) -> MentoringModel:
    """Everything is checked before anything is written: a refused log leaves nothing behind."""
    _check_when(relationship, details, today)
    model = model_of(details.model)
    if model is None:
        raise ServiceError("Choose a model from the list", field="model")
    _check_stages(model, details.stages)
    if set(details.topics) - values(TOPICS):
        raise ServiceError("Choose topics from the list", field="topics")
    if set(details.signposts) - values(SIGNPOST_KINDS):
        raise ServiceError("Choose services from the list", field="signposts")
    _check_length(details.summary, "summary", "The shared summary")
    _check_length(details.reflection, "reflection", "Your private reflection")
    _check_actions(details.actions)
    return model


def _apply(log: SessionLog, model: MentoringModel, details: SessionDetails) -> None:
    log.held_on = details.held_on
    log.minutes = details.minutes
    log.format = details.format
    log.model = details.model
    log.summary = details.summary.strip() or None
    log.reflection = details.reflection.strip() or None
    entries = {entry.stage: entry for entry in details.stages}
    notes = []
    for position, stage in enumerate(model.stages):
        entry = entries.get(stage.key)
        if entry is None:
            continue
        number = stage.numbers[0] if stage.numbers else None
        value = entry.numbers.get(number.key) if number else None
        if not entry.notes.strip() and value is None:
            continue
        existing = log.note_for(stage.key)
        note = existing or SessionStageNote(session_id=log.id, stage=stage.key)
        note.position = position
        note.notes = entry.notes.strip() or None
        note.number_field = number.key if value is not None else None
        note.number_value = value
        notes.append(note)
    log.stage_notes = notes
    log.topic_rows = [SessionTopic(topic=t) for t in dict.fromkeys(details.topics)]
    log.signpost_rows = [SessionSignpost(kind=k) for k in dict.fromkeys(details.signposts)]


def _add_actions_and_audit(
    log: SessionLog, details: SessionDetails, audit_action: AuditAction, mentor: User
) -> None:
    """New actions from the form join the relationship's plan; the change is audited, no text."""
    for action in details.actions:
        db.session.add(
            ActionItem(
                relationship_id=log.relationship_id,
                session_id=log.id,
                text=action.text.strip(),
                due_on=action.due_on,
            )
        )
    audit_record(
        action=audit_action,
        actor_id=mentor.id,
        record_type="mentoring_relationship",
        record_id=log.relationship_id,
        detail=f"session_log:{log.id}",
    )
    db.session.flush()


def session_log_record(
    *, relationship: MentoringRelationship, mentor: User, details: SessionDetails, today: date
) -> SessionLog:
    if mentor.id != relationship.mentor_id:
        raise ServiceError("Only the mentor in this relationship logs its sessions")
    if not relationship.is_active:
        raise ServiceError("This relationship has ended: no more sessions can be logged")
    model = _check_details(relationship, details, today)
    log = SessionLog(relationship_id=relationship.id)
    db.session.add(log)
    _apply(log, model, details)
    db.session.flush()  # the log's row first: actions refer to it by id alone
    _add_actions_and_audit(log, details, AuditAction.SESSION_LOGGED, mentor)
    return log


def session_log_update(
    *,
    log: SessionLog,
    mentor: User,
    details: SessionDetails,
    expected_version: int,
    today: date,
) -> None:
    """Refuse to overwrite a newer version: the caller shows both, and nothing is lost."""
    relationship = log.relationship_
    if mentor.id != relationship.mentor_id:
        raise ServiceError("Only the mentor in this relationship edits its sessions")
    if not relationship.is_active:
        # Its text may have been destroyed (a person left, or retention): nothing is written back.
        raise ServiceError("This relationship has ended: its session logs can no longer be changed")
    if log.version != expected_version:
        raise StaleEdit(
            "This session log was changed after you opened it. Your text is below, with the "
            "saved version; check both, then save again"
        )
    model = _check_details(relationship, details, today)
    _apply(log, model, details)
    _add_actions_and_audit(log, details, AuditAction.SESSION_EDITED, mentor)


def action_update(
    *,
    action: ActionItem,
    mentee: User,
    relationship: MentoringRelationship,
    status: str,
    reflection: str,
) -> None:
    """The mentee marks their action done or dropped (or open again) and adds a reflection."""
    if mentee.id != relationship.mentee_id:
        raise ServiceError("Only the mentee updates their actions")
    if status not in {s.value for s in ActionStatus}:
        raise ServiceError("Choose open, done or dropped", field="status")
    if len(reflection) > MAX_NOTE_CHARS:
        raise ServiceError(
            f"Keep your reflection under {MAX_NOTE_CHARS} characters", field="reflection"
        )
    if status != action.status:
        action.status = status
        action.status_changed_at = utcnow()
    action.mentee_reflection = reflection.strip() or None
    audit_record(
        action=AuditAction.ACTION_UPDATED,
        actor_id=mentee.id,
        record_type="mentoring_relationship",
        record_id=relationship.id,
        detail=f"action_item:{action.id}",
    )
    db.session.flush()
