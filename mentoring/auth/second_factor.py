"""A second factor for signing in: a TOTP app (RFC 6238) and single-use recovery codes.

The TOTP secret is sealed like session notes (AES-GCM, bound to its row), so a database dump alone
does not let anyone mint codes. A code is accepted once: the time step it matched is kept and no
step at or before it is accepted again. Recovery codes are hashed with argon2, like passwords, and
each is spent by use.
"""

from __future__ import annotations

import hmac
import re
import secrets
from datetime import datetime

import pyotp
from flask import current_app
from sqlalchemy import BigInteger, ForeignKey, LargeBinary, String, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from mentoring.audit.services import AuditAction, audit_record, audit_record_now
from mentoring.auth.models import User, utcnow
from mentoring.auth.passwords import hash_password, verify_password
from mentoring.extensions import db
from mentoring.permissions import Role
from mentoring.sealing import SealedText

RECOVERY_CODE_COUNT = 10
# Steps either side of now that still count, for clocks a little out (30 s each).
TOTP_VALID_WINDOW = 1


class SecondFactor(db.Model):
    """One person's TOTP authenticator. The row's id is the person's account id."""

    __tablename__ = "second_factor"

    id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    secret_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The last TOTP time step accepted: a code is never accepted twice.
    last_used_step: Mapped[int | None] = mapped_column(BigInteger)

    secret = SealedText("secret_sealed")


class RecoveryCode(db.Model):
    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None]


# --- reading --------------------------------------------------------------------------------------


def second_factor_of(user: User) -> SecondFactor | None:
    return db.session.get(SecondFactor, user.id)


def is_enrolled(user: User) -> bool:
    return second_factor_of(user) is not None


def second_factor_required(user: User) -> bool:
    """Coordinators and admins (SECOND_FACTOR_REQUIRED_ROLES) may not work without one."""
    required = {Role(role) for role in current_app.config["SECOND_FACTOR_REQUIRED_ROLES"]}
    return bool(user.roles & required)


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(*, secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(
        name=email, issuer_name=current_app.config["SERVICE_NAME"]
    )


def _matching_step(secret: str, code: str, *, now: datetime | None = None) -> int | None:
    code = re.sub(r"\s", "", code or "")
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    step_now = totp.timecode(now or datetime.now())
    for step in range(step_now - TOTP_VALID_WINDOW, step_now + TOTP_VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def code_matches_secret(secret: str, code: str) -> bool:
    """For enrolment: does this code come from an app that holds `secret`?"""
    return _matching_step(secret, code) is not None


def _normalise_recovery_code(code: str) -> str:
    return re.sub(r"[^0-9a-z]", "", (code or "").lower())[:64]


# --- writing (services flush; the caller commits) -------------------------------------------------


def second_factor_enrol(*, user: User, secret: str) -> list[str]:
    """Set (or replace) the person's authenticator and give them fresh recovery codes, once."""
    replacing = second_factor_of(user)
    if replacing is not None:
        db.session.delete(replacing)
        db.session.flush()
    factor = SecondFactor(id=user.id)
    factor.secret = secret
    factor.last_used_step = pyotp.TOTP(secret).timecode(datetime.now())
    db.session.add(factor)
    codes = _replace_recovery_codes(user)
    # Anyone signed in elsewhere signed in without this factor: sign them out.
    user.rotate_session_token()
    audit_record(
        action=AuditAction.SECOND_FACTOR_ENROLLED,
        actor_id=user.id,
        detail="replaced" if replacing is not None else None,
    )
    db.session.flush()
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODE_COUNT)]
    for code in codes:
        db.session.add(RecoveryCode(user_id=user.id, code_hash=hash_password(code)))
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def second_factor_remove(*, user: User) -> None:
    factor = second_factor_of(user)
    if factor is None:
        return
    db.session.delete(factor)
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    audit_record(action=AuditAction.SECOND_FACTOR_REMOVED, actor_id=user.id)
    db.session.flush()


def second_factor_check(*, user: User, code: str) -> str | None:
    """ "totp" or "recovery code" if `code` opens the second step for `user`, else None.

    Failures are audited at once (they must survive a rollback); a success joins the unit of work.
    """
    factor = second_factor_of(user)
    if factor is None:
        return None
    step = _matching_step(factor.secret, code)
    if step is not None and (factor.last_used_step is None or step > factor.last_used_step):
        factor.last_used_step = step
        db.session.flush()
        return "totp"
    normalised = _normalise_recovery_code(code)
    if step is None and len(normalised) == 10:
        unused = db.session.scalars(
            select(RecoveryCode).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
        for recovery in unused:
            if verify_password(recovery.code_hash, normalised):
                recovery.used_at = utcnow()
                audit_record(action=AuditAction.RECOVERY_CODE_USED, actor_id=user.id)
                db.session.flush()
                return "recovery code"
    audit_record_now(
        action=AuditAction.SECOND_FACTOR_FAILED,
        actor_id=user.id,
        detail="code already used" if step is not None else "wrong code",
    )
    return None
