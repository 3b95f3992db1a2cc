"""Listings are read as plain rows, and read exactly as the services they come from.

The directory and the check-in result page show services from `service_cards` (their columns,
then their kinds, topics and hours in one statement), not from ORM objects, kept by each process
under the directory's version (`kept_directory`). Each listing must render as the service object
itself would, a page must cost the same statements however many services it shows, and every
change to the directory must be seen by the next request, in any process.
"""

from __future__ import annotations

from flask import render_template_string
from sqlalchemy import event, select

from mentoring.directory import queries
from mentoring.directory.models import Severity, SupportService
from mentoring.directory.opening import Window, describe, is_open_at, is_open_out_of_hours
from mentoring.extensions import db as _db
from mentoring.permissions import Role
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
    html = render_template_string(
        '{% from "directory/_listing.html" import listings %}{{ listings([item], 3, True) }}',
        item=item,
    )
    assert item.service.name in html and f"/support/{item.service.id}/edit" in html
    return html


def test_every_listing_renders_as_its_service_object(app, db):
    _varied(db)
    with app.test_request_context("/support"):
        now = queries.local_now()
        listings = queries.kept_directory().listings(now)
        objects = {s.id: s for s in _db.session.scalars(select(SupportService))}
        assert sorted(item.service.id for item in listings) == sorted(objects)
        for listing in listings:
            card = listing.service
            assert _rendered(listing) == _rendered(_as_object(objects[card.id], now))
            assert list(card.kind_values) == objects[card.id].kind_values
            assert list(card.topic_values) == objects[card.id].topic_values
        # Most urgent first, then by name whatever its case.
        assert [item.service.name for item in listings] == [
            "Always there",
            "Night line",
            "office hours",
            "Everyday",
        ]


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


def test_the_directory_page_takes_two_statements_signed_in(app, db, login_as):
    """The person, and the directory's version: the services are read again only when it moved."""
    make_support_service(name="First", kinds=("emotional",), topics=("stress",))
    db.session.commit()
    doctor = login_as()
    assert _statements(app, doctor, "/support")[0] == 3  # the version moved: read it all again
    statements, page = _statements(app, doctor, "/support")
    assert statements == 2
    assert "First" in page
    statements, page = _statements(app, doctor, "/support?about=stress&when=out_of_hours")
    assert statements == 2


def _token(db):
    from mentoring.directory.models import DirectoryVersion

    return db.session.scalar(select(DirectoryVersion.token))


def test_every_change_to_the_directory_moves_its_version(app, db, login_as):
    """Added, changed and removed through the pages, and a topic, kind or opening hours written
    on its own: each writes a new version in its own transaction, and the next page shows it."""
    from mentoring.directory.models import OpeningWindow, SupportServiceKind, SupportServiceTopic

    coordinator = login_as(Role.COORDINATOR)
    doctor = login_as()
    seen = {_token(db)}

    def moved() -> None:
        db.session.rollback()  # see what the pages committed
        token = _token(db)
        assert token is not None and token not in seen
        seen.add(token)

    assert "Quiet line" not in doctor.get("/support").get_data(as_text=True)
    form = {
        "name": "Quiet line",
        "description": "Listens.",
        "severity": "struggling",
        "kinds": "emotional",
        "opening_hours": "Mon-Fri 09:00-17:00",
        "phone": "0800 000 111",
        "is_internal": "external",
        "confidentiality": "Nobody at work is told.",
    }
    assert coordinator.post("/support/new", data=form).status_code == 302
    moved()
    assert "Quiet line" in doctor.get("/support").get_data(as_text=True)
    service = db.session.scalar(select(SupportService))
    edit = {**form, "name": "Quiet line, now also by text"}
    assert coordinator.post(f"/support/{service.id}/edit", data=edit).status_code == 302
    moved()
    assert "now also by text" in doctor.get("/support").get_data(as_text=True)
    for part in (
        SupportServiceTopic(service_id=service.id, topic="stress"),
        SupportServiceKind(service_id=service.id, kind="work"),
        OpeningWindow(service_id=service.id, day=5, start_minute=600, end_minute=720),
    ):
        db.session.add(part)
        db.session.commit()
        moved()
    page = doctor.get("/support?about=stress&when=out_of_hours").get_data(as_text=True)
    assert "Quiet line" in page and "Saturday 10:00-12:00" in page
    assert coordinator.post(f"/support/{service.id}/delete").status_code == 302
    moved()
    assert "Quiet line" not in doctor.get("/support").get_data(as_text=True)


