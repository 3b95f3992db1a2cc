"""What the core holds about a person: account, sign-in, check-ins, emails waiting, audit log.

The other domains register their own modules (see `registry.PROVIDER_MODULES`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select

from mentoring.audit.models import AuditEvent
from mentoring.audit.services import AuditAction
from mentoring.auth.models import User
from mentoring.auth.second_factor import RecoveryCode, SecondFactor, recovery_codes_left
from mentoring.checkins.models import CheckInReceipt
from mentoring.extensions import db
from mentoring.outbox import OutgoingEmail
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


A = AuditAction
# What each kind of entry means, in words a person reads (the stored code is for the scheme).
_AUDIT_WORDS = {
    A.SIGN_IN_SUCCEEDED: "signed in",
    A.SIGN_IN_FAILED: "a sign-in was not accepted",
    A.SIGNED_OUT: "signed out",
    A.PASSWORD_CHANGED: "password changed",
    A.PASSWORD_RESET: "password reset",
    A.ROLE_GRANTED: "role given",
    A.ROLE_REMOVED: "role removed",
    A.ACCESS_REFUSED: "a page that is not open to this account was asked for",
    A.INVITATION_SENT: "invitation sent",
    A.ACCOUNT_CREATED: "account created",
    A.REQUEST_VIEWED: "a request for a mentor opened",
    A.REQUEST_WISHES_READ: "the words of a request for a mentor read",
    A.POOL_MATCHING_RUN: "matching run for doctors waiting",
    A.PREFERENCES_WIDENED: "preferences of a request widened",
    A.MENTOR_SUGGESTED: "a mentor suggested for a request",
    A.NOTE_READ: "mentoring notes read",
    A.AGREEMENT_RECORDED: "mentoring agreement recorded",
    A.RELATIONSHIP_EXTENDED: "mentoring extended",
    A.RELATIONSHIP_ENDED: "mentoring ended",
    A.SESSION_LOGGED: "session logged",
    A.SESSION_EDITED: "session log changed",
    A.ACTION_UPDATED: "action updated",
    A.SECOND_FACTOR_ENROLLED: "authenticator app set up",
    A.SECOND_FACTOR_REMOVED: "authenticator app removed",
    A.SECOND_FACTOR_SUCCEEDED: "authenticator code accepted",
    A.SECOND_FACTOR_FAILED: "an authenticator code was not accepted",
    A.RECOVERY_CODE_USED: "recovery code used",
    A.REAUTHENTICATION_FAILED: "a password check was not accepted",
    A.SIGNED_OUT_EVERYWHERE: "signed out everywhere",
    A.SESSION_EXPIRED: "signed out after a time",
    A.EMAIL_CHANGE_REQUESTED: "new email address asked for",
    A.EMAIL_CHANGED: "email address changed",
    A.DATA_EXPORTED: "your data viewed or downloaded",
    A.ACCOUNT_DELETED: "account deleted",
    A.RETENTION_PURGED: "old records removed",
}


@exporter("emails_waiting", "Emails to you that the mail server has not taken yet")
def export_emails_waiting(user: User) -> list[dict]:
    emails = db.session.scalars(
        select(OutgoingEmail)
        .where(OutgoingEmail.recipient == user.email)
        .order_by(OutgoingEmail.id)
    ).all()
    return [{"subject": email.subject, "waiting since": _when(email.queued_at)} for email in emails]


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
            "what": _AUDIT_WORDS.get(event.action, event.action),
            "by": "you" if event.actor_id == user.id else "someone else in the scheme",
            "detail": event.detail or "",
        }
        for event in events
    ]


@eraser("sign_in")
def erase_sign_in(user: User) -> None:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(SecondFactor).where(SecondFactor.id == user.id))


@eraser("emails_waiting")
def erase_emails_waiting(user: User) -> None:
    # Messages to the address that is about to go: nobody should be written to after leaving.
    db.session.execute(delete(OutgoingEmail).where(OutgoingEmail.recipient == user.email))


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
