"""Every route, every role: the status each one gets.

The test enumerates `app.url_map`; a route with no row here fails the suite, so nobody can add a
page without saying who may reach it. "Another mentor" is a second mentor who is party to nothing
of the first mentor's: later rows use it for object-level checks (mentor B on mentor A's ids).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from mentoring.extensions import db
from mentoring.permissions import Role
from tests.conftest import sign_in
from tests.factories import make_support_service, make_user

ROLES = ("anonymous", "doctor", "mentor", "other_mentor", "coordinator", "admin")

# Shorthands for a row's statuses.
LOGIN = 302  # anonymous visitors are sent to sign in
OK = 200
DENIED = 403


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int, *, anonymous: int = LOGIN) -> dict[str, int]:
    return {"anonymous": anonymous, **{role: status for role in ROLES[1:]}}


def only(*allowed: str, status: int = OK, others: int = DENIED) -> dict[str, int]:
    return {
        role: LOGIN if role == "anonymous" else (status if role in allowed else others)
        for role in ROLES
    }


@dataclass(frozen=True)
class Row:
    method: str
    statuses: dict[str, int]
    url_args: str | None = None  # which fixture object fills the route's arguments
    data: dict | None = None


MATRIX: dict[str, Row] = {
    "core.index": Row("GET", {"anonymous": OK, **{role: 302 for role in ROLES[1:]}}),
    "core.home": Row("GET", signed_in(OK)),
    "core.healthz": Row("GET", everyone(OK)),
    "core.nhsuk_assets": Row("GET", everyone(OK), url_args="asset"),
    "auth.login": Row("GET", {"anonymous": OK, **{role: 302 for role in ROLES[1:]}}),
    "auth.logout": Row("POST", signed_in(302)),
    "auth.register": Row("GET", everyone(OK)),
    "auth.confirm_email": Row("GET", everyone(400), url_args="bad_token"),
    "auth.forgot_password": Row("GET", everyone(OK)),
    "auth.reset_password": Row("GET", everyone(400), url_args="bad_token"),
    "auth.accept_invitation": Row("GET", everyone(400), url_args="bad_token"),
    "auth.account": Row("GET", signed_in(OK)),
    # An empty form is refused with its errors, which proves the view was reached.
    "auth.change_password": Row("POST", signed_in(400)),
    "admin.accounts": Row("GET", only("admin")),
    "admin.account": Row("GET", only("admin"), url_args="doctor_account"),
    "admin.invite": Row("GET", only("admin")),
    "admin.audit_log": Row("GET", only("admin")),
    "directory.services_list": Row("GET", signed_in(OK)),
    "directory.poster": Row("GET", signed_in(OK)),
    "directory.service_new": Row("GET", only("coordinator")),
    "directory.service_edit": Row("GET", only("coordinator"), url_args="support_service"),
    "directory.service_delete": Row("GET", only("coordinator"), url_args="support_service"),
    # Anyone signed in may check in; nobody can list or read a check-in (no such route exists).
    "checkins.check_in": Row("GET", signed_in(OK)),
    # Account security (issue 5). With no password typed first, the second step sends to sign-in.
    "security.two_factor": Row("GET", everyone(302)),
    "security.confirm_password": Row("GET", signed_in(OK)),
    "security.two_factor_setup": Row("GET", signed_in(OK)),
    # Nobody here may lose a factor they need; the others have none: all go back to the account.
    "security.two_factor_remove": Row("POST", signed_in(303)),
    "security.sign_out_everywhere": Row("POST", signed_in(303)),
    "security.email_change_request": Row("GET", signed_in(OK)),
    "security.email_change_confirm": Row("GET", everyone(400), url_args="bad_token"),
    # Data rights: each person reaches only their own data (no route takes anyone's id).
    "privacy.my_data": Row("GET", signed_in(OK)),
    "privacy.my_data_json": Row("GET", signed_in(OK)),
    "privacy.delete_account": Row("GET", signed_in(OK)),
}


@pytest.fixture
def people(db):
    made = {
        "doctor": make_user(roles=[Role.DOCTOR]),
        "mentor": make_user(roles=[Role.MENTOR, Role.DOCTOR]),
        "other_mentor": make_user(roles=[Role.MENTOR]),
        "coordinator": make_user(roles=[Role.COORDINATOR]),
        "admin": make_user(roles=[Role.ADMIN]),
    }
    db.session.commit()
    return made


def url_args(kind: str | None, people) -> dict:
    if kind is None:
        return {}
    if kind == "support_service":
        service = make_support_service()
        db.session.commit()
        return {"service_id": service.id}
    return {
        "asset": {"filename": "nhsuk-frontend.min.css"},
        "bad_token": {"token": "not-a-real-token"},
        "doctor_account": {"user_id": people["doctor"].id},
    }[kind]


def test_every_route_has_a_row(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    missing = endpoints - MATRIX.keys()
    stale = MATRIX.keys() - endpoints
    assert not missing, f"routes with no access-matrix row: {sorted(missing)}"
    assert not stale, f"rows for routes that no longer exist: {sorted(stale)}"


def test_every_route_declares_an_access_policy(app):
    from mentoring.permissions import policy_of

    undeclared = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and policy_of(view) is None
    ]
    assert undeclared == []


def database_snapshot(db) -> dict[str, list]:
    """Every row of every table but the audit log (which records reads and refusals by design)."""
    db.session.expire_all()
    snapshot = {}
    for table in db.metadata.sorted_tables:
        if table.name != "audit_event":
            rows = db.session.execute(table.select()).all()
            snapshot[table.name] = sorted(map(tuple, rows), key=repr)
    return snapshot


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_status_for_every_role(app, db, people, endpoint):
    row = MATRIX[endpoint]
    with app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **url_args(row.url_args, people))
    got = {}
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            sign_in(client, people[role])
        before = database_snapshot(db) if row.method == "GET" else None
        response = client.open(url, method=row.method, data=row.data or {})
        got[role] = response.status_code
        if before is not None:
            assert database_snapshot(db) == before, f"GET {url} as {role} changed the database"
    assert got == row.statuses