def test_a_change_made_by_one_instance_is_seen_by_another_at_its_next_request(
    app, db, database_url, login_as
):
    """Each instance keeps the directory for itself; the version both read tells each when the
    other changed it, so a coordinator's change reaches every doctor at once."""
    from mentoring import create_app

    other = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    service = make_support_service(name="Before", hours="Every day 00:00-24:00")
    db.session.commit()

    def other_instance_lists() -> list[str]:
        with other.test_request_context("/support"):
            names = [item.service.name for item in queries.directory_search()]
            _db.session.remove()
            return names

    assert other_instance_lists() == ["Before"]  # and the other instance keeps it now
    assert other_instance_lists() == ["Before"]
    edit = login_as(Role.COORDINATOR).post(
        f"/support/{service.id}/edit",
        data={
            "name": "After",
            "description": "Listens.",
            "severity": "everyday",
            "kinds": "emotional",
            "open_all_hours": "y",
            "phone": "0800 000 111",
            "is_internal": "external",
            "confidentiality": "Nobody at work is told.",
        },
    )
    assert edit.status_code == 302
    assert other_instance_lists() == ["After"]


def test_kept_listings_follow_the_clock_the_reader_and_the_service(app, db):
    """A listing's markup is kept for everything it shows: what is open now, who reads it and
    what the service says now each give their own, and the kept one is the one rendered."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from mentoring.directory.views import directory_listings

    make_support_service(name="Weekday line", hours="Mon-Fri 09:00-17:00")
    db.session.commit()
    london = ZoneInfo("Europe/London")
    monday_noon = datetime(2026, 11, 30, 12, 0, tzinfo=london)
    monday_night = datetime(2026, 11, 30, 22, 0, tzinfo=london)
    macro = '{% from "directory/_listing.html" import listings %}{{ listings(items, 3, manage) }}'
    with app.test_request_context("/support"):
        (card,) = queries.service_cards()

        def listing_for(card, now):
            (listing,) = queries.KeptDirectory(None, [card]).listings(now)
            return listing

        for _ in range(2):  # rendered, then kept
            day = directory_listings([listing_for(card, monday_noon)], 3, False)
            night = directory_listings([listing_for(card, monday_night)], 3, False)
            managed = directory_listings([listing_for(card, monday_noon)], 3, True)
            assert "Open now" in day and "Closed now" not in day
            assert "Closed now" in night and "Open now" not in night
            assert "/edit" not in day and f"/support/{card.id}/edit" in managed
        items = [listing_for(card, monday_noon)]
        assert day == render_template_string(macro, items=items, manage=False)
        renamed = card._replace(name="Weekday <line>", description="Now also by text.")
        changed = directory_listings([listing_for(renamed, monday_noon)], 3, False)
        assert "Weekday &lt;line&gt;" in changed and "Now also by text." in changed
        assert "Listens and helps." not in changed


# --- the check-in result: which services fit ----------------------------------------------------

HOSTILE = '<script>alert("x")</script> & "quotes"'


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
            groups = queries.services_for_check_in_by_severity(
                severities=severities, topics=chosen, now=now
            )
            fitting = [item for _severity, items in groups for item in items]
            expected = {card.id for card in every if _fits_as_it_did(card, set(chosen))}
            assert {item.service.id for item in fitting} == expected, chosen


def test_the_check_in_result_orders_each_severity_as_it_did(app, db):
    """Each severity's services put in order once a minute, then those that fit chosen: the same
    services in the same order as choosing from every service and sorting what fits."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    _varied(db)
    for name, severity in (("b urgent", Severity.URGENT), ("A struggling", Severity.STRUGGLING)):
        make_support_service(name=name, severity=severity, hours="Mon-Fri 09:00-17:00")
    make_support_service(name="a urgent", severity=Severity.URGENT, hours="Sat 10:00-11:00")
    db.session.commit()
    monday = datetime(2026, 3, 2, 8, 30, tzinfo=ZoneInfo(app.config["TIMEZONE"]))
    with app.test_request_context("/check-in"):
        for now in (monday + timedelta(hours=h) for h in (0, 2, 12, 16, 24 * 5 + 2)):
            every = queries.kept_directory().listings(now)
            for severities in (list(Severity), [Severity.STRUGGLING, Severity.URGENT]):
                order = {severity: index for index, severity in enumerate(severities)}
                for chosen in ([], ["stress"], ["workload", "morale"], ["negative_thoughts"]):
                    expected = sorted(
                        (
                            item
                            for item in every
                            if item.severity in order and _fits_as_it_did(item.service, set(chosen))
                        ),
                        key=lambda item: (
                            order[item.severity],
                            not item.open_now,
                            not item.out_of_hours,
                            item.service.name.lower(),
                        ),
                    )
                    groups = queries.services_for_check_in_by_severity(
                        severities=severities, topics=chosen, now=now
                    )
                    assert [severity for severity, _items in groups] == severities
                    flat = [item for _severity, items in groups for item in items]
                    assert flat == expected, (now, severities, chosen)
                    assert all(item.severity is s for s, items in groups for item in items)


