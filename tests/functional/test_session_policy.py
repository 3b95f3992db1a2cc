"""Idle timeout, absolute lifetime, a recent password for sensitive changes, signing out
everywhere, no remember-me."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from mentoring.audit.models import AuditEvent
from mentoring.permissions import Role
from tests.conftest import sign_in
from tests.factories import FACTORY_PASSWORD, make_user


def set_clock(client, **moments) -> None:
    with client.session_transaction() as session:
        session.update(moments)


def audit_actions(db, user_id) -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.actor_id == user_id).order_by(AuditEvent.id)
        )
    )


def test_a_session_idle_for_longer_than_the_timeout_ends(login_as, db):
    doctor = login_as(Role.DOCTOR)
    set_clock(doctor, last_seen_at=int(time.time()) - 31 * 60)
    response = doctor.get("/home")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")
    assert "signed out to keep your information safe" in doctor.get("/auth/login").get_data(True)
    assert doctor.get("/home").status_code == 302  # and stays ended
    assert "session.expired" in audit_actions(db, doctor.user.id)


def test_activity_keeps_a_session_alive(login_as):
    doctor = login_as(Role.DOCTOR)
    set_clock(doctor, last_seen_at=int(time.time()) - 29 * 60)
    assert doctor.get("/home").status_code == 200
    with doctor.session_transaction() as session:
        assert time.time() - session["last_seen_at"] < 5


def test_the_idle_timeout_is_configuration(database_url, db):
    from mentoring import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SESSION_IDLE_MINUTES": 5})
    person = make_user()
    db.session.commit()
    client = sign_in(app.test_client(), person)
    set_clock(client, last_seen_at=int(time.time()) - 6 * 60)
    assert client.get("/home").status_code == 302


def test_a_session_ends_at_its_absolute_lifetime_even_when_busy(app, login_as):
    doctor = login_as(Role.DOCTOR)
    lifetime = int(app.permanent_session_lifetime.total_seconds())
    set_clock(doctor, signed_in_at=int(time.time()) - lifetime - 1)
    assert doctor.get("/home").status_code == 302


@pytest.mark.parametrize("broken", [{"signed_in_at": None}, {"last_seen_at": "soon"}])
def test_a_session_without_its_clock_is_not_trusted(login_as, broken):
    doctor = login_as(Role.DOCTOR)
    with doctor.session_transaction() as session:
        for key, value in broken.items():
            if value is None:
                session.pop(key)
            else:
                session[key] = value
    assert doctor.get("/home").status_code == 302


def test_a_real_sign_in_starts_the_clock_and_sets_no_remember_me_cookie(client, db):
    make_user(email="clock@nhs.net")
    db.session.commit()
    response = client.post(
        "/auth/login", data={"email": "clock@nhs.net", "password": FACTORY_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get_cookie("remember_token") is None
    with client.session_transaction() as session:
        assert {"signed_in_at", "last_seen_at", "reauthenticated_at"} <= set(session)
    assert client.get("/home").status_code == 200


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/account/two-factor"),
        ("GET", "/account/email"),
        ("POST", "/account/two-factor/remove"),
    ],
)
def test_sensitive_changes_need_a_password_typed_in_the_last_five_minutes(
    login_as, db, method, path
):
    doctor = login_as(Role.DOCTOR)
    set_clock(doctor, reauthenticated_at=int(time.time()) - 6 * 60)
    response = doctor.open(path, method=method)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/confirm-password?next=")

    wrong = doctor.post(response.headers["Location"], data={"password": "not-my-password"})
    assert wrong.status_code == 400
    assert "Your password is not right" in wrong.get_data(as_text=True)
    assert "reauthentication.failed" in audit_actions(db, doctor.user.id)
    empty = doctor.post(response.headers["Location"], data={})
    assert empty.status_code == 400 and "Enter your password" in empty.get_data(as_text=True)

    right = doctor.post(response.headers["Location"], data={"password": FACTORY_PASSWORD})
    assert right.status_code == 302
    if method == "GET":
        assert right.headers["Location"] == path
        assert doctor.get(path).status_code == 200


def test_confirm_password_only_returns_within_the_site(login_as):
    doctor = login_as(Role.DOCTOR)
    response = doctor.post(
        "/account/confirm-password?next=https://evil.example/", data={"password": FACTORY_PASSWORD}
    )
    assert response.headers["Location"] == "/home"


def test_sign_out_everywhere_else_ends_other_sessions_and_keeps_this_one(app, login_as, db):
    doctor = login_as(Role.DOCTOR)
    laptop = sign_in(app.test_client(), doctor.user)
    stolen = doctor.get_cookie("mentoring_session").value
    assert laptop.get("/home").status_code == 200

    response = doctor.post("/account/sign-out-everywhere")
    assert response.status_code == 303
    assert doctor.get("/home").status_code == 200
    assert laptop.get("/home").status_code == 302
    replay = app.test_client()
    replay.set_cookie("mentoring_session", stolen)
    assert replay.get("/home").status_code == 302
    assert "signed_out.everywhere" in audit_actions(db, doctor.user.id)


def test_the_account_page_offers_the_security_controls(login_as):
    page = login_as(Role.DOCTOR).get("/auth/account").get_data(as_text=True)
    for text in [
        "Set up an authenticator app",
        "Sign every other device out",
        "Change your email address",
        "download everything",
        "Delete your account",
    ]:
        assert text in page, text


# --- the cookie written when the session changes, the session checked on every request ----------


def _session_cookies(response) -> list[str]:
    return [c for c in response.headers.getlist("Set-Cookie") if c.startswith("mentoring_session=")]


def test_the_cookie_is_written_when_the_session_changes_and_not_otherwise(login_as):
    doctor = login_as(Role.DOCTOR)
    set_clock(doctor, _permanent=True)  # as a real sign-in makes it (`start_session`)
    doctor.get("/home")
    # A request that changes nothing in the session sends no cookie (the browser keeps its own).
    unchanged = doctor.get("/home")
    assert unchanged.status_code == 200 and _session_cookies(unchanged) == []
    assert "Cookie" in unchanged.headers["Vary"]
    # Once the last-seen moment is due to move, the cookie is written again, with its expiry.
    set_clock(doctor, last_seen_at=int(time.time()) - 20)
    moved = doctor.get("/home")
    (cookie,) = _session_cookies(moved)
    assert "Expires=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    with doctor.session_transaction() as session:
        assert time.time() - session["last_seen_at"] < 5


def test_a_cookie_not_rewritten_still_times_out_when_idle(login_as):
    doctor = login_as(Role.DOCTOR)
    assert doctor.get("/home").status_code == 200
    set_clock(doctor, last_seen_at=int(time.time()) - 31 * 60)
    assert doctor.get("/home").status_code == 302


def test_a_revoked_session_is_refused_on_its_next_request(app, login_as, db):
    """The person is read by their session token on every request, not kept from the last one:
    a token rotated elsewhere (sign-out on another instance) ends this session at once."""
    doctor = login_as(Role.DOCTOR)
    assert doctor.get("/home").status_code == 200
    assert doctor.get("/home").status_code == 200
    user = db.session.get(type(doctor.user), doctor.user.id)
    user.rotate_session_token()
    db.session.commit()
    response = doctor.get("/home")
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")


def test_a_disabled_person_is_refused_on_their_next_request(login_as, db):
    doctor = login_as(Role.DOCTOR)
    assert doctor.get("/home").status_code == 200
    user = db.session.get(type(doctor.user), doctor.user.id)
    user.is_disabled = True
    db.session.commit()
    assert doctor.get("/home").status_code == 302
