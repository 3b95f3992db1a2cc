"""How long a signed-in session lasts and what it must have proved, enforced on every request.

The session cookie is signed (SECRET_KEY) and holds three moments, in whole seconds since the epoch:
`signed_in_at` (absolute lifetime, PERMANENT_SESSION_LIFETIME), `last_seen_at` (idle timeout,
SESSION_IDLE_MINUTES) and `reauthenticated_at` (a password typed recently, for changes to email,
password or second factor). A session without them was not made by `start_session`, and ends.
Because the cookie is signed, a person cannot move these moments; because the user is loaded by a
rotating per-user token, an old cookie stops working when the token changes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps

from flask import current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user

from mentoring.audit.services import AuditAction, audit_record_now

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"
REAUTHENTICATED_AT = "reauthenticated_at"
PENDING_USER = "second_factor_pending_user"
PENDING_AT = "second_factor_pending_at"
PENDING_NEXT = "second_factor_pending_next"
PENDING_FAILURES = "second_factor_pending_failures"
# Time to type the code from the app after the password, and wrong codes before starting again.
PENDING_SECONDS = 5 * 60
PENDING_MAX_FAILURES = 5
# Requests within this many seconds of the last one do not rewrite the cookie.
_TOUCH_EVERY_SECONDS = 15


def now() -> int:
    return int(time.time())


def start_session(user) -> None:
    """A new session for someone who has just proved who they are (password, and code if set)."""
    session.clear()
    login_user(user, remember=False)
    session.permanent = True
    moment = now()
    session[SIGNED_IN_AT] = moment
    session[LAST_SEEN_AT] = moment
    session[REAUTHENTICATED_AT] = moment


def continue_session(user) -> None:
    """Carry this session over to the person's new session token, keeping its clock."""
    kept = {key: session.get(key) for key in (SIGNED_IN_AT, LAST_SEEN_AT, REAUTHENTICATED_AT)}
    session.clear()
    login_user(user, remember=False)
    session.permanent = True
    session.update({key: value for key, value in kept.items() if value is not None})


def mark_reauthenticated() -> None:
    session[REAUTHENTICATED_AT] = now()


def recently_authenticated() -> bool:
    moment = session.get(REAUTHENTICATED_AT)
    limit = current_app.config["REAUTHENTICATION_MINUTES"] * 60
    return isinstance(moment, int) and 0 <= now() - moment <= limit


def _lifetime_seconds() -> int:
    return int(current_app.permanent_session_lifetime.total_seconds())


def session_expired() -> str | None:
    """Why this signed-in session must end now, or None."""
    return _expired(session._get_current_object(), now())


def _expired(signed: dict, moment: int) -> str | None:
    signed_in, last_seen = signed.get(SIGNED_IN_AT), signed.get(LAST_SEEN_AT)
    if not isinstance(signed_in, int) or not isinstance(last_seen, int):
        return "no session clock"
    if moment - signed_in > _lifetime_seconds():
        return "absolute lifetime"
    if moment - last_seen > current_app.config["SESSION_IDLE_MINUTES"] * 60:
        return "idle"
    return None


def enforce_session_limits() -> None:
    """Before every request (and before access is decided): end sessions that have run out."""
    signed = session._get_current_object()  # the request's session, read here several times
    if "_user_id" not in signed or request.endpoint == "static":
        return
    moment = now()
    reason = _expired(signed, moment)
    if reason is None:
        if moment - signed[LAST_SEEN_AT] >= _TOUCH_EVERY_SECONDS:
            signed[LAST_SEEN_AT] = moment
        return
    user_id = getattr(current_user, "id", None)
    logout_user()
    session.clear()
    if user_id is not None:
        audit_record_now(action=AuditAction.SESSION_EXPIRED, actor_id=user_id, detail=reason)
        flash("You were signed out to keep your information safe. Sign in again to continue.")


# Pages a coordinator or admin without a second factor may still reach: enough to set one up.
_ALLOWED_BEFORE_ENROLMENT = frozenset(
    {
        "security.two_factor_setup",
        "security.confirm_password",
        "auth.logout",
        "core.healthz",
        "core.nhsuk_assets",
        "static",
    }
)


def require_second_factor():
    """After access is decided: roles that need a second factor are sent to set one up first."""
    from mentoring.auth.second_factor import second_factor_required

    user = current_user._get_current_object()
    if not user.is_authenticated or request.endpoint in _ALLOWED_BEFORE_ENROLMENT:
        return None
    if second_factor_required(user) and not _enrolled_when_loaded(user):
        if request.method == "GET":
            flash("Your role needs a second factor. Set one up to continue.")
        return redirect(url_for("security.two_factor_setup"))
    return None


def _enrolled_when_loaded(user) -> bool:
    """Whether the person has a second factor, as read with them for this request (the loader,
    mentoring/security.py), or from the database when they were signed in some other way."""
    from mentoring.auth.second_factor import is_enrolled
    from mentoring.security import SECOND_FACTOR_AT_LOAD

    enrolled = user.__dict__.get(SECOND_FACTOR_AT_LOAD)
    return is_enrolled(user) if enrolled is None else enrolled


def recent_sign_in_required(view: Callable) -> Callable:
    """The view changes how someone signs in: ask for the password again unless typed recently."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not recently_authenticated():
            target = request.full_path if request.method == "GET" else url_for("auth.account")
            return redirect(url_for("security.confirm_password", next=target.rstrip("?")))
        return view(*args, **kwargs)

    return wrapper


# --- between the password and the second factor ---------------------------------------------------


def begin_second_factor_step(user, next_url: str) -> None:
    session.clear()
    session[PENDING_USER] = user.id
    session[PENDING_AT] = now()
    session[PENDING_NEXT] = next_url
    session[PENDING_FAILURES] = 0


def pending_user():
    from mentoring.auth.models import User
    from mentoring.extensions import db

    user_id, started = session.get(PENDING_USER), session.get(PENDING_AT)
    if not isinstance(user_id, int) or not isinstance(started, int):
        return None
    if now() - started > PENDING_SECONDS:
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.is_active else None


def pending_failed() -> bool:
    """Count a wrong code; True when the person must start again from the password."""
    session[PENDING_FAILURES] = int(session.get(PENDING_FAILURES, 0)) + 1
    return session[PENDING_FAILURES] >= PENDING_MAX_FAILURES


def end_second_factor_step() -> str:
    next_url = session.get(PENDING_NEXT) or url_for("core.home")
    for key in (PENDING_USER, PENDING_AT, PENDING_NEXT, PENDING_FAILURES):
        session.pop(key, None)
    return next_url
