"""Security headers, session handling and who the current person is.

Talisman sets the headers on every response, error pages included: a Content-Security-Policy with
a per-request nonce and no 'unsafe-inline', frame-ancestors 'none', nosniff, a Referrer-Policy that
keeps same-origin referrers (Flask-WTF's HTTPS referrer check needs them), and HSTS with Secure
cookies in production.
"""

from __future__ import annotations

from functools import cache

from flask import Flask, Response, request
from flask_login import LoginManager, current_user
from flask_talisman import Talisman
from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import joinedload

from mentoring.permissions import AnonymousUser

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    # The design system's Frutiger web font is served by NHS England.
    "font-src": "'self' https://assets.nhs.uk",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

PERMISSIONS_POLICY = {
    "browsing-topics": "()",
    "camera": "()",
    "microphone": "()",
    "geolocation": "()",
    "interest-cohort": "()",
}


def init_security(app: Flask, login_manager: LoginManager) -> None:
    # One Talisman per app: it keeps its settings on itself, so a shared instance would let one
    # app's settings (say, production's HTTPS redirect) leak into another in the same process.
    app.extensions["talisman"] = Talisman(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=app.config["HSTS_ENABLED"],
        strict_transport_security_max_age=31536000,
        content_security_policy=CONTENT_SECURITY_POLICY,
        content_security_policy_nonce_in=["script-src"],
        frame_options="DENY",
        referrer_policy="same-origin",
        permissions_policy=PERMISSIONS_POLICY,
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
    )

    login_manager.anonymous_user = AnonymousUser
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to continue."
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user_by_session_token)


# Set on the person loaded for this request: whether they had a second factor when loaded, read in
# the same statement (`require_second_factor` reads it instead of asking the database again).
SECOND_FACTOR_AT_LOAD = "second_factor_enrolled_at_load"


@cache
def _user_by_session_token():
    """The person and their roles in one statement: every access decision reads the roles.
    (unique(): one row per role, all read, so a person with several roles keeps them all.)
    Whether they have a second factor comes with them: roles that need one are checked for it on
    every request. Built once per process; the token is bound at execution, on every request."""
    from mentoring.auth.models import User
    from mentoring.auth.second_factor import SecondFactor

    enrolled = exists().where(SecondFactor.id == User.id).label("second_factor_enrolled")
    return (
        select(User, enrolled)
        .options(joinedload(User.role_grants))
        .where(User.session_token == bindparam("session_token"))
    )


def load_user_by_session_token(session_token: str):
    from mentoring.extensions import db

    result = db.session.execute(_user_by_session_token(), {"session_token": session_token})
    row = result.unique().one_or_none()
    if row is None or not row[0].is_active:
        return None
    user, enrolled = row
    setattr(user, SECOND_FACTOR_AT_LOAD, bool(enrolled))
    return user


def set_cache_headers(response: Response) -> Response:
    """Nothing a signed-in person sees may be kept by a browser or proxy cache."""
    if request.endpoint not in {"static", "core.nhsuk_assets"} or current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response
