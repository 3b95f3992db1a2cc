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
from sqlalchemy import bindparam, exists, func, select
from sqlalchemy.orm import lazyload

from mentoring.permissions import AnonymousUser
from mentoring.signing import KeptSigningSessionInterface, generate_csrf

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

    # The session cookie and the CSRF token signed as Flask and Flask-WTF sign them, the same bytes,
    # with their serializers kept (mentoring/signing.py). Forms still use Flask-WTF's, and share
    # the request's token with the templates' `csrf_token()`; Flask-WTF still checks every POST.
    app.session_interface = KeptSigningSessionInterface()
    _template_csrf_token(app)

    login_manager.anonymous_user = AnonymousUser
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to continue."
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user_by_session_token)


def _template_csrf_token(app: Flask) -> None:
    """Templates' `csrf_token()` is mentoring/signing.py's: Flask-WTF's `init_app` puts its own
    both in the template globals and in a context processor of its module, replaced here."""
    from flask_wtf.csrf import csrf_meta_tag

    app.jinja_env.globals["csrf_token"] = generate_csrf
    processors = app.template_context_processors[None]
    theirs = [p for p in processors if getattr(p, "__module__", None) == "flask_wtf.csrf"]
    if len(theirs) != 1:
        raise RuntimeError("expected Flask-WTF's one template context processor")
    processors[processors.index(theirs[0])] = lambda: {
        "csrf_token": generate_csrf,
        "csrf_meta_tag": csrf_meta_tag,
    }


# Set on the person loaded for this request: whether they had a second factor when loaded, read in
# the same statement (`require_second_factor` reads it instead of asking the database again).
SECOND_FACTOR_AT_LOAD = "second_factor_enrolled_at_load"


@cache
def _user_by_session_token():
    """The person and their roles in one statement, one row: every access decision reads the
    roles. They come as one comma-separated column (the role names hold no comma: a CHECK
    constraint names them), kept on the person as `ROLES_AT_LOAD` (mentoring/auth/models.py)
    rather than loaded into the `role_grants` collection, which is left to load if a request
    touches it. Whether they have a second factor comes with them too: roles that need one are
    checked for it on every request. Built once per process; the token is bound at execution, on
    every request."""
    from mentoring.auth.models import RoleGrant, User
    from mentoring.auth.second_factor import SecondFactor

    enrolled = exists().where(SecondFactor.id == User.id).label("second_factor_enrolled")
    roles = (
        select(func.aggregate_strings(RoleGrant.role, ","))
        .where(RoleGrant.user_id == User.id)
        .scalar_subquery()
        .label("roles")
    )
    return (
        select(User, enrolled, roles)
        .options(lazyload(User.role_grants))
        .where(User.session_token == bindparam("session_token"))
    )


def load_user_by_session_token(session_token: str):
    from mentoring.auth.models import ROLES_AT_LOAD, roles_named
    from mentoring.extensions import db

    result = db.session.execute(_user_by_session_token(), {"session_token": session_token})
    row = result.one_or_none()
    if row is None or not row[0].is_active:
        return None
    user, enrolled, roles = row
    kept = user.__dict__
    kept[SECOND_FACTOR_AT_LOAD] = bool(enrolled)
    if "role_grants" not in kept:
        kept[ROLES_AT_LOAD] = roles_named(roles)
    return user


def set_cache_headers(response: Response) -> Response:
    """Nothing a signed-in person sees may be kept by a browser or proxy cache."""
    if request.endpoint not in {"static", "core.nhsuk_assets"} or current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response
