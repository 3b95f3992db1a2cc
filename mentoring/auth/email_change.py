"""Changing one's email address: the new address proves itself by a link, the old one is told.

The link carries the account, the new address and a fingerprint of the current one, so it stops
working once the address has changed (single use) and a link for one account cannot change another.
Whether the new address already belongs to someone is never shown on screen: that person is emailed.
"""

from __future__ import annotations

from flask import current_app, url_for

from mentoring.audit.services import AuditAction, audit_record
from mentoring.auth import tokens
from mentoring.auth.models import User
from mentoring.auth.services import email_domain_allowed, normalise_email, user_by_email
from mentoring.core.errors import ServiceError
from mentoring.extensions import db
from mentoring.outbox import queue_email

EMAIL_CHANGE = "email-change"


def email_change_request(*, user: User, new_email: str) -> None:
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise ServiceError("This is already your email address", field="email")
    if not email_domain_allowed(new_email):
        allowed = ", ".join(current_app.config["ALLOWED_EMAIL_DOMAINS"])
        raise ServiceError(
            f"Use an email address from a scheme organisation ({allowed})", field="email"
        )
    audit_record(action=AuditAction.EMAIL_CHANGE_REQUESTED, actor_id=user.id)
    if user_by_email(new_email) is not None:
        queue_email(
            to=new_email,
            subject="someone tried to use your address",
            template="email_change_taken",
        )
        return
    token = tokens.make_token(
        EMAIL_CHANGE,
        {"user": user.id, "email": new_email, "state": tokens.fingerprint(user.email)},
    )
    queue_email(
        to=new_email,
        subject="confirm your new email address",
        template="email_change_confirm",
        name=user.display_name,
        confirm_url=url_for("security.email_change_confirm", token=token, _external=True),
        hours=current_app.config["EMAIL_TOKEN_MAX_AGE_HOURS"],
    )


def email_change_check(*, token: str) -> tuple[User, str]:
    payload = tokens.read_token(
        EMAIL_CHANGE, token, max_age_seconds=current_app.config["EMAIL_TOKEN_MAX_AGE_HOURS"] * 3600
    )
    user = db.session.get(User, payload.get("user"))
    if user is None or payload.get("state") != tokens.fingerprint(user.email):
        raise tokens.InvalidLink("This link has already been used or is not valid")
    new_email = payload.get("email")
    if not isinstance(new_email, str) or user_by_email(new_email) is not None:
        raise tokens.InvalidLink("This link is not valid")
    return user, new_email


def email_change_confirm(*, token: str) -> User:
    user, new_email = email_change_check(token=token)
    old_email = user.email
    user.email = new_email
    # Every session signed in under the old address ends.
    user.rotate_session_token()
    audit_record(
        action=AuditAction.EMAIL_CHANGED,
        actor_id=user.id,
        record_type="user_account",
        record_id=user.id,
    )
    queue_email(
        to=old_email,
        subject="your email address has changed",
        template="email_changed",
        name=user.display_name,
    )
    db.session.flush()
    return user
