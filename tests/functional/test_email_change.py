"""Changing one's email address: a recent password, a link to the new address, the old one told."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mentoring.audit.models import AuditEvent
from mentoring.auth.models import User
from mentoring.permissions import Role
from tests.factories import FACTORY_PASSWORD, make_user
from tests.functional.test_accounts import link_in


def emails(db) -> list[str]:
    db.session.expire_all()
    return sorted(db.session.scalars(select(User.email)))


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Enter your email address"),
        ({"email": "not an address"}, "Enter an email address in the correct format"),
        ({"email": "me@gmail.com"}, "Use an email address from a scheme organisation"),
        ({"email": "x" * 300 + "@nhs.net"}, "254 characters or fewer"),
        ({"email": "<script>alert(1)</script>@nhs.net"}, "correct format"),
    ],
)
def test_bad_new_addresses_are_explained_and_nothing_is_sent(login_as, db, outbox, data, message):
    doctor = login_as(Role.DOCTOR)
    before = emails(db)
    response = doctor.post("/account/email", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and "There is a problem" in page
    assert "<script>alert(1)" not in page
    assert emails(db) == before and outbox == []


def test_the_current_address_is_not_a_change(login_as, outbox):
    doctor = login_as(Role.DOCTOR)
    response = doctor.post("/account/email", data={"email": doctor.user.email.upper()})
    assert response.status_code == 400
    assert "already your email address" in response.get_data(as_text=True)
    assert outbox == []


def test_changing_email_by_link_then_old_sessions_end_and_the_old_address_is_told(
    app, login_as, db, outbox
):
    doctor = login_as(Role.DOCTOR, email="old@nhs.net")
    response = doctor.post("/account/email", data={"email": "New@NHS.net"})
    assert response.status_code == 200
    assert outbox[-1].to == ["new@nhs.net"]
    link = link_in(outbox[-1], "/account/email/confirm/")
    assert emails(db).count("old@nhs.net") == 1

    # Following the link shows a button; a mail scanner fetching it changes nothing.
    stranger = app.test_client()
    assert stranger.get(link).status_code == 200
    assert "old@nhs.net" in emails(db)
    assert stranger.post(link).status_code == 302
    assert "new@nhs.net" in emails(db) and "old@nhs.net" not in emails(db)
    assert outbox[-1].to == ["old@nhs.net"]
    assert doctor.get("/home").status_code == 302  # signed out everywhere
    assert stranger.post(link).status_code == 400  # single use
    events = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.actor_id == doctor.user.id)
    ).all()
    assert "email.change_requested" in events and "email.changed" in events
    new_client = app.test_client()
    signed_in = new_client.post(
        "/auth/login", data={"email": "new@nhs.net", "password": FACTORY_PASSWORD}
    )
    assert signed_in.status_code == 302


def test_an_address_someone_else_has_looks_the_same_and_changes_nothing(login_as, db, outbox):
    make_user(email="taken@nhs.net")
    db.session.commit()
    doctor = login_as(Role.DOCTOR)
    response = doctor.post("/account/email", data={"email": "taken@nhs.net"})
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)
    assert outbox[-1].to == ["taken@nhs.net"]
    assert "/account/email/confirm/" not in outbox[-1].body


def test_a_link_stops_working_once_the_address_has_changed_again(login_as, db, outbox):
    doctor = login_as(Role.DOCTOR)
    doctor.post("/account/email", data={"email": "first@nhs.net"})
    first = link_in(outbox[-1], "/account/email/confirm/")
    doctor.post("/account/email", data={"email": "second@nhs.net"})
    second = link_in(outbox[-1], "/account/email/confirm/")
    assert doctor.post(second).status_code == 302
    assert doctor.post(first).status_code == 400
    assert doctor.get(first[:-3] + "xyz").status_code == 400