def test_kept_page_blocks_are_the_page_and_hold_nothing_of_the_reader(app, db, login_as):
    """The directory's page block is kept for everything it shows: each reader still gets their
    own header, token and nonce around it; a coordinator's block (with links to change services)
    is never a doctor's; a refused filter is never kept; and a change to the directory starts
    afresh."""
    import re

    make_support_service(name="Kept line", kinds=("emotional",), topics=("stress",))
    db.session.commit()
    doctor = login_as(display_name="Dr Quill Tester")
    coordinator = login_as(Role.COORDINATOR, display_name="Coordinator Wren")

    def page(client, path: str, status: int = 200) -> str:
        response = client.get(path)
        assert response.status_code == status
        return response.get_data(as_text=True)

    first, again = page(doctor, "/support?about=stress"), page(doctor, "/support?about=stress")
    token = re.compile(r'value="[^"]+" name="csrf_token"|name="csrf_token"[^>]*value="[^"]+"')
    nonce = re.compile(r'nonce="[^"]+"')
    assert nonce.sub("", token.sub("", first)) == nonce.sub("", token.sub("", again))
    assert "Kept line" in again and "Dr Quill Tester" in again
    with app.test_request_context("/support"):
        blocks = queries.kept_directory().pages
    assert blocks, "the page block is kept"
    for block in blocks.values():
        assert "csrf_token" not in block and "nonce" not in block
        assert "Dr Quill Tester" not in block and "Coordinator Wren" not in block
    managed = page(coordinator, "/support?about=stress")
    assert "Coordinator Wren" in managed and "/edit" in managed
    assert "/edit" not in page(doctor, "/support?about=stress")
    refused = page(doctor, "/support?about=made-up", status=400)
    assert "Choose what it is about from the list" in refused
    with app.test_request_context("/support"):
        kept = queries.kept_directory()
    assert not any("made-up" in key for key in kept.pages)
    make_support_service(name="Another line", topics=("stress",))
    db.session.commit()
    assert "Another line" in page(doctor, "/support?about=stress")
    with app.test_request_context("/support"):
        assert queries.kept_directory() is not kept
