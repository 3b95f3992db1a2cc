"""Signing in and out as a person (and an attacker) would."""

from __future__ import annotations

import re

from sqlalchemy import select

from mentoring.auth.models import User
from mentoring.permissions import Role
from tests.factories import FACTORY_PASSWORD, make_user

WRONG = "Enter a correct email address and password"


def test_sign_in_with_the_right_password_reaches_home(client, db):
    make_user(email="amara@nhs.net", display_name="Dr Amara Okafor")
    db.session.commit()

    response = client.post(
        "/auth/login", data={"email": "Amara@NHS.net ", "password": FACTORY_PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"
    home = client.get("/home")
    assert "Hello, Dr Amara Okafor" in home.get_data(as_text=True)


def test_sign_in_page_has_the_labels_people_expect(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert re.search(r'<label[^>]*for="email"[^>]*>\s*Email address', page)
    assert re.search(r'<label[^>]*for="password"[^>]*>\s*Password', page)
    assert re.search(r"<button[^>]*>\s*Sign in\s*</button>", page)


def test_wrong_password_and_unknown_email_get_the_same_message(client, db):
    make_user(email="known@nhs.net")
    db.session.commit()

    wrong_password = client.post(
        "/auth/login", data={"email": "known@nhs.net", "password": "not-the-password"}
    )
    unknown_email = client.post(
        "/auth/login", data={"email": "nobody@nhs.net", "password": "not-the-password"}
    )
    for response in (wrong_password, unknown_email):
        assert response.status_code == 400
        assert WRONG in response.get_data(as_text=True)
    # Nothing else on the page differs either, so the page cannot be used to find accounts.
    strip = re.compile(r'name="csrf_token" value="[^"]*"|nonce="[^"]*"|nonce-[\w-]+')
    assert strip.sub("", wrong_password.get_data(as_text=True)).replace(
        "known@nhs.net", "X"
    ) == strip.sub("", unknown_email.get_data(as_text=True)).replace("nobody@nhs.net", "X")


def test_unconfirmed_and_disabled_accounts_cannot_sign_in(client, db):
    make_user(email="new@nhs.net", confirmed=False)
    make_user(email="gone@nhs.net", disabled=True)
    db.session.commit()
    for email in ("new@nhs.net", "gone@nhs.net"):
        response = client.post("/auth/login", data={"email": email, "password": FACTORY_PASSWORD})
        assert response.status_code == 400
        assert WRONG in response.get_data(as_text=True)


def test_sign_in_keeps_the_email_but_never_the_password(client, db):
    response = client.post(
        "/auth/login", data={"email": "someone@nhs.net", "password": "typed-secret-value"}
    )
    page = response.get_data(as_text=True)
    assert 'value="someone@nhs.net"' in page
    assert "typed-secret-value" not in page


def test_empty_sign_in_shows_errors_next_to_fields_and_in_summary(client):
    response = client.post("/auth/login", data={})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page
    assert page.count("Enter your email address") == 2  # summary and field
    assert page.count("Enter your password") == 2
    assert re.search(r'<a href="#email"\s*>', page)
    assert "<title>Error: Sign in" in page


def test_next_only_redirects_within_the_site(client, db):
    make_user(email="next@nhs.net")
    db.session.commit()
    for target, expected in [
        ("/auth/account", "/auth/account"),
        ("https://evil.example/phish", "/home"),
        ("//evil.example/phish", "/home"),
        ("/\\evil.example", "/home"),
    ]:
        response = client.post(
            "/auth/login?next=" + target,
            data={"email": "next@nhs.net", "password": FACTORY_PASSWORD},
        )
        assert response.headers["Location"] == expected
        client.post("/auth/logout")


def test_replaying_the_session_cookie_after_sign_out_signs_nobody_in(client, db):
    make_user(email="replay@nhs.net")
    db.session.commit()
    client.post("/auth/login", data={"email": "replay@nhs.net", "password": FACTORY_PASSWORD})
    stolen = client.get_cookie("mentoring_session").value
    assert client.get("/home").status_code == 200

    response = client.post("/auth/logout")
    assert response.status_code == 302

    attacker = client.application.test_client()
    attacker.set_cookie("mentoring_session", stolen)
    response = attacker.get("/home")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_sign_out_is_a_post_so_a_link_cannot_sign_someone_out(login_as):
    client = login_as(Role.DOCTOR)
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/home").status_code == 200


def test_session_cookie_is_http_only_and_same_site(client, db):
    make_user(email="cookie@nhs.net")
    db.session.commit()
    response = client.post(
        "/auth/login", data={"email": "cookie@nhs.net", "password": FACTORY_PASSWORD}
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_a_person_with_several_roles_sees_a_section_for_each(login_as):
    client = login_as(Role.MENTOR, Role.DOCTOR, Role.ADMIN)
    page = client.get("/home").get_data(as_text=True)
    assert "Mentoring for you" in page
    assert "Your mentoring" in page
    assert "Administration" in page
    assert "Running the scheme" not in page


def test_each_role_home_page_says_what_it_can_do_next(login_as):
    expectations = {
        Role.DOCTOR: "Mentoring for you",
        Role.MENTOR: "Your mentoring",
        Role.COORDINATOR: "Running the scheme",
        Role.ADMIN: "Invite someone",
    }
    for role, text in expectations.items():
        page = login_as(role).get("/home").get_data(as_text=True)
        assert text in page, role


def test_sign_out_rotates_only_the_signed_out_persons_token(client, db):
    first = make_user(email="a@nhs.net")
    second = make_user(email="b@nhs.net")
    db.session.commit()
    first_before, second_before = first.session_token, second.session_token
    client.post("/auth/login", data={"email": "a@nhs.net", "password": FACTORY_PASSWORD})
    client.post("/auth/logout")
    db.session.expire_all()
    tokens = dict(db.session.execute(select(User.id, User.session_token)).all())
    assert tokens[first.id] != first_before
    assert tokens[second.id] == second_before
