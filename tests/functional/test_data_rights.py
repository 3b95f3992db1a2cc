"""A person sees, downloads and deletes what the scheme holds about them."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from mentoring.audit.models import AuditEvent
from mentoring.auth.models import User
from mentoring.auth.second_factor import RecoveryCode, SecondFactor
from mentoring.checkins.models import CheckInReceipt
from mentoring.permissions import Role
from mentoring.privacy import registry
from tests.factories import FACTORY_PASSWORD, make_user
from tests.functional.test_checkins import check_in_data, recorded


def count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_download_holds_the_persons_data_and_nobody_elses(login_as, db):
    admin = login_as(Role.ADMIN, display_name="Dr Admin Private", email="adminprivate@nhs.net")
    doctor = login_as(Role.DOCTOR, display_name="Dr Dana Example", email="dana@nhs.net")
    admin.post(f"/admin/accounts/{doctor.user.id}", data={"roles": ["doctor", "mentor"]})
    assert doctor.post("/check-in", data=check_in_data()).status_code == 200

    response = doctor.get("/account/my-data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    sections = {section["key"]: section["rows"] for section in data["sections"]}
    assert sections["account"][0]["email address"] == "dana@nhs.net"
    assert sections["account"][0]["name"] == "Dr Dana Example"
    assert len(sections["check_ins"]) == 1
    assert any(row["what"] == "role given" for row in sections["audit"])
    text = response.get_data(as_text=True)
    # The admin who changed the roles is named nowhere; nor is any check-in answer.
    assert "adminprivate" not in text and "Dr Admin Private" not in text
    assert "raw_score" not in text
    exported = db.session.scalars(
        select(AuditEvent.detail).where(
            AuditEvent.actor_id == doctor.user.id, AuditEvent.action == "personal_data.exported"
        )
    ).all()
    assert exported == ["json"]


def test_the_readable_page_shows_the_same_and_links_the_file(login_as):
    doctor = login_as(Role.DOCTOR, display_name="Dr <b>Bold</b>")
    page = doctor.get("/account/my-data").get_data(as_text=True)
    assert "Your account" in page and "Well-being check-ins" in page
    assert "Dr &lt;b&gt;Bold&lt;/b&gt;" in page and "<b>Bold" not in page
    assert 'href="/account/my-data.json"' in page


def test_a_domain_adds_its_data_by_registering(login_as, monkeypatch):
    monkeypatch.setattr(registry, "EXPORTERS", list(registry.EXPORTERS))
    registry.load_providers()

    @registry.exporter("relationships", "Your mentoring")
    def _relationships(user):
        return [{"mentor": "shown by the relationships domain", "for": user.id}]

    doctor = login_as(Role.DOCTOR)
    data = doctor.get("/account/my-data.json").get_json()
    assert data["sections"][-1] == {
        "key": "relationships",
        "title": "Your mentoring",
        "rows": [{"mentor": "shown by the relationships domain", "for": doctor.user.id}],
    }


def delete(client, **data):
    return client.post("/account/delete", data={"understood": "y", **data})


@pytest.mark.parametrize(
    "data, message",
    [
        ({"password": "not-my-password"}, "Your password is not right"),
        ({"understood": "", "password": FACTORY_PASSWORD}, "Confirm that you understand"),
        ({}, "Enter your password"),
    ],
)
def test_deleting_needs_the_password_and_a_tick(login_as, db, data, message):
    doctor = login_as(Role.DOCTOR)
    response = delete(doctor, **data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, doctor.user.id).is_active


def test_deleting_an_account_erases_the_person_and_keeps_the_counts(app, login_as, db):
    doctor = login_as(Role.DOCTOR, email="leaving@nhs.net", display_name="Dr Leaving")
    doctor.get("/account/two-factor")
    from tests.functional.test_second_factor import enrol

    enrol(doctor)
    assert doctor.post("/check-in", data=check_in_data()).status_code == 200
    check_ins = recorded(db)
    assert check_ins == 1
    events_before = count(db, AuditEvent)

    response = delete(doctor, password=FACTORY_PASSWORD)
    assert response.status_code == 302
    assert doctor.get("/home").status_code == 302

    db.session.expire_all()
    person = db.session.get(User, doctor.user.id)
    assert "leaving" not in person.email and person.display_name == "Deleted account"
    assert not person.is_active and person.roles == frozenset()
    assert count(db, SecondFactor) == count(db, RecoveryCode) == count(db, CheckInReceipt) == 0
    assert recorded(db) == check_ins  # anonymous answers stay in the totals
    # The audit trail keeps the account number, adds the deletion, and names nobody.
    assert count(db, AuditEvent) == events_before + 1
    last = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (last.action, last.actor_id) == ("account.deleted", doctor.user.id)
    details = " ".join(filter(None, db.session.scalars(select(AuditEvent.detail))))
    assert "leaving" not in details and "Leaving" not in details
    # Nobody can sign in as the person any more, with any password.
    again = app.test_client().post(
        "/auth/login", data={"email": "leaving@nhs.net", "password": FACTORY_PASSWORD}
    )
    assert again.status_code == 400
    # The address is free to register again.
    assert db.session.scalar(select(User).where(User.email == "leaving@nhs.net")) is None


def test_the_last_admin_cannot_delete_their_account(login_as, db):
    admin = login_as(Role.ADMIN)
    response = delete(admin, password=FACTORY_PASSWORD)
    assert response.status_code == 400
    assert "only administrator" in response.get_data(as_text=True)
    make_user(roles=[Role.ADMIN])
    db.session.commit()
    assert delete(admin, password=FACTORY_PASSWORD).status_code == 302


def test_an_eraser_registered_by_a_domain_runs_on_deletion(login_as, monkeypatch):
    monkeypatch.setattr(registry, "ERASERS", list(registry.ERASERS))
    registry.load_providers()
    erased = []
    registry.eraser("relationships")(lambda user: erased.append(user.id))
    doctor = login_as(Role.DOCTOR)
    assert delete(doctor, password=FACTORY_PASSWORD).status_code == 302
    assert erased == [doctor.user.id]
