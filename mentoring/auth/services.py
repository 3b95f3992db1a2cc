"""Account use cases: sign-in, registration, confirmation, invitations, password reset and change.

Every function flushes and leaves the commit to the caller (`core.unit_of_work.commit`). None of
them reveals through its result or its timing whether an address has an account.
"""

from __future__ import annotations

from flask import current_app, url_for
from sqlalchemy import func, select

from mentoring.audit.services import AuditAction, audit_record, audit_record_now
from mentoring.auth import tokens
from mentoring.auth.models import RoleGrant, User, utcnow
from mentoring.auth.passwords import (
    hash_password,
    password_problem,
    verify_against_nobody,
    verify_password,
)
from mentoring.core.errors import ServiceError
from mentoring.extensions import db
from mentoring.outbox import queue_email
from mentoring.permissions import Role


def normalise_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def email_domain_allowed(email: str) -> bool:
    domain = normalise_email(email).rpartition("@")[2]
    return domain in {d.lower() for d in current_app.config["ALLOWED_EMAIL_DOMAINS"]}


def _check_password(password: str, *, email: str, name: str) -> None:
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise ServiceError(problem, field="password")


def _email_token_max_age() -> int:
    return current_app.config["EMAIL_TOKEN_MAX_AGE_HOURS"] * 3600


# --- sign-in and sign-out -------------------------------------------------------------------------


def authenticate(*, email: str, password: str) -> User | None:
    """The active account these credentials open, or None: one answer for every kind of failure."""
    user = user_by_email(email)
    if user is None:
        verify_against_nobody(password)
        audit_record_now(action=AuditAction.SIGN_IN_FAILED, actor_id=None, detail="no such account")
        return None
    if not verify_password(user.password_hash, password):
        reason = "wrong password"
    elif not user.is_active:
        reason = "account disabled or email not confirmed"
    else:
        from mentoring.auth.second_factor import is_enrolled

        detail = "password accepted; second factor next" if is_enrolled(user) else None
        audit_record_now(action=AuditAction.SIGN_IN_SUCCEEDED, actor_id=user.id, detail=detail)
        return user
    audit_record_now(action=AuditAction.SIGN_IN_FAILED, actor_id=user.id, detail=reason)
    return None


def sign_out_everywhere(*, user: User) -> None:
    """Make every session cookie this person holds worthless."""
    user.rotate_session_token()
    audit_record(action=AuditAction.SIGNED_OUT, actor_id=user.id)
    db.session.flush()


# --- self-registration ----------------------------------------------------------------------------


def account_register(*, email: str, display_name: str, password: str) -> None:
    """Create an unconfirmed doctor account and email a confirmation link.

    An address that already has an account gets an email saying so instead; the person at the
    screen sees the same page either way.
    """
    email = normalise_email(email)
    if not email_domain_allowed(email):
        allowed = ", ".join(current_app.config["ALLOWED_EMAIL_DOMAINS"])
        raise ServiceError(
            f"Use an email address from a scheme organisation ({allowed})", field="email"
        )
    _check_password(password, email=email, name=display_name)
    existing = user_by_email(email)
    if existing is not None:
        queue_email(
            to=email,
            subject="someone tried to register with your address",
            template="already_registered",
            sign_in_url=url_for("auth.login", _external=True),
            reset_url=url_for("auth.forgot_password", _external=True),
        )
        return
    user = User(
        email=email,
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        role_grants=[RoleGrant(role=Role.DOCTOR.value)],
    )
    db.session.add(user)
    db.session.flush()
    audit_record(action=AuditAction.ACCOUNT_CREATED, actor_id=user.id, detail="self-registration")
    _queue_confirmation(user)


def _queue_confirmation(user: User) -> None:
    token = tokens.make_token(tokens.CONFIRM_EMAIL, {"user": user.id, "email": user.email})
    queue_email(
        to=user.email,
        subject="confirm your email address",
        template="confirm_email",
        name=user.display_name,
        confirm_url=url_for("auth.confirm_email", token=token, _external=True),
        hours=current_app.config["EMAIL_TOKEN_MAX_AGE_HOURS"],
    )


