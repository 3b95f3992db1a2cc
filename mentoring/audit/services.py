"""Writing to the audit log.

`audit_record` joins the current unit of work, so an entry about a change exists only if the change
was committed. `audit_record_now` writes at once in a transaction of its own, for events that must
be kept even when the request goes no further: sign-in attempts, refused access, reads.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import insert

from mentoring.audit.models import AuditEvent
from mentoring.auth.models import utcnow
from mentoring.core.connections import WRITES_ALONE
from mentoring.extensions import db


class AuditAction(StrEnum):
    SIGN_IN_SUCCEEDED = "sign_in.succeeded"
    SIGN_IN_FAILED = "sign_in.failed"
    SIGNED_OUT = "signed_out"
    PASSWORD_CHANGED = "password.changed"  # noqa: S105 - an event name
    PASSWORD_RESET = "password.reset"  # noqa: S105 - an event name
    ROLE_GRANTED = "role.granted"
    ROLE_REMOVED = "role.removed"
    ACCESS_REFUSED = "access.refused"
    INVITATION_SENT = "invitation.sent"
    ACCOUNT_CREATED = "account.created"
    REQUEST_VIEWED = "request.viewed"
    REQUEST_WISHES_READ = "request.wishes_read"
    POOL_MATCHING_RUN = "pool_matching.run"
    PREFERENCES_WIDENED = "request.preferences_widened"
    MENTOR_SUGGESTED = "request.mentor_suggested"
    # Mentoring relationships (issue 7). NOTE_READ is written for every read of note text.
    NOTE_READ = "note.read"
    AGREEMENT_RECORDED = "relationship.agreed"
    RELATIONSHIP_EXTENDED = "relationship.extended"
    RELATIONSHIP_ENDED = "relationship.ended"
    SESSION_LOGGED = "session.logged"
    SESSION_EDITED = "session.edited"
    ACTION_UPDATED = "action.updated"
    # Sign-in hardening and data rights (issue 5)
    SECOND_FACTOR_ENROLLED = "second_factor.enrolled"
    SECOND_FACTOR_REMOVED = "second_factor.removed"
    SECOND_FACTOR_SUCCEEDED = "second_factor.succeeded"
    SECOND_FACTOR_FAILED = "second_factor.failed"
    RECOVERY_CODE_USED = "second_factor.recovery_code_used"
    REAUTHENTICATION_FAILED = "reauthentication.failed"
    SIGNED_OUT_EVERYWHERE = "signed_out.everywhere"
    SESSION_EXPIRED = "session.expired"
    EMAIL_CHANGE_REQUESTED = "email.change_requested"
    EMAIL_CHANGED = "email.changed"
    DATA_EXPORTED = "personal_data.exported"
    ACCOUNT_DELETED = "account.deleted"
    RETENTION_PURGED = "retention.purged"


def _values(
    action: AuditAction,
    actor_id: int | None,
    record_type: str | None,
    record_id: object | None,
    detail: str | None,
) -> dict:
    return {
        "occurred_at": utcnow(),
        "actor_id": actor_id,
        "action": action.value,
        "record_type": record_type,
        "record_id": None if record_id is None else str(record_id)[:64],
        "detail": None if detail is None else detail[:200],
    }


# One row, its values given at execution: built once (its SQL and cache key with it), a plain
# table insert (no ORM bulk-insert step) and `inline`, so no `RETURNING id` that nothing reads.
_INSERT = insert(AuditEvent.__table__).inline()
# The same, for an entry that is all its transaction writes, committed at once: with nothing
# written before it in the request, it runs as a transaction of its own (no BEGIN, no COMMIT; see
# mentoring/core/connections.py).
_INSERT_ALONE = _INSERT.execution_options(**{WRITES_ALONE: True})


def audit_record_committed(
    *,
    action: AuditAction,
    actor_id: int | None,
    record_type: str | None = None,
    record_id: object | None = None,
    detail: str | None = None,
) -> None:
    """Recorded and committed at once in the request's own transaction and connection.

    For a view that has read what it needs (`audit_record_now` takes a second connection from
    the pool for its own transaction): one insert (without `RETURNING`) and one commit, nothing
    else. Objects the session loaded are expired by the commit, so call it after rendering.
    """
    # On the session's connection (its transaction, which the commit ends): a Core statement,
    # without the session's ORM execution step (options, events, result wrapping) on each request.
    # Changes the session holds unwritten go first, so the entry joins their transaction.
    db.session.flush()
    db.session.connection().execute(
        _INSERT_ALONE, _values(action, actor_id, record_type, record_id, detail)
    )
    db.session.commit()


def audit_record(
    *,
    action: AuditAction,
    actor_id: int | None,
    record_type: str | None = None,
    record_id: object | None = None,
    detail: str | None = None,
) -> None:
    db.session.add(AuditEvent(**_values(action, actor_id, record_type, record_id, detail)))


def audit_record_now(
    *,
    action: AuditAction,
    actor_id: int | None,
    record_type: str | None = None,
    record_id: object | None = None,
    detail: str | None = None,
) -> None:
    with db.engine.begin() as connection:
        connection.execute(_INSERT_ALONE, _values(action, actor_id, record_type, record_id, detail))
