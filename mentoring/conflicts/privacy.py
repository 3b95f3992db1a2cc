"""Conflicts of interest a person declared: exported to them, removed when they leave.

Only the declarations the person made are theirs: a declaration someone else made that names them
is that person's safeguard, never shown to the one named (as in the app), so it is neither exported
nor removed. On deletion it loses the link to the account number but keeps the email address, so it
still holds if the person registers again.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update

from mentoring.auth.models import User
from mentoring.conflicts.models import ConflictOfInterest
from mentoring.extensions import db
from mentoring.privacy.registry import eraser, exporter
from mentoring.privacy.rows import when

_DECLARED_AS = {
    "mentor": "as a mentor: someone I supervise or assess",
    "doctor": "as a doctor: a mentor I should not be matched with",
}


@exporter("conflicts", "Conflicts of interest you declared")
def export_conflicts(user: User) -> list[dict]:
    declared = db.session.scalars(
        select(ConflictOfInterest)
        .where(ConflictOfInterest.declared_by_id == user.id)
        .order_by(ConflictOfInterest.created_at)
    ).all()
    return [
        {
            "declared": when(conflict.created_at),
            "you declared it": _DECLARED_AS.get(conflict.declared_as, conflict.declared_as),
            "the other person": (
                conflict.doctor_email if conflict.declared_as == "mentor" else conflict.mentor_email
            ),
        }
        for conflict in declared
    ]


@eraser("conflicts")
def erase_conflicts(user: User) -> None:
    db.session.execute(
        delete(ConflictOfInterest)
        .where(ConflictOfInterest.declared_by_id == user.id)
        .execution_options(synchronize_session="fetch")
    )
    for column in (ConflictOfInterest.mentor_id, ConflictOfInterest.doctor_id):
        db.session.execute(
            update(ConflictOfInterest)
            .where(column == user.id)
            .values({column.key: None})
            .execution_options(synchronize_session="fetch")
        )
    db.session.flush()
