"""Listings are read as plain rows, and read exactly as the services they come from.

The directory and the check-in result page show services from `service_cards` (their columns,
then their kinds, topics and hours in one statement), not from ORM objects. Each listing must
render as the service object itself would, and a page must cost the same statements however many
services it shows.
"""

from __future__ import annotations

from flask import render_template
from sqlalchemy import event, select

from mentoring.directory import queries
from mentoring.directory.models import Severity, SupportService
from mentoring.directory.opening import Window, describe, is_open_at, is_open_out_of_hours
from mentoring.extensions import db as _db
from mentoring.permissions import Permission
from tests.factories import make_support_service


def _varied(db) -> None:
    make_support_service(
        name="Night line",
        severity=Severity.URGENT,
        kinds=("crisis", "emotional"),
        hours="Mon-Sun 18:00-24:00\nMon-Sun 00:00-08:00",
        phone="0800 111 222",
        email="help@example.org",
    )
    make_support_service(
        name="Always there",
        severity=Severity.URGENT,
        kinds=("emotional",),
        topics=("bullying_harassment", "stress", "work_life_balance", "morale"),
        open_all_hours=True,
        hours="",
        website="https://example.org/always",
        self_referral="Fill in the form on the website",
    )
    make_support_service(
        name="office hours",
        severity=Severity.STRUGGLING,
        kinds=("work", "colleagues", "money_legal"),
        topics=("workload", "career_choice"),
        hours="Tue 13:00-17:00\nMon 09:00-12:30",
        is_internal=True,
    )
    make_support_service(name="Everyday", kinds=("health",), topics=("assessments_education",))
    db.session.commit()


def _as_object(service: SupportService, now) -> queries.Listing:
    """The listing as it was built from the ORM object and its relationships."""
    windows = [Window(o.day, o.start_minute, o.end_minute) for o in service.openings]
    return queries.Listing(
        service=service,
        open_now=is_open_at(windows, service.open_all_hours, now),
        out_of_hours=is_open_out_of_hours(windows, service.open_all_hours),
        hours=["24 hours a day, 7 days a week"] if service.open_all_hours else describe(windows),
    )


def _rendered(item: queries.Listing) -> str:
    return render_template("directory/_listing.html", item=item, heading_level=3)


def test_every_listing_renders_as_its_service_object(app, db):
    _varied(db)
    with app.test_request_context("/support"):
        now = queries.local_now()
        cards = queries.service_cards()
        objects = {s.id: s for s in _db.session.scalars(select(SupportService))}
        assert sorted(card.id for card in cards) == sorted(objects)
        for card in cards:
            listing = queries.listing_for(card, now)
            assert _rendered(listing) == _rendered(_as_object(objects[card.id], now))
            assert card.kind_values == objects[card.id].kind_values
            assert card.topic_values == objects[card.id].topic_values


def _statements(app, client, path: str) -> tuple[int, str]:
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    with app.app_context():
        engine = _db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(statements), response.get_data(as_text=True)


def test_the_directory_reads_the_same_however_many_services(app, db, login_as):
    make_support_service(
        name="First", kinds=("emotional", "work"), topics=("stress",), open_all_hours=True, hours=""
    )
    db.session.commit()
    doctor = login_as()
    paths = ("/support", "/support?when=out_of_hours", "/support?about=stress", "/support/poster")
    few = {path: _statements(app, doctor, path)[0] for path in paths}
    for n in range(12):
        make_support_service(
            name=f"More {n:02d}",
            kinds=("emotional", "health"),
            topics=("stress", "assessments_education"),
            hours="Mon-Fri 09:00-17:00\nSat 10:00-22:00",
        )
    db.session.commit()
    for path in paths:
        many, page = _statements(app, doctor, path)
        assert many == few[path], path
        assert "More 11" in page


