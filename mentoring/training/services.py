"""Training records: a mentor adds, changes and removes them; a coordinator verifies or returns.

Services flush and never commit. Evidence files are written last, after every other check, so a
refused form leaves nothing behind; files a change stopped using are returned to the caller, which
deletes them once the commit has succeeded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import IO

from mentoring.auth.models import User, utcnow
from mentoring.core.errors import ServiceError
from mentoring.core.vocabulary import MENTORING_MODELS, values
from mentoring.extensions import db
from mentoring.training.evidence import evidence_store
from mentoring.training.models import TrainingModel, TrainingRecord, TrainingStatus

MIN_HOURS = Decimal("0.5")
MAX_HOURS = Decimal("500")


@dataclass(frozen=True)
class TrainingDetails:
    title: str
    provider: str
    completed_on: date
    hours: Decimal
    models: list[str]
    other_model_name: str | None = None


@dataclass(frozen=True)
class EvidenceUpload:
    stream: IO[bytes]
    filename: str


def _check(details: TrainingDetails, *, today: date) -> None:
    if not (details.title or "").strip():
        raise ServiceError("Enter the course title", field="title")
    if not (details.provider or "").strip():
        raise ServiceError("Enter who provided the course", field="provider")
    if details.completed_on > today:
        raise ServiceError("The completion date must be today or in the past", field="completed_on")
    if details.hours is None or not MIN_HOURS <= details.hours <= MAX_HOURS:
        raise ServiceError("Hours must be between 0.5 and 500", field="hours")
    if not details.models:
        raise ServiceError("Choose at least one model the course taught", field="models")
    unknown = set(details.models) - values(MENTORING_MODELS)
    if unknown:
        raise ServiceError("Choose models only from the list shown", field="models")
    if "other" in details.models and not (details.other_model_name or "").strip():
        raise ServiceError("Enter the name of the other model", field="other_model_name")


def _apply(record: TrainingRecord, details: TrainingDetails) -> None:
    record.title = details.title.strip()
    record.provider = details.provider.strip()
    record.completed_on = details.completed_on
    record.minutes = int((details.hours * 60).to_integral_value())
    record.other_model_name = (
        details.other_model_name.strip() if "other" in details.models else None
    )
    wanted = set(details.models)
    for row in list(record.model_rows):
        if row.model not in wanted:
            record.model_rows.remove(row)
    for model in sorted(wanted - {row.model for row in record.model_rows}):
        record.model_rows.append(TrainingModel(model=model))


def _await_review(record: TrainingRecord) -> None:
    record.status = TrainingStatus.AWAITING.value
    record.return_reason = None
    record.reviewed_by_id = None
    record.reviewed_at = None


def training_record_create(
    *,
    mentor: User,
    details: TrainingDetails,
    evidence: EvidenceUpload | None = None,
    today: date | None = None,
) -> TrainingRecord:
    _check(details, today=today or date.today())
    record = TrainingRecord(mentor_id=mentor.id, status=TrainingStatus.AWAITING.value)
    _apply(record, details)
    if evidence is not None:
        _attach(record, evidence)
    db.session.add(record)
    db.session.flush()
    return record


def training_record_update(
    *,
    record: TrainingRecord,
    details: TrainingDetails,
    evidence: EvidenceUpload | None = None,
    remove_evidence: bool = False,
    today: date | None = None,
) -> str | None:
    """Change a record; it goes back to awaiting verification. Returns a file no longer used."""
    _check(details, today=today or date.today())
    _apply(record, details)
    unused = None
    if evidence is not None:
        unused = record.evidence_file
        _attach(record, evidence)
    elif remove_evidence:
        unused = record.evidence_file
        record.evidence_file = record.evidence_name = record.evidence_type = None
    _await_review(record)
    db.session.flush()
    return unused


def _attach(record: TrainingRecord, evidence: EvidenceUpload) -> None:
    stored = evidence_store(stream=evidence.stream, original_name=evidence.filename)
    record.evidence_file = stored.file
    record.evidence_name = stored.name
    record.evidence_type = stored.content_type


def training_record_delete(*, record: TrainingRecord) -> str | None:
    """Remove a record; returns its evidence file for the caller to delete after the commit."""
    unused = record.evidence_file
    db.session.delete(record)
    db.session.flush()
    return unused


def training_record_verify(*, record: TrainingRecord, reviewer: User) -> None:
    if record.status != TrainingStatus.AWAITING:
        raise ServiceError("This record is not awaiting verification")
    record.status = TrainingStatus.VERIFIED.value
    record.return_reason = None
    record.reviewed_by_id = reviewer.id
    record.reviewed_at = utcnow()
    db.session.flush()


def training_record_return(*, record: TrainingRecord, reviewer: User, reason: str) -> None:
    if record.status != TrainingStatus.AWAITING:
        raise ServiceError("This record is not awaiting verification")
    if not (reason or "").strip():
        raise ServiceError(
            "Enter a reason, so the mentor knows what to change", field="return_reason"
        )
    record.status = TrainingStatus.RETURNED.value
    record.return_reason = reason.strip()
    record.reviewed_by_id = reviewer.id
    record.reviewed_at = utcnow()
    db.session.flush()
