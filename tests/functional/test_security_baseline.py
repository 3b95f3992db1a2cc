"""CSRF, security headers on every kind of response, caching, and rate limits on sign-in."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask

from mentoring import create_app
from mentoring.permissions import Role, public
from tests.factories import FACTORY_PASSWORD, make_user

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def assert_security_headers(response) -> None:
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert re.search(r"script-src 'self' 'nonce-[\w-]+'", csp)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.fixture
def app_with_a_broken_page(database_url) -> Flask:
    """A separate app that does not propagate exceptions, with a route that fails."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": False})

    @app.route("/broken")
    @public
    def broken():
        raise RuntimeError("secret internal detail: password=hunter2")

    return app


def test_headers_on_pages_404s_and_500s(client, app_with_a_broken_page):
    assert_security_headers(client.get("/auth/login"))
    not_found = client.get("/no-such-page")
    assert not_found.status_code == 404
    assert "Page not found" in not_found.get_data(as_text=True)
    assert_security_headers(not_found)

    error = app_with_a_broken_page.test_client().get("/broken")
    assert error.status_code == 500
    page = error.get_data(as_text=True)
    assert "Sorry, there is a problem with the service" in page
    assert "hunter2" not in page and "RuntimeError" not in page
    assert_security_headers(error)


def test_the_nonce_differs_on_every_response(client):
    first = client.get("/auth/login").headers["Content-Security-Policy"]
    second = client.get("/auth/login").headers["Content-Security-Policy"]
    assert first != second


def test_signed_in_pages_are_not_cached(login_as):
    response = login_as(Role.DOCTOR).get("/home")
    assert response.headers["Cache-Control"] == "no-store"


def test_signed_in_pages_keep_every_header_when_the_cookie_is_not_rewritten(login_as):
    """A signed-in page whose session did not change sends no cookie, and every security header,
    with a nonce of its own that the page's script carries."""
    doctor = login_as(Role.DOCTOR)
    nonces = set()
    for _ in range(3):
        response = doctor.get("/home")
        assert_security_headers(response)
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Pragma"] == "no-cache"
        nonce = re.search(r"'nonce-([\w-]+)'", response.headers["Content-Security-Policy"]).group(1)
        assert f'nonce="{nonce}"' in response.get_data(as_text=True)
        nonces.add(nonce)
    assert len(nonces) == 3


def test_design_system_assets_may_be_cached_when_signed_out(client):
    response = client.get("/assets/nhsuk-frontend.min.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_csrf_token_is_required_when_csrf_is_on(database_url, db):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True})
    make_user(email="csrf@nhs.net")
    db.session.commit()
    client = app.test_client()
    response = client.post(
        "/auth/login", data={"email": "csrf@nhs.net", "password": FACTORY_PASSWORD}
    )
    assert response.status_code == 400
    assert "The form had expired or was sent from somewhere else" in response.get_data(as_text=True)
    # With the token from the form, the same request works.
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(
        "/auth/login",
        data={"email": "csrf@nhs.net", "password": FACTORY_PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302


def test_no_get_route_changes_state(app):
    """Every route that accepts GET is a read: the ones that write are POST only."""
    writers = {"auth.logout", "auth.change_password"}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in writers:
            assert "GET" not in rule.methods, rule.endpoint


def test_sign_in_is_rate_limited_per_account_at_each_address(database_url, db):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "SIGN_IN_LIMIT_PER_ACCOUNT": "3 per minute"}
    )
    make_user(email="target@nhs.net")
    db.session.commit()
    statuses = []
    for _ in range(5):
        response = app.test_client().post(
            "/auth/login",
            data={"email": "target@nhs.net", "password": "wrong-password-here"},
            environ_base={"REMOTE_ADDR": "203.0.113.9"},
        )
        statuses.append(response.status_code)
    assert statuses == [400, 400, 400, 429, 429]
    assert "Too many attempts" in response.get_data(as_text=True)
    # The stranger's failures do not lock the doctor out at the doctor's own address.
    response = app.test_client().post(
        "/auth/login",
        data={"email": "target@nhs.net", "password": FACTORY_PASSWORD},
        environ_base={"REMOTE_ADDR": "10.1.2.3"},
    )
    assert response.status_code == 302


def test_sign_in_is_rate_limited_per_address(database_url, db):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "SIGN_IN_LIMIT_PER_ADDRESS": "3 per minute"}
    )
    statuses = [
        app.test_client()
        .post("/auth/login", data={"email": f"guess{n}@nhs.net", "password": "wrong-guess-x"})
        .status_code
        for n in range(4)
    ]
    assert statuses == [400, 400, 400, 429]


