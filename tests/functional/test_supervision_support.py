"""Mentors log supervision privately and ask coordinators for support without saying why."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from mentoring.mentors.models import SupervisionSession, SupportRequest
from mentoring.permissions import Role
from tests.factories import make_supervision, make_user


def entries(db) -> list[SupervisionSession]:
    db.session.expire_all()
    return list(db.session.scalars(select(SupervisionSession)))


def supervision_form(**overrides) -> dict:
    data = {
        "held_on": (date.today() - timedelta(days=3)).isoformat(),
        "hours": "1.5",
        "kind": "supervision",
    }
    data.update(overrides)
    return data


def test_a_mentor_logs_supervision(db, login_as):
    mentor = login_as(Role.MENTOR)
    assert mentor.post("/mentor/supervision", data=supervision_form()).status_code == 302
    assert (
        mentor.post(
            "/mentor/supervision", data=supervision_form(kind="peer_support", hours="0.75")
        ).status_code
        == 302
    )
    logged = sorted((e.kind, e.minutes) for e in entries(db))
    assert logged == [("peer_support", 45), ("supervision", 90)]
    page = mentor.get("/mentor/supervision").get_data(as_text=True)
    assert "Peer support" in page and "Mentor supervision" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"held_on": (date.today() + timedelta(days=1)).isoformat()}, "today or in the past"),
        ({"held_on": ""}, "Enter the date of the session"),
        ({"hours": "0"}, "Hours must be between 0.25 and 24"),
        ({"hours": "25"}, "Hours must be between 0.25 and 24"),
        ({"hours": ""}, "Enter how many hours it lasted"),
        ({"kind": "therapy"}, "Not a valid choice"),
        ({"kind": ""}, "Choose supervision or peer support"),
    ],
)
def test_bad_supervision_input_is_refused(db, login_as, overrides, message):
    mentor = login_as(Role.MENTOR)
    response = mentor.post("/mentor/supervision", data=supervision_form(**overrides))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert entries(db) == []


def test_the_log_is_private(db, login_as):
    mentor = login_as(Role.MENTOR)
    other = login_as(Role.MENTOR)
    entry = make_supervision(mentor.user, held_on=date(2026, 1, 7))
    db.session.commit()
    assert "7 January 2026" not in other.get("/mentor/supervision").get_data(as_text=True)
    assert other.post(f"/mentor/supervision/{entry.id}/delete").status_code == 403
    assert len(entries(db)) == 1
    assert mentor.post(f"/mentor/supervision/{entry.id}/delete").status_code == 302
    assert entries(db) == []


def test_asking_for_support_tells_every_coordinator_and_nothing_more(db, login_as, outbox):
    coordinator = login_as(Role.COORDINATOR)
    make_user(roles=[Role.COORDINATOR], email="second.coordinator@nhs.net")
    make_user(roles=[Role.COORDINATOR], email="gone@nhs.net", disabled=True)
    mentor = login_as(Role.MENTOR, display_name="Dr Quietly Struggling")
    db.session.commit()

    assert mentor.post("/mentor/support").status_code == 302
    assert {message.to[0] for message in outbox} == {
        coordinator.user.email,
        "second.coordinator@nhs.net",
    }
    for message in outbox:
        assert "asked for support" in message.subject
        assert "Dr Quietly Struggling" not in message.body
        assert mentor.user.email not in message.body
        assert "/coordinator/mentor-support" in message.body
    page = mentor.get("/mentor/supervision").get_data(as_text=True)
    assert "You asked the scheme coordinators for support" in page

    # Asking again while a request is open creates nothing new.
    mentor.post("/mentor/support")
    db.session.expire_all()
    assert len(db.session.scalars(select(SupportRequest)).all()) == 1
    assert len(outbox) == 2

    listing = coordinator.get("/coordinator/mentor-support").get_data(as_text=True)
    assert "Dr Quietly Struggling" in listing
    [support_request] = db.session.scalars(select(SupportRequest)).all()
    url = f"/coordinator/mentor-support/{support_request.id}/handled"
    assert coordinator.post(url).status_code == 302
    db.session.expire_all()
    handled = db.session.get(SupportRequest, support_request.id)
    assert handled.handled_at is not None
    assert handled.handled_by_id == coordinator.user.id
    assert "Handled on" in coordinator.get("/coordinator/mentor-support").get_data(as_text=True)
    # Once handled, the mentor can ask again.
    assert "Ask the coordinators for support" in mentor.get("/mentor/supervision").get_data(
        as_text=True
    )
