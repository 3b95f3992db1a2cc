"""Shared fixtures: a real database built by the migrations, clients signed in as each role.

The suite runs on SQLite by default and on PostgreSQL when `DATABASE_URL` points there (as CI does).
With `REQUIRE_NO_SKIPS=1` any skipped test fails the run, so a PostgreSQL run cannot quietly skip.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text
from werkzeug.serving import make_server

os.environ["MENTORING_ENV"] = "testing"

from mentoring import create_app  # noqa: E402 - MENTORING_ENV must be set first
from mentoring.extensions import db as _db  # noqa: E402
from mentoring.extensions import limiter, report_cache  # noqa: E402
from mentoring.permissions import Role  # noqa: E402
from mentoring.reports.cache import PAGES as REPORT_PAGES  # noqa: E402
from tests.factories import make_user  # noqa: E402


def _database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


def is_postgresql(app: Flask) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


def _reset_schema(app: Flask) -> None:
    """Start from nothing and build the schema the only way it is built: by the migrations."""
    with app.app_context():
        if is_postgresql(app):
            with _db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return _database_url(tmp_path_factory)


class IsolatedClient(FlaskClient):
    """Each request in an app context of its own, as in production.

    Tests hold an app context to set up data; without this, requests would share its `g` (and
    Flask-Login's cached user) and its database session with the test and with each other.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def upload_folder(tmp_path_factory) -> str:
    """Evidence files go to a temporary folder, never the developer's instance/uploads."""
    return str(tmp_path_factory.mktemp("uploads"))


@pytest.fixture(scope="session")
def app(database_url, upload_folder) -> Iterator[Flask]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "UPLOAD_FOLDER": upload_folder})
    app.test_client_class = IsolatedClient
    _reset_schema(app)
    yield app


@pytest.fixture(autouse=True)
def _clean_state(request) -> Iterator[None]:
    """Each test starts with empty tables and outbox, fresh rate limits and no kept reports."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        _db.session.remove()
        _truncate_all(app)
        outbox_of(app).clear()
        limiter.reset()
        report_cache.clear()
        app.extensions[REPORT_PAGES].clear()  # rendered report figures


def _truncate_all(app: Flask) -> None:
    tables = [table.name for table in reversed(_db.metadata.sorted_tables)]
    with _db.engine.begin() as connection:
        if is_postgresql(app):
            quoted = ", ".join(f'"{name}"' for name in tables)
            connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                connection.execute(text(f'DELETE FROM "{name}"'))  # noqa: S608 - our own table names


@pytest.fixture
def db(app) -> Iterator:
    with app.app_context():
        yield _db


@pytest.fixture
def make_instance(app, database_url, upload_folder) -> Iterator[Callable[..., Flask]]:
    """`make_instance(**config)`: another instance of the app on the suite's database (its schema
    built by `app`), with a connection pool of its own, disposed of after the test."""
    made: list[Flask] = []

    def make(**config) -> Flask:
        instance = create_app(
            {"SQLALCHEMY_DATABASE_URI": database_url, "UPLOAD_FOLDER": upload_folder, **config}
        )
        made.append(instance)
        return instance

    yield make
    for instance in made:
        with instance.app_context():
            _db.engine.dispose()


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


def outbox_of(app: Flask) -> list:
    """Messages the locmem backend has 'sent' (Flask-Mailman keeps them on the extension)."""
    state = app.extensions["mailman"]
    if not hasattr(state, "outbox"):
        state.outbox = []
    return state.outbox


@pytest.fixture
def outbox(app) -> list:
    return outbox_of(app)


def sign_in(client: FlaskClient, user) -> FlaskClient:
    """Put `user` in the client's session the way Flask-Login does after a real sign-in."""
    with client.session_transaction() as session:
        session["_user_id"] = user.session_token
        session["_fresh"] = True
        # The session clock a real sign-in starts (idle timeout, lifetime, recent password).
        moment = int(time.time())
        session["signed_in_at"] = session["last_seen_at"] = session["reauthenticated_at"] = moment
    return client


@pytest.fixture
def login_as(app, db) -> Callable[..., FlaskClient]:
    """`login_as(Role.MENTOR)` gives a new test client signed in as a new person with that role."""

    def _login_as(*roles: Role, **user_fields) -> FlaskClient:
        user = make_user(roles=roles or (Role.DOCTOR,), **user_fields)
        _db.session.commit()
        client = app.test_client()
        sign_in(client, user)
        client.user = user
        return client

    return _login_as


# --- browser tests: the real app served over HTTP, driven by Chromium ----------------------------

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def live_server(app, database_url, upload_folder) -> Iterator[str]:
    """The app with CSRF on, as a browser meets it, on a free local port."""
    served = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "UPLOAD_FOLDER": upload_folder,
            "WTF_CSRF_ENABLED": True,
            "TESTING": False,
        }
    )
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            args=CHROMIUM_ARGS,
        )
        yield chromium
        chromium.close()


def expect_timeout(milliseconds: int) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=milliseconds)


@pytest.fixture
def page(browser) -> Iterator:
    context = browser.new_context()
    page = context.new_page()
    # Generous: CI shares two cores between the server, Chromium and the tests.
    page.set_default_timeout(30_000)
    expect_timeout(30_000)
    yield page
    context.close()


# --- no quiet skips -------------------------------------------------------------------------------


def pytest_sessionfinish(session, exitstatus) -> None:
    if os.environ.get("REQUIRE_NO_SKIPS") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"REQUIRE_NO_SKIPS: {len(skipped)} test(s) were skipped", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
