"""What the domains on this branch hold about a person: account, sign-in, check-ins, audit log.

The other domains register their own modules (see `registry.PROVIDER_MODULES`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select

from mentoring.audit.models import AuditEvent
from mentoring.auth.models import User
from mentoring.auth.second_factor import RecoveryCode, SecondFactor, recovery_codes_left
from mentoring.checkins.models import CheckInReceipt
from mentoring.extensions import db
from mentoring.privacy.registry import eraser, exporter, retention_rule


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


@exporter("account", "Your account")
def export_account(user: User) -> list[dict]:
    return [
        {
            "account number": user.id,
            "name": user.display_name,
            "email address": user.email,
            "account created": _when(user.created_at),
            "email address confirmed": _when(user.email_confirmed_at),
            "roles": ", ".join(sorted(grant.role for grant in user.role_grants)) or "none",
        }
    ]


@exporter("sign_in", "How you sign in")
def export_sign_in(user: User) -> list[dict]:
    factor = db.session.get(SecondFactor, user.id)
    return [
        {
            "password": "stored only as an argon2 hash, which cannot be turned back into it",
            "authenticator app set up": _when(factor.enrolled_at) if factor else "no",
            "unused recovery codes": recovery_codes_left(user),
        }
    ]


@exporter("check_ins", "Well-being check-ins")
def export_check_ins(user: User) -> list[dict]:
    weeks = db.session.execute(
        select(CheckInReceipt.iso_year, CheckInReceipt.iso_week)
        .where(CheckInReceipt.user_id == user.id)
        .order_by(CheckInReceipt.iso_year, CheckInReceipt.iso_week)
    ).all()
    # The answers are anonymous: nothing links them to the person, so they cannot be listed here.
    return [{"week you checked in": f"{year}-W{week:02d}"} for year, week in weeks]


@exporter("audit", "Records of what you did and what was done to your account")
def export_audit(user: User) -> list[dict]:
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            or_(
                AuditEvent.actor_id == user.id,
                (AuditEvent.record_type.in_(("user", "user_account")))
                & (AuditEvent.record_id == str(user.id)),
            )
        )
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    ).all()
    return [
        {
            "when": _when(event.occurred_at),
            "what": event.action,
            "by": "you" if event.actor_id == user.id else "someone else in the scheme",
            "detail": event.detail or "",
        }
        for event in events
    ]


@eraser("sign_in")
def erase_sign_in(user: User) -> None:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(SecondFactor).where(SecondFactor.id == user.id))


@eraser("check_ins")
def erase_check_in_receipts(user: User) -> None:
    # The receipts only say "checked in this week"; the anonymous answers stay, so counts hold.
    db.session.execute(delete(CheckInReceipt).where(CheckInReceipt.user_id == user.id))


@retention_rule("audit log", "AUDIT_LOG_RETENTION_MONTHS")
def purge_audit_log(cutoff: datetime) -> int:
    """Entries older than the cutoff go. The only deletion of audit entries anywhere: it bypasses
    the ORM (whose hooks refuse deletes) on purpose, and is itself audited by the caller."""
    result = db.session.execute(delete(AuditEvent).where(AuditEvent.occurred_at < cutoff))
    return result.rowcount or 0
