"""What a mentor's training records hold, and their removal, evidence files included, on leaving.

Export: each course as the mentor recorded it, its review (a coordinator's reason for returning it
is written to the mentor, so it is theirs to have), and whether an evidence file is stored, by its
name; the file itself is downloaded from the training page. Deletion removes the records and, once
the deletion is committed, their evidence files from disk. The pool figures in reports count only
current mentors, so nothing they count is lost.
"""

from __future__ import annotations

from sqlalchemy import select

from mentoring.auth.models import User
from mentoring.core import unit_of_work
from mentoring.extensions import db
from mentoring.privacy.registry import eraser, exporter
from mentoring.privacy.rows import listed, text, when
from mentoring.training.evidence import evidence_delete
from mentoring.training.models import TrainingRecord, TrainingStatus

# As the training page's status tags read.
_STATUS_WORDS = {
    TrainingStatus.AWAITING.value: "Awaiting verification",
    TrainingStatus.VERIFIED.value: "Verified",
    TrainingStatus.RETURNED.value: "Returned",
}


def _records_of(user: User) -> list[TrainingRecord]:
    # The models taught load with the record (selectin on the model).
    return list(
        db.session.scalars(
            select(TrainingRecord)
            .where(TrainingRecord.mentor_id == user.id)
            .order_by(TrainingRecord.completed_on)
        )
    )


@exporter("training", "Your mentor training")
def export_training(user: User) -> list[dict]:
    return [
        {
            "course": record.title,
            "provider": record.provider,
            "completed": when(record.completed_on),
            "hours": record.hours,
            "models taught": listed(record.model_labels),
            "status": _STATUS_WORDS.get(record.status, record.status),
            "reviewed": when(record.reviewed_at),
            "reason it was returned": text(record.return_reason),
            "evidence file": (
                f"stored: {record.evidence_name}" if record.evidence_file else "none stored"
            ),
            "added": when(record.created_at),
        }
        for record in _records_of(user)
    ]


@eraser("training")
def erase_training(user: User) -> None:
    records = _records_of(user)
    files = [record.evidence_file for record in records if record.evidence_file]
    for record in records:
        db.session.delete(record)
    db.session.flush()

    def remove_files() -> None:
        for file in files:
            evidence_delete(file)

    unit_of_work.after_commit(remove_files)
