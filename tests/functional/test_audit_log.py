"""The audit log records sign-ins, role changes and refused access, and nobody can change it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mentoring.audit.models import AuditEvent, AuditLogIsAppendOnly
from mentoring.permissions import Role
from tests.factories import FACTORY_PASSWORD, make_user


def events(db, action: str | None = None) -> list[AuditEvent]:
    db.session.expire_all()
    query = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))


def test_sign_in_success_and_failure_are_recorded_without_the_password(client, db):
    user = make_user(email="audited@nhs.net")
    db.session.commit()
    client.post("/auth/login", data={"email": "audited@nhs.net", "password": "wrong-one-typed"})
    client.post("/auth/login", data={"email": "ghost@nhs.net", "password": "wrong-one-typed"})
    client.post("/auth/login", data={"email": "audited@nhs.net", "password": FACTORY_PASSWORD})

    failed = events(db, "sign_in.failed")
    assert [(e.actor_id, e.detail) for e in failed] == [
        (user.id, "wrong password"),
        (None, "no such account"),
    ]
    assert [e.actor_id for e in events(db, "sign_in.succeeded")] == [user.id]
    for event in events(db):
        assert "wrong-one-typed" not in repr(vars(event))
        assert "ghost@nhs.net" not in repr(vars(event))


def test_role_changes_are_recorded_with_who_and_whom(db, login_as):
    admin = login_as(Role.ADMIN)
    person = make_user(roles=[Role.DOCTOR])
    db.session.commit()
    admin.post(f"/admin/accounts/{person.id}", data={"roles": ["mentor"]})
    changes = [
        (e.action, e.actor_id, e.record_id, e.detail)
        for e in events(db)
        if e.action.startswith("role.")
    ]
    assert changes == [
        ("role.removed", admin.user.id, str(person.id), "doctor"),
        ("role.granted", admin.user.id, str(person.id), "mentor"),
    ]


def test_a_refused_role_change_records_no_change(db, login_as):
    admin = login_as(Role.ADMIN)
    admin.post(f"/admin/accounts/{admin.user.id}", data={"roles": []})
    assert [e for e in events(db) if e.action.startswith("role.")] == []


def test_refused_access_is_recorded(db, login_as):
    doctor = login_as(Role.DOCTOR)
    assert doctor.get("/admin/accounts").status_code == 403
    refused = events(db, "access.refused")
    assert [(e.actor_id, e.detail) for e in refused] == [(doctor.user.id, "GET admin.accounts")]


def test_entries_cannot_be_changed_or_deleted_through_the_app(db, login_as):
    login_as(Role.DOCTOR).get("/admin/accounts")
    entry = events(db)[0]
    entry.detail = "rewritten"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    entry = events(db)[0]
    db.session.delete(entry)
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    assert events(db)[0].detail == "GET admin.accounts"


def test_no_route_edits_or_deletes_the_audit_log(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "admin.audit_log":
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}


def test_admin_searches_by_person_and_date(db, login_as):
    admin = login_as(Role.ADMIN)
    doctor = login_as(Role.DOCTOR, email="searched@nhs.net")
    doctor.get("/admin/accounts")  # refused, so recorded
    page = admin.get("/admin/audit?person=searched@nhs.net").get_data(as_text=True)
    assert "access.refused" in page
    assert "searched@nhs.net" in page
    page = admin.get("/admin/audit?person=nobody@nhs.net").get_data(as_text=True)
    assert "0 entries" in page
    page = admin.get("/admin/audit?date_from=2000-01-01&date_to=2000-01-02").get_data(as_text=True)
    assert "0 entries" in page


def test_bad_dates_in_the_audit_search_are_explained(login_as):
    admin = login_as(Role.ADMIN)
    response = admin.get("/admin/audit?date_from=2026-02-01&date_to=2026-01-01")
    assert response.status_code == 400
    assert "The end date must be the same as or after the start date" in response.get_data(
        as_text=True
    )
    response = admin.get("/admin/audit?date_from=yesterday")
    assert response.status_code == 400
    assert "Not a valid date value" in response.get_data(as_text=True)
