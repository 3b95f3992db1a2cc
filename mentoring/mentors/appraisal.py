"""An anonymised record of a mentor's mentoring for appraisal and revalidation.

It holds the mentor's own training and supervision, and figures about their mentoring in which no
mentee can be recognised: mentee numbers only in bands, sessions and hours as totals, models and
topic areas without counts per person. Nothing here reads a mentee's name or any free text.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from mentoring.core.vocabulary import SUPERVISION_KINDS, label
from mentoring.extensions import db
from mentoring.mentors.models import SupervisionSession
from mentoring.training.models import TrainingRecord

NO_SESSION_LOGS = (
    "Mentoring figures come from session logs. None were logged in this period, so "
    "sessions, hours, mentees, models used and topic areas show as zero or none."
)


def mentee_band(count: int) -> str:
    """Mentee numbers in bands, so a small count cannot point at a person."""
    if count <= 0:
        return "None"
    if count <= 2:
        return "1 to 2"
    if count <= 5:
        return "3 to 5"
    return "6 or more"


@dataclass(frozen=True)
class SupervisionTotal:
    kind: str
    sessions: int
    minutes: int

    @property
    def label(self) -> str:
        return label(SUPERVISION_KINDS, self.kind)

    @property
    def hours(self) -> float:
        return self.minutes / 60


@dataclass(frozen=True)
class MentoringActivity:
    """Figures from session logs, aggregated in SQL; nothing that could name a mentee."""

    mentees: int = 0
    sessions: int = 0
    session_minutes: int = 0
    models_used: list[str] = field(default_factory=list)
    topic_areas: list[str] = field(default_factory=list)
    from_session_logs: bool = False  # True when computed from the session logs

    @property
    def mentee_band(self) -> str:
        return mentee_band(self.mentees)

    @property
    def session_hours(self) -> float:
        return self.session_minutes / 60


@dataclass(frozen=True)
class AppraisalRecord:
    start: date
    end: date
    training: list[TrainingRecord]
    supervision: list[SupervisionTotal]
    activity: MentoringActivity

    @property
    def verified_training_hours(self) -> float:
        return sum(record.minutes for record in self.training if record.is_verified) / 60

    @property
    def supervision_hours(self) -> float:
        return sum(total.minutes for total in self.supervision) / 60


def mentoring_activity(mentor_id: int, start: date, end: date) -> MentoringActivity:
    """Sessions, hours, mentees, models and topics between `start` and `end`, inclusive.

    All SQL aggregates over the session logs: COUNT(DISTINCT mentee), SUM(minutes), DISTINCT
    model and topic. No note, name or per-mentee figure is read.
    """
    from mentoring.core.vocabulary import TOPICS
    from mentoring.relationships.frameworks import model_label
    from mentoring.relationships.models import MentoringRelationship
    from mentoring.relationships.session_models import SessionLog, SessionTopic

    in_period = (
        select(SessionLog.id)
        .join(MentoringRelationship, MentoringRelationship.id == SessionLog.relationship_id)
        .where(
            MentoringRelationship.mentor_id == mentor_id,
            SessionLog.held_on.between(start, end),
        )
    )
    mentees, sessions, minutes = db.session.execute(
        select(
            func.count(func.distinct(MentoringRelationship.mentee_id)),
            func.count(SessionLog.id),
            func.coalesce(func.sum(SessionLog.minutes), 0),
        )
        .select_from(SessionLog)
        .join(MentoringRelationship, MentoringRelationship.id == SessionLog.relationship_id)
        .where(SessionLog.id.in_(in_period))
    ).one()
    models = db.session.scalars(
        select(SessionLog.model).distinct().where(SessionLog.id.in_(in_period))
    ).all()
    topics = set(
        db.session.scalars(
            select(SessionTopic.topic).distinct().where(SessionTopic.session_id.in_(in_period))
        )
    )
    return MentoringActivity(
        mentees=int(mentees),
        sessions=int(sessions),
        session_minutes=int(minutes),
        models_used=sorted(model_label(key) for key in models),
        topic_areas=[label for value, label in TOPICS if value in topics],
        from_session_logs=sessions > 0,
    )


def supervision_totals(mentor_id: int, start: date, end: date) -> list[SupervisionTotal]:
    rows = db.session.execute(
        select(
            SupervisionSession.kind,
            func.count(SupervisionSession.id),
            func.coalesce(func.sum(SupervisionSession.minutes), 0),
        )
        .where(
            SupervisionSession.mentor_id == mentor_id,
            SupervisionSession.held_on.between(start, end),
        )
        .group_by(SupervisionSession.kind)
        .order_by(SupervisionSession.kind)
    )
    return [SupervisionTotal(kind, int(count), int(minutes)) for kind, count, minutes in rows]


def appraisal_record(mentor_id: int, start: date, end: date) -> AppraisalRecord:
    training = list(
        db.session.scalars(
            select(TrainingRecord)
            .where(
                TrainingRecord.mentor_id == mentor_id,
                TrainingRecord.completed_on.between(start, end),
            )
            .order_by(TrainingRecord.completed_on)
        )
    )
    return AppraisalRecord(
        start=start,
        end=end,
        training=training,
        supervision=supervision_totals(mentor_id, start, end),
        activity=mentoring_activity(mentor_id, start, end),
    )


def _safe_cell(value: object) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas; titles are typed by people."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def appraisal_csv(record: AppraisalRecord, *, mentor_name: str) -> str:
    """The record as CSV: one row per figure, readable in any spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)

    def write(section: str, item: str, value: object) -> None:
        writer.writerow([_safe_cell(section), _safe_cell(item), _safe_cell(value)])

    write("section", "item", "value")
    write("record", "mentor", mentor_name)
    write("record", "period", f"{record.start.isoformat()} to {record.end.isoformat()}")
    for training in record.training:
        status = "verified" if training.is_verified else "not yet verified"
        write(
            "training",
            f"{training.completed_on.isoformat()} {training.title} ({training.provider})",
            f"{training.hours:g} hours; {', '.join(training.model_labels)}; {status}",
        )
    write("training", "verified training hours", f"{record.verified_training_hours:g}")
    for total in record.supervision:
        write("supervision", total.label, f"{total.sessions} sessions, {total.hours:g} hours")
    write("supervision", "total hours", f"{record.supervision_hours:g}")
    activity = record.activity
    write("mentoring", "mentees", activity.mentee_band)
    write("mentoring", "sessions", activity.sessions)
    write("mentoring", "session hours", f"{activity.session_hours:g}")
    write("mentoring", "models used", "; ".join(activity.models_used) or "none recorded")
    write("mentoring", "topic areas", "; ".join(activity.topic_areas) or "none recorded")
    if not activity.from_session_logs:
        write("mentoring", "note", NO_SESSION_LOGS)
    return out.getvalue()
