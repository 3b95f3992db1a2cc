"""Pooled connections are checked before use only after an idle spell (core/connections.py).

Proven on PostgreSQL, where a connection can be broken under the app as a database restart breaks
it: the server ends the connection's backend.
"""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import text

from mentoring.extensions import db as _db
from tests.conftest import is_postgresql


@pytest.fixture
def on_postgresql(app):
    if not is_postgresql(app):
        pytest.skip("a connection is broken under the app by ending its PostgreSQL backend")


def _health(instance: Flask) -> tuple[int, str]:
    with instance.app_context():
        response = instance.test_client().get("/healthz")
    return response.status_code, response.get_json()["database"]


def _break_pooled_connection(instance: Flask, app: Flask) -> None:
    """End the server side of the one connection in `instance`'s pool, as a restart would."""
    with instance.app_context():
        backend = _db.session.scalar(text("SELECT pg_backend_pid()"))
        _db.session.remove()
        assert _db.engine.pool.checkedin() == 1
    with app.app_context(), _db.engine.connect() as other:
        ended = other.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
    assert ended


def test_a_connection_broken_while_idle_is_replaced_before_a_request_gets_it(
    on_postgresql, app, make_instance
):
    # Every connection back from the pool is "idle".
    instance = make_instance(DATABASE_PING_AFTER_IDLE_SECONDS=0)
    assert _health(instance) == (200, "ok")
    _break_pooled_connection(instance, app)

    # Checked before use, found closed, replaced: the request never sees the broken one.
    assert _health(instance) == (200, "ok")


def test_a_connection_used_moments_ago_goes_unchecked_and_the_pool_recovers_at_once(
    on_postgresql, app, make_instance
):
    """Busy connections skip the check (a round trip on every request): one broken between two
    close requests fails the second, as it would if broken between a check and the request, and
    the pool replaces it for the next."""
    instance = make_instance(DATABASE_PING_AFTER_IDLE_SECONDS=3600)
    assert _health(instance) == (200, "ok")
    _break_pooled_connection(instance, app)

    assert _health(instance) == (503, "unavailable")
    assert _health(instance) == (200, "ok")