def test_successful_sign_ins_do_not_use_up_the_limit(database_url, db):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "SIGN_IN_LIMIT_PER_ACCOUNT": "2 per minute"}
    )
    make_user(email="busy@nhs.net")
    db.session.commit()
    for _ in range(4):
        response = app.test_client().post(
            "/auth/login", data={"email": "busy@nhs.net", "password": FACTORY_PASSWORD}
        )
        assert response.status_code == 302


def _start_in_production(env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DATABASE_URL", "NOTE_ENCRYPTION_KEYS"}
    }
    env.update({"MENTORING_ENV": "production", **env_overrides})
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-c", "from mentoring import create_app; create_app()"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


STRONG_SECRET = "a" * 16 + "-long-enough-production-secret-value"
NOTE_KEY = "q6mI0u2Jm5mUe0V5B0bN3eTz4m1kN7Xc3v5a8Yp2R0s="


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"DATABASE_URL": "postgresql://x/y", "NOTE_ENCRYPTION_KEYS": NOTE_KEY},
            "SECRET_KEY is not set",
        ),
        (
            {
                "SECRET_KEY": "development-only-secret-key-never-use-in-production",
                "DATABASE_URL": "postgresql://x/y",
                "NOTE_ENCRYPTION_KEYS": NOTE_KEY,
            },
            "SECRET_KEY is the development secret",
        ),
        (
            {"SECRET_KEY": STRONG_SECRET, "NOTE_ENCRYPTION_KEYS": NOTE_KEY},
            "DATABASE_URL is not set",
        ),
        (
            {"SECRET_KEY": STRONG_SECRET, "DATABASE_URL": "postgresql://x/y"},
            "NOTE_ENCRYPTION_KEYS is not set",
        ),
        (
            {
                "SECRET_KEY": STRONG_SECRET,
                "DATABASE_URL": "postgresql://x/y",
                "NOTE_ENCRYPTION_KEYS": "too-short",
            },
            "must be 32 bytes",
        ),
    ],
)
def test_production_refuses_to_start_without_its_secrets(overrides, message):
    result = _start_in_production(overrides)
    assert result.returncode != 0
    assert "Refusing to start in production" in result.stderr
    assert message in result.stderr


def test_production_starts_with_its_secrets_and_sends_hsts_and_secure_cookies(database_url):
    result = _start_in_production(
        {
            "SECRET_KEY": STRONG_SECRET,
            "DATABASE_URL": database_url,
            "NOTE_ENCRYPTION_KEYS": NOTE_KEY,
        }
    )
    assert result.returncode == 0, result.stderr

    from config import ProductionConfig

    class Settings(ProductionConfig):
        SECRET_KEY = STRONG_SECRET
        SQLALCHEMY_DATABASE_URI = database_url
        NOTE_ENCRYPTION_KEYS = [NOTE_KEY]

    app = create_app(Settings)
    app.config["RATELIMIT_STORAGE_URI"] = "memory://"
    client = app.test_client()
    response = client.get("/auth/login", base_url="https://mentoring.example")
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    # The sign-in form puts a CSRF token in the session, so the cookie is set: Secure only.
    cookie = response.headers["Set-Cookie"]
    assert "mentoring_session=" in cookie
    assert "Secure" in cookie
    plain = client.get("/auth/login", base_url="http://mentoring.example")
    assert plain.status_code in (301, 302)
    assert plain.headers["Location"].startswith("https://")
