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
from tests.factories import (
    PDF_BYTES,
    make_conflict,
    make_supervision,
    make_support_request,
    make_support_service,
    make_training_record,
    make_user,
)

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


MENTORS = only("mentor", "other_mentor")
# Those who may ask for a mentor: the doctor, and the mentor who is also a doctor.
SEEKERS = only("doctor", "mentor")


@dataclass(frozen=True)
class Row:
    method: str
    statuses: dict[str, int]
    url_args: str | None = None  # which fixture object fills the route's arguments
    data: dict | None = None
    # The request removes the owner's record: ask as the owner (mentor) last, so every other role
    # meets the record still there and the refusal is proved, not a 404 after deletion.
    owner_last: bool = False


MATRIX: dict[str, Row] = {
    "core.index": Row("GET", {"anonymous": OK, **{role: 302 for role in ROLES[1:]}}),
    "core.home": Row("GET", signed_in(OK)),
    "core.healthz": Row("GET", everyone(OK)),
    "bench.ceiling": Row("GET", everyone(OK)),
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
    # Requests (issue 4): a doctor's own request only; people in this matrix have none live, so
    # the pages that act on "my request" find nothing (404) for those allowed to have one.
    "requests.new": Row("GET", SEEKERS),
    "requests.mine": Row("GET", SEEKERS),
    "requests.edit": Row("GET", only("doctor", "mentor", status=404)),
    "requests.withdraw": Row("POST", only("doctor", "mentor", status=404)),
    "requests.choose": Row("POST", only("doctor", "mentor", status=404)),
    # Offers: only the mentor a doctor chose; other_mentor is refused.
    "requests.offers": Row("GET", MENTORS),
    "requests.offer": Row("GET", only("mentor"), url_args="pending_offer"),
    "requests.decline": Row("GET", only("mentor"), url_args="pending_offer"),
    "requests.accept": Row(
        "POST", only("mentor", status=302), url_args="pending_offer", owner_last=True
    ),
    "requests.accepted": Row("GET", only("mentor"), url_args="accepted_offer"),
    # Coordinators help with queued requests: structured fields only, every view audited.
    "coordination.queue": Row("GET", only("coordinator")),
    "coordination.request_detail": Row("GET", only("coordinator"), url_args="queued_request"),
    # An empty form is refused with its message, which proves the view was reached.
    "coordination.widen": Row("POST", only("coordinator", status=400), url_args="queued_request"),
    "coordination.suggest": Row("POST", only("coordinator", status=400), url_args="queued_request"),
    "coordination.matching": Row("GET", only("coordinator")),
    # Reports: aggregate figures for coordinators and admins only.
    "reports.dashboard": Row("GET", only("coordinator", "admin")),
    "reports.table_csv": Row("GET", only("coordinator", "admin"), url_args="report_table"),
    # Training records (issue 3): mentor A's record, other_mentor must be refused.
    "training.records": Row("GET", MENTORS),
    "training.record_new": Row("GET", MENTORS),
    "training.record_edit": Row("GET", only("mentor"), url_args="training_record"),
    "training.record_delete": Row("GET", only("mentor"), url_args="training_record"),
    "training.evidence": Row("GET", only("mentor", "coordinator"), url_args="training_record"),
    "training.verification_queue": Row("GET", only("coordinator")),
    "training.review": Row("GET", only("coordinator"), url_args="training_record"),
    # Mentor profile, status, pause, appraisal.
    "mentors.status": Row("GET", MENTORS),
    "mentors.profile": Row("GET", MENTORS),
    "mentors.pause": Row("GET", MENTORS),
    "mentors.resume": Row("POST", only("mentor", "other_mentor", status=302)),
    "mentors.appraisal_record": Row("GET", MENTORS),
    "mentors.appraisal_download": Row("GET", MENTORS),
    # Supervision log and support requests.
    "mentor_support.supervision": Row("GET", MENTORS),
    "mentor_support.supervision_remove": Row(
        "POST", only("mentor", status=302), url_args="supervision_entry", owner_last=True
    ),
    "mentor_support.ask_for_support": Row("POST", only("mentor", "other_mentor", status=302)),
    "mentor_support.support_requests": Row("GET", only("coordinator")),
    "mentor_support.support_request_handled": Row(
        "POST", only("coordinator", status=302), url_args="support_request"
    ),
    # Conflicts of interest: each declaration belongs to whoever made it.
    "conflicts.supervised": Row("GET", MENTORS),
    # The mentor also holds the doctor role; other_mentor does not.
    "conflicts.avoid": Row("GET", only("doctor", "mentor")),
    "conflicts.remove": Row(
        "POST", only("mentor", status=302), url_args="mentor_conflict", owner_last=True
    ),
    # Mentoring relationships (issue 7): only the two people in it; "doctor" is mentor A's mentee.
    # other_mentor on mentor A's relationship ids is refused; coordinators see figures only.
    "relationships.mine": Row("GET", signed_in(OK)),
    "relationships.detail": Row("GET", only("doctor", "mentor"), url_args="relationship"),
    "relationships.agreement": Row("GET", only("doctor", "mentor"), url_args="relationship"),
    "relationships.review": Row("GET", only("doctor", "mentor"), url_args="relationship"),
    "relationships.end": Row("GET", only("doctor", "mentor"), url_args="relationship"),
    "relationships.feedback": Row("GET", only("doctor"), url_args="relationship"),
    "relationships.schedule": Row("GET", only("doctor", "mentor"), url_args="relationship"),
    "relationships.invitation": Row("GET", only("doctor", "mentor"), url_args="relationship"),
    "relationships.reads": Row("GET", only("doctor"), url_args="relationship"),
    "relationships.figures": Row("GET", only("coordinator")),
    "sessions.session_new": Row("GET", only("mentor"), url_args="relationship"),
    "sessions.session_detail": Row("GET", only("doctor", "mentor"), url_args="session_log"),
    "sessions.session_edit": Row("GET", only("mentor"), url_args="session_log"),
    "sessions.action": Row("GET", only("doctor"), url_args="action_item"),
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
    mentor = made["mentor"]
    made["training_record"] = make_training_record(mentor, status="awaiting", evidence=PDF_BYTES)
    made["supervision_entry"] = make_supervision(mentor)
    made["support_request"] = make_support_request(mentor)
    made["mentor_conflict"] = make_conflict(
        mentor_email=mentor.email,
        doctor_email="supervisee@nhs.net",
        declared_by=mentor,
        declared_as="mentor",
    )
    db.session.commit()
    return made


def _request_of(person, **fields):
    from mentoring.requests_.models import MentoringRequest

    request = MentoringRequest(
        requester_id=person.id,
        career_stage="core",
        specialty="surgery",
        organisation="Hillside Trust",
        department="Surgery",
        **fields,
    )
    db.session.add(request)
    db.session.flush()
    return request


def _offer(people, status: str) -> dict:
    from datetime import timedelta

    from mentoring.auth.models import utcnow
    from mentoring.requests_.models import MentorOffer

    request = _request_of(people["doctor"], status="offered" if status == "pending" else "matched")
    offer = MentorOffer(
        request_id=request.id,
        mentor_id=people["mentor"].id,
        status=status,
        respond_by=utcnow() + timedelta(days=5),
    )
    db.session.add(offer)
    db.session.commit()
    return {"offer_id": offer.id}


def _queued_request(people) -> dict:
    request = _request_of(people["doctor"], needs_coordinator=True)
    db.session.commit()
    return {"request_id": request.id}


def _relationship(people) -> dict:
    from datetime import date, timedelta

    from mentoring.auth.models import utcnow
    from mentoring.relationships.models import MentoringRelationship
    from mentoring.relationships.session_models import ActionItem, SessionLog

    request = _request_of(people["doctor"], status="matched")
    relationship = MentoringRelationship(
        mentor_id=people["mentor"].id,
        mentee_id=people["doctor"].id,
        request_id=request.id,
        started_at=utcnow() - timedelta(days=40),
        next_session_at=utcnow() + timedelta(days=3),
        next_session_format="video",
    )
    db.session.add(relationship)
    db.session.flush()
    log = SessionLog(
        relationship_id=relationship.id,
        held_on=date.today() - timedelta(days=3),
        minutes=45,
        format="video",
        model="grow",
        summary="Shared words",
        reflection="Private words",
    )
    db.session.add(log)
    db.session.flush()
    action = ActionItem(relationship_id=relationship.id, session_id=log.id, text="Do a thing")
    db.session.add(action)
    db.session.commit()
    return {"relationship_id": relationship.id, "log_id": log.id, "action_id": action.id}


def _only(keys: tuple[str, ...]):
    return lambda people: {k: v for k, v in _relationship(people).items() if k in keys}


REQUEST_FIXTURES = {
    "relationship": _only(("relationship_id",)),
    "session_log": _only(("relationship_id", "log_id")),
    "action_item": _only(("relationship_id", "action_id")),
    "pending_offer": lambda people: _offer(people, "pending"),
    "accepted_offer": lambda people: _offer(people, "accepted"),
    "queued_request": _queued_request,
}


def url_args(kind: str | None, people) -> dict:
    if kind is None:
        return {}
    if kind in REQUEST_FIXTURES:
        return REQUEST_FIXTURES[kind](people)
    if kind == "support_service":
        service = make_support_service()
        db.session.commit()
        return {"service_id": service.id}
    return {
        "asset": {"filename": "nhsuk-frontend.min.css"},
        "report_table": {"table_key": "wellbeing-by-week"},
        "bad_token": {"token": "not-a-real-token"},
        "doctor_account": {"user_id": people["doctor"].id},
        "training_record": {"record_id": people["training_record"].id},
        "supervision_entry": {"entry_id": people["supervision_entry"].id},
        "support_request": {"request_id": people["support_request"].id},
        "mentor_conflict": {"conflict_id": people["mentor_conflict"].id},
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
    order = [role for role in ROLES if role != "mentor"] + ["mentor"] if row.owner_last else ROLES
    for role in order:
        client = app.test_client()
        if role != "anonymous":
            sign_in(client, people[role])
        before = database_snapshot(db) if row.method == "GET" else None
        response = client.open(url, method=row.method, data=row.data or {})
        got[role] = response.status_code
        if before is not None:
            assert database_snapshot(db) == before, f"GET {url} as {role} changed the database"
    assert got == row.statuses