def email_confirm(*, token: str) -> User:
    payload = tokens.read_token(tokens.CONFIRM_EMAIL, token, max_age_seconds=_email_token_max_age())
    user = db.session.get(User, payload.get("user"))
    if user is None or user.email != payload.get("email"):
        raise tokens.InvalidLink("This link is not valid")
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        db.session.flush()
    return user


# --- password reset and change --------------------------------------------------------------------


def _password_fingerprint(user: User) -> str:
    return tokens.fingerprint(user.password_hash)


def password_reset_request(*, email: str) -> None:
    """Email a reset link if the address has an account; say nothing either way."""
    user = user_by_email(email)
    if user is None or user.is_disabled:
        return
    token = tokens.make_token(
        tokens.RESET_PASSWORD, {"user": user.id, "state": _password_fingerprint(user)}
    )
    queue_email(
        to=user.email,
        subject="reset your password",
        template="reset_password",
        name=user.display_name,
        reset_url=url_for("auth.reset_password", token=token, _external=True),
        hours=current_app.config["EMAIL_TOKEN_MAX_AGE_HOURS"],
    )


def password_reset_check(*, token: str) -> User:
    payload = tokens.read_token(
        tokens.RESET_PASSWORD, token, max_age_seconds=_email_token_max_age()
    )
    user = db.session.get(User, payload.get("user"))
    if user is None or payload.get("state") != _password_fingerprint(user):
        raise tokens.InvalidLink("This link has already been used or is not valid")
    return user


def password_reset(*, token: str, password: str) -> User:
    user = password_reset_check(token=token)
    _set_password(user, password)
    audit_record(action=AuditAction.PASSWORD_RESET, actor_id=user.id)
    # Following the emailed link proves the address.
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    db.session.flush()
    return user


def password_change(*, user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise ServiceError("Your current password is not right", field="current_password")
    _set_password(user, new_password, field="new_password")
    audit_record(action=AuditAction.PASSWORD_CHANGED, actor_id=user.id)
    db.session.flush()


def _set_password(user: User, password: str, *, field: str = "password") -> None:
    problem = password_problem(password, email=user.email, name=user.display_name)
    if problem:
        raise ServiceError(problem, field=field)
    user.password_hash = hash_password(password)
    user.rotate_session_token()


# --- invitations ----------------------------------------------------------------------------------


def invitation_send(*, email: str, roles: set[Role], invited_by: User) -> None:
    email = normalise_email(email)
    if not roles:
        raise ServiceError("Choose at least one role", field="roles")
    if db.session.scalar(select(func.count()).select_from(User).where(User.email == email)):
        raise ServiceError("This person already has an account", field="email")
    token = tokens.make_token(
        tokens.INVITATION, {"email": email, "roles": sorted(role.value for role in roles)}
    )
    audit_record(
        action=AuditAction.INVITATION_SENT,
        actor_id=invited_by.id,
        detail="roles: " + ", ".join(sorted(role.value for role in roles)),
    )
    queue_email(
        to=email,
        subject="you are invited to join",
        template="invitation",
        inviter=invited_by.display_name,
        roles=sorted(role.label for role in roles),
        accept_url=url_for("auth.accept_invitation", token=token, _external=True),
        days=current_app.config["INVITATION_MAX_AGE_DAYS"],
    )


def invitation_read(*, token: str) -> tuple[str, set[Role]]:
    payload = tokens.read_token(
        tokens.INVITATION,
        token,
        max_age_seconds=current_app.config["INVITATION_MAX_AGE_DAYS"] * 86400,
    )
    try:
        email = str(payload["email"])
        roles = {Role(value) for value in payload["roles"]}
    except (KeyError, ValueError, TypeError) as error:
        raise tokens.InvalidLink("This link is not valid") from error
    if user_by_email(email) is not None:
        raise tokens.InvalidLink("This invitation has already been accepted. Sign in instead")
    return email, roles


def invitation_accept(*, token: str, display_name: str, password: str) -> User:
    email, roles = invitation_read(token=token)
    _check_password(password, email=email, name=display_name)
    user = User(
        email=email,
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        email_confirmed_at=utcnow(),
        role_grants=[RoleGrant(role=role.value) for role in sorted(roles)],
    )
    db.session.add(user)
    db.session.flush()
    audit_record(action=AuditAction.ACCOUNT_CREATED, actor_id=user.id, detail="invitation")
    return user
