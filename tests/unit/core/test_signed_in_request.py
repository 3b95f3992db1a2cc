"""What every signed-in request pays for, made cheaper without changing what it proves.

The session cookie and the CSRF token are signed by kept serializers (mentoring/signing.py): the
same bytes as Flask's and Flask-WTF's, checked the same way. The person's roles come with them in
the loader's one statement (mentoring/security.py) and never disagree with `role_grants`.
"""

from __future__ import annotations

import time

import pytest
from flask import g, session
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import generate_csrf as flask_wtf_generate_csrf
from flask_wtf.csrf import validate_csrf
from itsdangerous import BadSignature, SignatureExpired
from wtforms import ValidationError

from mentoring.admin.services import roles_set
from mentoring.auth.models import ROLES_AT_LOAD, User
from mentoring.extensions import db as _db
from mentoring.permissions import Role
from mentoring.security import load_user_by_session_token
from mentoring.signing import KeptSigningSessionInterface, generate_csrf
from tests.factories import make_user

OLD_KEY = "an-old-secret-key-of-thirty-two-characters-or-more"
NEW_KEY = "a-new-secret-key-of-thirty-two-characters-or-more"
DATA = {"_user_id": "token", "_fresh": True, "signed_in_at": 1, "csrf_token": "abc", "t": (1, 2)}


def _pair(app):
    return KeptSigningSessionInterface().get_signing_serializer(
        app
    ), SecureCookieSessionInterface().get_signing_serializer(app)


def test_the_session_cookie_is_signed_as_flask_signs_it(app, monkeypatch):
    kept, flask_own = _pair(app)
    monkeypatch.setattr(time, "time", lambda: 1_800_000_000.5)
    cookie = kept.dumps(DATA)
    assert cookie == flask_own.dumps(DATA)
    assert kept.loads(flask_own.dumps(DATA)) == flask_own.loads(cookie) == DATA


def test_the_session_payload_reads_back_as_flask_reads_it():
    from datetime import UTC, datetime
    from uuid import UUID

    from flask.json.tag import TaggedJSONSerializer
    from markupsafe import Markup

    from mentoring.signing import _TaggedJSON

    value = {
        "t": (1, ("a", b"b"), [{"d": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)}]),
        " t": {" di": [Markup("<b>x</b>"), UUID(int=7)]},
        "_flashes": [("message", "Signed in")],
        "n": None,
    }
    flask_own = TaggedJSONSerializer()
    text = flask_own.dumps(value)
    assert _TaggedJSON().loads(text) == flask_own.loads(text) == value
    assert type(_TaggedJSON().loads(text)["t"][2][0]["d"]) is datetime


def test_a_changed_or_old_session_cookie_is_refused(app, monkeypatch):
    kept, _ = _pair(app)
    cookie = kept.dumps(DATA)
    payload, stamp, signature = cookie.rsplit(".", 2)
    for forged in (
        f"{payload}x.{stamp}.{signature}",
        f"{payload}.{stamp}.{signature[:-2]}AA",
        f"{payload}.{stamp}",
    ):
        with pytest.raises(BadSignature):
            kept.loads(forged, max_age=3600)
    other = KeptSigningSessionInterface().get_signing_serializer(
        type("App", (), {"secret_key": OLD_KEY, "config": {"SECRET_KEY_FALLBACKS": []}})()
    )
    with pytest.raises(BadSignature):
        kept.loads(other.dumps(DATA))
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 3601)
    with pytest.raises(SignatureExpired):
        kept.loads(cookie, max_age=3600)


def test_the_kept_serializer_follows_the_secret_keys(app, monkeypatch):
    """A fallback key is accepted while listed; a new SECRET_KEY gets a new serializer."""
    interface = KeptSigningSessionInterface()
    monkeypatch.setitem(app.config, "SECRET_KEY", OLD_KEY)
    signed_with_old = interface.get_signing_serializer(app).dumps(DATA)
    monkeypatch.setitem(app.config, "SECRET_KEY", NEW_KEY)
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [OLD_KEY])
    assert interface.get_signing_serializer(app).loads(signed_with_old) == DATA
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [])
    with pytest.raises(BadSignature):
        interface.get_signing_serializer(app).loads(signed_with_old)


def test_the_app_uses_the_kept_session_and_csrf_token(app):
    assert isinstance(app.session_interface, KeptSigningSessionInterface)
    assert app.jinja_env.globals["csrf_token"] is generate_csrf
    with app.test_request_context():
        context = {}
        app.update_template_context(context)
        assert context["csrf_token"] is generate_csrf


def test_the_csrf_token_is_flask_wtfs_and_shared_for_the_request(app, monkeypatch):
    monkeypatch.setattr(time, "time", lambda: 1_800_000_000.5)
    with app.test_request_context():
        token = generate_csrf()
        assert generate_csrf() == token
        assert flask_wtf_generate_csrf() == token  # one token per request, whoever asks first
        del g.csrf_token
        assert flask_wtf_generate_csrf() == token  # the same bytes at the same second
        validate_csrf(token)
        del g.csrf_token
        session["csrf_token"] = "another session's raw token"
        with pytest.raises(ValidationError):
            validate_csrf(token)


def test_the_loader_reads_the_roles_with_the_person(app, db):
    user = make_user(roles=(Role.MENTOR, Role.DOCTOR))
    token = user.session_token
    db.session.commit()
    db.session.remove()
    with app.test_request_context():
        loaded = load_user_by_session_token(token)
        assert "role_grants" not in loaded.__dict__
        assert loaded.roles == {Role.MENTOR, Role.DOCTOR}
        assert load_user_by_session_token("no such token") is None
    db.session.remove()


def test_roles_follow_role_grants_changed_in_the_request(app, db):
    admin = make_user(roles=(Role.ADMIN, Role.COORDINATOR))
    token = admin.session_token
    db.session.commit()
    db.session.remove()
    with app.test_request_context():
        loaded = load_user_by_session_token(token)
        assert loaded.roles == {Role.ADMIN, Role.COORDINATOR}
        roles_set(user=loaded, roles={Role.ADMIN}, changed_by=loaded)
        assert loaded.roles == {Role.ADMIN}
        _db.session.commit()  # expires the person: the roles kept at load are forgotten
        assert ROLES_AT_LOAD not in loaded.__dict__
        assert loaded.roles == {Role.ADMIN}
        assert _db.session.get(User, loaded.id).roles == {Role.ADMIN}
    db.session.remove()