def test_the_check_in_result_reads_the_same_however_many_services(app, db, login_as):
    from tests.functional.test_checkins import check_in_data

    make_support_service(name="First", topics=("stress",))
    db.session.commit()
    data = check_in_data(topics=["stress"])

    def result() -> tuple[int, str]:
        statements: list[str] = []

        def count(_conn, _cursor, statement, *_args) -> None:
            statements.append(statement)

        doctor = login_as()
        with app.app_context():
            engine = _db.engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            response = doctor.post("/check-in", data=data)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert response.status_code == 200
        return len(statements), response.get_data(as_text=True)

    few, page = result()
    assert "First" in page
    for n in range(12):
        make_support_service(name=f"More {n:02d}", topics=("stress", "assessments_education"))
    make_support_service(name="Other topic only", topics=("career_choice",))
    db.session.commit()
    many, page = result()
    assert many == few
    assert "More 11" in page and "Other topic only" not in page


# --- the check-in result's listings: a macro, the same markup ------------------------------------

HOSTILE = '<script>alert("x")</script> & "quotes"'

THROUGH_MACRO = """{% from "macros/listing.html" import listing %}
{{ listing(item, 4, current_user.can(Permission.MANAGE_DIRECTORY)) }}"""
THROUGH_INCLUDE = """{% set heading_level = 4 %}{% include "directory/_listing.html" %}"""


def _normalised(html: str) -> str:
    from tests.unit.core.test_form_markup import normalised

    return normalised(html)


def _hostile(db) -> None:
    service = make_support_service(
        name=HOSTILE,
        severity=Severity.STRUGGLING,
        kinds=("work",),
        topics=("stress",),
        hours="Mon 09:00-12:30",
        phone="0800 <b>1</b>",
        website='https://example.org/?a=1&b="2"',
        email='help"@example.org',
        self_referral=HOSTILE,
        is_internal=True,
    )
    service.description = HOSTILE
    service.confidentiality = HOSTILE
    db.session.commit()


def test_the_listing_macro_writes_the_listing_templates_markup(app, db):
    """The check-in result page lists services through `macros/listing.html`; each must read as
    `directory/_listing.html` renders it (the directory's), for a reader who may change the
    directory and one who may not, open and closed, hostile text included."""
    from flask import render_template_string
    from flask_login import login_user

    from mentoring.permissions import Role
    from tests.factories import make_user

    _varied(db)
    _hostile(db)
    readers = [make_user(roles=[Role.DOCTOR]), make_user(roles=[Role.COORDINATOR])]
    db.session.commit()
    for reader in readers:
        for now in (queries.local_now(), queries.local_now().replace(hour=3)):
            with app.test_request_context("/check-in"):
                login_user(reader)
                for card in queries.service_cards():
                    item = queries.listing_for(card, now)
                    ours = render_template_string(THROUGH_MACRO, item=item)
                    theirs = render_template_string(THROUGH_INCLUDE, item=item)
                    assert _normalised(ours) == _normalised(theirs)
                    assert "<script>" not in ours and "<b>" not in ours
                    assert ("Change<span" in ours) is reader.can(Permission.MANAGE_DIRECTORY)


def _fits_as_it_did(card, chosen: set[str]) -> bool:
    """A service fits if it helps with any topic, or with one of those chosen (or none was)."""
    return not card.topic_values or not chosen or bool(chosen & set(card.topic_values))


def test_the_check_in_result_shows_the_services_that_fit_the_topics(app, db):
    _varied(db)
    _hostile(db)
    make_support_service(name="Stress only", topics=("stress",))
    db.session.commit()
    severities = list(Severity)
    with app.test_request_context("/check-in"):
        now = queries.local_now()
        every = queries.service_cards()
        for chosen in ([], ["stress"], ["workload", "morale"], ["negative_thoughts"]):
            fitting = queries.services_for_check_in(severities=severities, topics=chosen, now=now)
            expected = {card.id for card in every if _fits_as_it_did(card, set(chosen))}
            assert {item.service.id for item in fitting} == expected, chosen
