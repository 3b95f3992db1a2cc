"""The support directory: coordinators keep it, everyone signed in finds what fits."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from mentoring.directory import queries
from mentoring.directory.models import OpeningWindow, Severity, SupportService
from mentoring.permissions import Role
from tests.factories import make_support_service

GOOD_ENTRY = {
    "name": "Night listening line",
    "description": "Someone to talk to.",
    "severity": "urgent",
    "kinds": ["emotional", "crisis"],
    "topics": ["stress", "mental_health"],
    "opening_hours": "Mon-Fri 18:00-24:00\nSat-Sun 00:00-24:00",
    "phone": "0300 123 4567",
    "is_internal": "external",
    "confidentiality": "Nobody at work is told.",
}


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_coordinator_adds_a_service(login_as, db):
    coordinator = login_as(Role.COORDINATOR)
    response = coordinator.post("/support/new", data=GOOD_ENTRY)
    assert response.status_code == 302
    service = db.session.scalar(select(SupportService))
    assert service.name == "Night listening line"
    assert service.severity == "urgent"
    assert sorted(service.topic_values) == ["mental_health", "stress"]
    assert len(service.openings) == 5 + 2
    page = coordinator.get("/support").get_data(as_text=True)
    assert "Night listening line added to the directory" in page
    assert "Monday-Friday 18:00-24:00" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"phone": ""}, "Give at least one way to reach the service"),
        ({"opening_hours": "Mon 17:00-09:00"}, "the hours end (09:00) before they start (17:00)"),
        ({"opening_hours": ""}, "Enter the opening hours, or tick"),
        ({"name": ""}, "Enter the name of the service"),
        ({"kinds": []}, "Choose at least one kind of problem"),
        ({"kinds": ["made_up"]}, "Choose only from the options shown"),
        ({"severity": "catastrophic"}, "Not a valid choice"),
        ({"website": "not a web address"}, "Enter a web address starting with https://"),
        ({"email": "nobody"}, "Enter an email address like name@example.org"),
    ],
)
def test_bad_entries_are_refused_with_a_message_and_nothing_stored(login_as, db, change, message):
    coordinator = login_as(Role.COORDINATOR)
    response = coordinator.post("/support/new", data={**GOOD_ENTRY, **change})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert message.replace("'", "&#39;") in page
    # What was typed is kept.
    assert "Someone to talk to." in page
    assert count(db, SupportService) == 0
    assert count(db, OpeningWindow) == 0


def test_open_all_hours_needs_no_hours(login_as, db):
    coordinator = login_as(Role.COORDINATOR)
    entry = {**GOOD_ENTRY, "opening_hours": "", "open_all_hours": "y"}
    assert coordinator.post("/support/new", data=entry).status_code == 302
    service = db.session.scalar(select(SupportService))
    assert service.open_all_hours and service.openings == []


def test_the_database_refuses_an_unreachable_service_or_backwards_hours(db):
    from sqlalchemy.exc import IntegrityError

    service = make_support_service()
    db.session.commit()
    service.phone = None
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(OpeningWindow(service_id=service.id, day=0, start_minute=600, end_minute=500))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_coordinator_changes_and_removes_a_service(login_as, db):
    service = make_support_service(name="Old name", hours="Mon-Fri 09:00-17:00")
    db.session.commit()
    coordinator = login_as(Role.COORDINATOR)
    form = coordinator.get(f"/support/{service.id}/edit").get_data(as_text=True)
    assert "Mon-Fri 09:00-17:00" in form
    response = coordinator.post(
        f"/support/{service.id}/edit", data={**GOOD_ENTRY, "name": "New name"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(SupportService, service.id).name == "New name"
    bad = coordinator.post(
        f"/support/{service.id}/edit", data={**GOOD_ENTRY, "opening_hours": "Tue 10:00-08:00"}
    )
    assert bad.status_code == 400
    db.session.expire_all()
    assert len(db.session.get(SupportService, service.id).openings) == 7
    assert coordinator.post(f"/support/{service.id}/delete").status_code == 302
    assert count(db, SupportService) == 0
    assert count(db, OpeningWindow) == 0


def test_doctors_cannot_change_the_directory(login_as, db):
    service = make_support_service()
    db.session.commit()
    doctor = login_as(Role.DOCTOR)
    assert doctor.post("/support/new", data=GOOD_ENTRY).status_code == 403
    assert doctor.post(f"/support/{service.id}/edit", data=GOOD_ENTRY).status_code == 403
    assert doctor.post(f"/support/{service.id}/delete").status_code == 403
    assert count(db, SupportService) == 1
    page = doctor.get("/support").get_data(as_text=True)
    assert "Add a service" not in page and f"/support/{service.id}/edit" not in page


@pytest.fixture
def directory(db):
    made = {
        "night": make_support_service(
            name="Night line", severity=Severity.URGENT, hours="Every day 20:00-24:00"
        ),
        "office": make_support_service(
            name="Office hours",
            severity=Severity.EVERYDAY,
            kinds=("work",),
            topics=("career_development",),
            hours="Mon-Fri 09:00-17:00",
        ),
        "always": make_support_service(
            name="Always there",
            severity=Severity.STRUGGLING,
            open_all_hours=True,
            hours="",
            topics=("bullying_harassment",),
        ),
    }
    db.session.commit()
    return made


def names(listings) -> list[str]:
    return [item.service.name for item in listings]


def test_search_orders_by_severity_and_filters(app, directory):
    tuesday_noon = datetime(2026, 11, 24, 12, 0)
    with app.test_request_context():
        assert names(queries.directory_search(now=tuesday_noon)) == [
            "Night line",
            "Always there",
            "Office hours",
        ]
        assert names(queries.directory_search(when="open_now", now=tuesday_noon)) == [
            "Always there",
            "Office hours",
        ]
        assert names(queries.directory_search(when="out_of_hours", now=tuesday_noon)) == [
            "Night line",
            "Always there",
        ]
        assert names(queries.directory_search(about="work", now=tuesday_noon)) == ["Office hours"]
        assert names(queries.directory_search(about="bullying_harassment")) == ["Always there"]
        assert names(queries.directory_search(severity="urgent")) == ["Night line"]


def test_filters_come_from_the_query_string(login_as, directory):
    doctor = login_as(Role.DOCTOR)
    page = doctor.get("/support?when=out_of_hours").get_data(as_text=True)
    assert "Night line" in page and "Always there" in page and "Office hours" not in page
    assert "2 services fit" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("about=astrology", "Choose what it is about from the list"),
        ("urgency=very", "Choose how urgent it is from the list"),
        ("when=yesterday", "Choose when you need it from the list"),
    ],
)
def test_invalid_filters_get_a_clear_message(login_as, directory, query, message):
    response = login_as(Role.DOCTOR).get(f"/support?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert "Night line" in page  # the other filters (none here) still apply


def test_poster_is_ordered_by_severity(login_as, directory):
    page = login_as(Role.DOCTOR).get("/support/poster").get_data(as_text=True)
    assert page.index("Night line") < page.index("Always there") < page.index("Office hours")
    assert "Print this poster" in page
    assert "Example directory" not in page


def test_example_entries_carry_a_banner(login_as, db):
    make_support_service(name="Example: Listening line")
    db.session.commit()
    doctor = login_as(Role.DOCTOR)
    for path in ("/support", "/support/poster"):
        assert "Example directory" in doctor.get(path).get_data(as_text=True)


def test_the_example_banner_is_about_the_whole_directory(login_as, db):
    """Whether the directory holds examples is read with the page's rows, but for the whole
    directory: a page or filter without the example keeps the banner, and it goes with the
    example."""
    example = make_support_service(name="Example: Listening line", severity=Severity.EVERYDAY)
    make_support_service(name="Night line", severity=Severity.URGENT)
    db.session.commit()
    doctor = login_as(Role.DOCTOR)
    for path in ("/support", "/support?urgency=urgent", "/support?urgency=struggling"):
        page = doctor.get(path).get_data(as_text=True)
        assert "Example directory" in page, path
    assert "Example: Listening line" not in doctor.get("/support?urgency=urgent").get_data(
        as_text=True
    )
    assert "No service fits" in doctor.get("/support?urgency=struggling").get_data(as_text=True)
    coordinator = login_as(Role.COORDINATOR)
    assert coordinator.post(f"/support/{example.id}/delete").status_code == 302
    for path in ("/support", "/support?urgency=urgent", "/support?urgency=struggling"):
        assert "Example directory" not in doctor.get(path).get_data(as_text=True), path


def test_a_changed_service_shows_its_new_text_at_once(login_as, db):
    service = make_support_service(name="Old name", kinds=("work",), topics=("career_choice",))
    db.session.commit()
    doctor = login_as(Role.DOCTOR)
    assert "Old name" in doctor.get("/support?about=career_choice").get_data(as_text=True)
    coordinator = login_as(Role.COORDINATOR)
    response = coordinator.post(
        f"/support/{service.id}/edit",
        data={**GOOD_ENTRY, "name": "New <name>", "description": "Now at night & weekends."},
    )
    assert response.status_code == 302
    page = doctor.get("/support").get_data(as_text=True)
    assert "New &lt;name&gt;" in page and "Now at night &amp; weekends." in page
    assert "Old name" not in page
    # what it helps with is now the form's, and the filters follow at once
    assert "New &lt;name&gt;" in doctor.get("/support?about=mental_health").get_data(as_text=True)
    assert "No service fits" in doctor.get("/support?about=career_choice").get_data(as_text=True)
    assert "Change<span" not in page
    assert f"/support/{service.id}/edit" in coordinator.get("/support").get_data(as_text=True)


def test_a_doctor_after_a_coordinator_gets_no_links_to_change(login_as, db):
    service = make_support_service(name="Night line")
    db.session.commit()
    coordinator = login_as(Role.COORDINATOR)
    doctor = login_as(Role.DOCTOR)
    for _ in range(2):
        assert f"/support/{service.id}/edit" in coordinator.get("/support").get_data(as_text=True)
        page = doctor.get("/support").get_data(as_text=True)
        assert "Night line" in page and f"/support/{service.id}/edit" not in page
