"""Registration, email confirmation, password reset, password change and invitations."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from mentoring.auth.models import User
from mentoring.permissions import Role
from tests.factories import FACTORY_PASSWORD, make_user

GOOD_PASSWORD = "quartz-harbour-pencil-thistle"


def link_in(message, path: str) -> str:
    match = re.search(r"https?://[^/\s]+(" + re.escape(path) + r"[^\s]+)", message.body)
    assert match, message.body
    return match.group(1)


def count_users(db) -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def register(client, **overrides):
    data = {
        "display_name": "Dr Priya Nair",
        "email": "priya.nair@nhs.net",
        "password": GOOD_PASSWORD,
        "confirm_password": GOOD_PASSWORD,
        **overrides,
    }
    return client.post("/auth/register", data=data)


# --- registration ---------------------------------------------------------------------------------


def test_registration_confirm_then_sign_in(client, db, outbox):
    response = register(client)
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)
    assert len(outbox) == 1
    assert outbox[0].to == ["priya.nair@nhs.net"]

    # Not yet confirmed: cannot sign in.
    login = {"email": "priya.nair@nhs.net", "password": GOOD_PASSWORD}
    assert client.post("/auth/login", data=login).status_code == 400

    response = client.get(link_in(outbox[0], "/auth/confirm/"))
    assert response.status_code == 302
    assert client.post("/auth/login", data=login).status_code == 302
    user = db.session.scalar(select(User).where(User.email == "priya.nair@nhs.net"))
    assert user.roles == {Role.DOCTOR}


def test_registration_outside_allowed_domains_is_refused_and_nothing_saved(client, db, outbox):
    response = register(client, email="someone@gmail.com")
    assert response.status_code == 400
    assert "Use an email address from a scheme organisation" in response.get_data(as_text=True)
    assert count_users(db) == 0
    assert outbox == []


def test_registration_with_an_existing_address_looks_the_same_and_tells_the_owner(
    client, db, outbox
):
    make_user(email="taken@nhs.net")
    db.session.commit()
    response = register(client, email="taken@nhs.net")
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)
    assert count_users(db) == 1
    assert len(outbox) == 1
    assert "already has one" in outbox[0].body


def test_registration_errors_keep_what_was_typed_except_passwords(client, db):
    response = register(client, password="short", confirm_password="different")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The passwords do not match" in page
    assert 'value="Dr Priya Nair"' in page
    assert 'value="priya.nair@nhs.net"' in page
    assert 'value="short"' not in page
    assert count_users(db) == 0


def test_common_and_short_passwords_are_refused(client, db):
    for password, message in [
        ("abc", "Password must be 12 characters or more"),
        ("password1234", "too common"),
        ("aaaaaaaaaaaaaaaa", "too easy to guess"),
    ]:
        response = register(client, password=password, confirm_password=password)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True), password
    assert count_users(db) == 0


def test_bad_email_format_is_explained(client, db):
    response = register(client, email="not-an-email")
    assert response.status_code == 400
    assert "Enter an email address in the correct format" in response.get_data(as_text=True)


def test_a_tampered_confirmation_link_is_refused(client, db, outbox):
    register(client)
    path = link_in(outbox[0], "/auth/confirm/")
    response = client.get(path[:-3] + "abc")
    assert response.status_code == 400
    assert "This link cannot be used" in response.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.email == "priya.nair@nhs.net"))
    assert user.email_confirmed_at is None


# --- password reset -------------------------------------------------------------------------------


def test_password_reset_works_once(client, db, outbox):
    make_user(email="forgot@nhs.net")
    db.session.commit()
    response = client.post("/auth/forgot-password", data={"email": "forgot@nhs.net"})
    assert "Check your email" in response.get_data(as_text=True)
    path = link_in(outbox[0], "/auth/reset-password/")

    new = {"password": GOOD_PASSWORD, "confirm_password": GOOD_PASSWORD}
    assert client.post(path, data=new).status_code == 302
    assert (
        client.post(
            "/auth/login", data={"email": "forgot@nhs.net", "password": GOOD_PASSWORD}
        ).status_code
        == 302
    )
    # The same link again: refused.
    assert client.get(path).status_code == 400


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, outbox):
    response = client.post("/auth/forgot-password", data={"email": "nobody@nhs.net"})
    assert response.status_code == 200
    assert "If <strong>nobody@nhs.net</strong> has an account" in response.get_data(as_text=True)
    assert outbox == []


def test_password_reset_signs_out_old_sessions(app, client, db, outbox, login_as):
    victim = login_as(Role.DOCTOR, email="victim@nhs.net")
    assert victim.get("/home").status_code == 200
    client.post("/auth/forgot-password", data={"email": "victim@nhs.net"})
    path = link_in(outbox[0], "/auth/reset-password/")
    client.post(path, data={"password": GOOD_PASSWORD, "confirm_password": GOOD_PASSWORD})
    assert victim.get("/home").status_code == 302


def test_weak_new_password_in_reset_is_refused_and_old_one_still_works(client, db, outbox):
    make_user(email="weak@nhs.net")
    db.session.commit()
    client.post("/auth/forgot-password", data={"email": "weak@nhs.net"})
    path = link_in(outbox[0], "/auth/reset-password/")
    response = client.post(path, data={"password": "qwerty", "confirm_password": "qwerty"})
    assert response.status_code == 400
    assert (
        client.post(
            "/auth/login", data={"email": "weak@nhs.net", "password": FACTORY_PASSWORD}
        ).status_code
        == 302
    )


# --- password change ------------------------------------------------------------------------------


def test_change_password_needs_the_current_one(login_as):
    client = login_as(Role.DOCTOR)
    response = client.post(
        "/auth/account/password",
        data={
            "current_password": "wrong-wrong-wrong",
            "new_password": GOOD_PASSWORD,
            "confirm_password": GOOD_PASSWORD,
        },
    )
    assert response.status_code == 400
    assert "Your current password is not right" in response.get_data(as_text=True)


def test_change_password_keeps_this_device_and_signs_out_others(app, login_as):
    client = login_as(Role.DOCTOR, email="change@nhs.net")
    other_device = app.test_client()
    with other_device.session_transaction() as session:
        session["_user_id"] = client.user.session_token
    response = client.post(
        "/auth/account/password",
        data={
            "current_password": FACTORY_PASSWORD,
            "new_password": GOOD_PASSWORD,
            "confirm_password": GOOD_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert client.get("/home").status_code == 200
    assert other_device.get("/home").status_code == 302


# --- invitations ----------------------------------------------------------------------------------


def test_admin_invites_a_mentor_who_accepts(app, db, outbox, login_as):
    admin = login_as(Role.ADMIN)
    response = admin.post(
        "/admin/invitations/new", data={"email": "new.mentor@nhs.net", "roles": ["mentor"]}
    )
    assert response.status_code == 302
    assert len(outbox) == 1
    path = link_in(outbox[0], "/auth/invitation/")

    invitee = app.test_client()
    page = invitee.get(path).get_data(as_text=True)
    assert "new.mentor@nhs.net" in page
    response = invitee.post(
        path,
        data={
            "display_name": "Dr New Mentor",
            "password": GOOD_PASSWORD,
            "confirm_password": GOOD_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert invitee.get("/home").status_code == 200
    user = db.session.scalar(select(User).where(User.email == "new.mentor@nhs.net"))
    assert user.roles == {Role.MENTOR}
    # The link is spent.
    assert invitee.get(path).status_code == 400


def test_invitation_needs_a_role_and_a_new_address(db, outbox, login_as):
    admin = login_as(Role.ADMIN)
    make_user(email="exists@nhs.net")
    db.session.commit()
    no_role = admin.post("/admin/invitations/new", data={"email": "x@nhs.net"})
    assert no_role.status_code == 400
    assert "Choose at least one role" in no_role.get_data(as_text=True)
    existing = admin.post(
        "/admin/invitations/new", data={"email": "exists@nhs.net", "roles": ["doctor"]}
    )
    assert existing.status_code == 400
    assert "already has an account" in existing.get_data(as_text=True)
    unknown_role = admin.post(
        "/admin/invitations/new", data={"email": "y@nhs.net", "roles": ["superuser"]}
    )
    assert unknown_role.status_code == 400
    assert outbox == []


def test_an_invitation_cannot_be_forged_to_grant_admin(app, db):
    client = app.test_client()
    # A doctor cannot make their own invitation: tokens are signed with the server's secret.
    from itsdangerous import URLSafeTimedSerializer

    forged = URLSafeTimedSerializer("guessed-secret", salt="invitation").dumps(
        {"email": "me@nhs.net", "roles": ["admin"]}
    )
    assert client.get(f"/auth/invitation/{forged}").status_code == 400
    assert count_users(db) == 0
