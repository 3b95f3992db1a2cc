"""A national directory is shown a page at a time, most urgent first, filters kept across pages."""

from __future__ import annotations

import re

from mentoring.directory.models import Severity
from mentoring.directory.views import PER_PAGE
from tests.factories import make_support_service


def _names(page: str) -> list[str]:
    return re.findall(r'nhsuk-card__heading nhsuk-heading-m">([^<]+)<', page)


def _directory(db, urgent: int, everyday: int) -> None:
    for n in range(urgent):
        make_support_service(
            name=f"Urgent line {n:02d}", severity=Severity.URGENT, open_all_hours=True
        )
    for n in range(everyday):
        make_support_service(name=f"Everyday service {n:02d}", hours="Mon-Fri 09:00-17:00")
    db.session.commit()


def test_pages_of_twenty_most_urgent_first(login_as, db):
    _directory(db, urgent=3, everyday=PER_PAGE + 2)
    doctor = login_as()
    first = doctor.get("/support").get_data(as_text=True)
    assert _names(first)[:3] == ["Urgent line 00", "Urgent line 01", "Urgent line 02"]
    assert len(_names(first)) == PER_PAGE
    assert "Page 1 of 2" in first
    second = doctor.get("/support?page=2").get_data(as_text=True)
    assert _names(second) == [
        f"Everyday service {n:02d}" for n in range(PER_PAGE - 3, PER_PAGE + 2)
    ]
    assert set(_names(first)).isdisjoint(_names(second))


def test_a_page_past_the_end_shows_the_last_page(login_as, db):
    _directory(db, urgent=0, everyday=PER_PAGE + 1)
    response = login_as().get("/support?page=99")
    assert response.status_code == 200
    assert _names(response.get_data(as_text=True)) == [f"Everyday service {PER_PAGE:02d}"]


def test_filters_count_every_match_and_stay_on_the_next_page(login_as, db):
    _directory(db, urgent=2, everyday=PER_PAGE + 5)
    doctor = login_as()
    page = doctor.get("/support?when=out_of_hours").get_data(as_text=True)
    assert "2 services fit" in page
    assert _names(page) == ["Urgent line 00", "Urgent line 01"]
    everyday = doctor.get("/support?urgency=everyday").get_data(as_text=True)
    assert f"{PER_PAGE + 5} services fit" in everyday
    assert "urgency=everyday" in everyday and "page=2" in everyday
