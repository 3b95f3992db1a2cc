"""Check-ins: one a week, refused politely when bad, and unlinkable to the person who made them."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, func, inspect, select, text
from sqlalchemy.exc import OperationalError

from mentoring.checkins.models import CheckIn, CheckInReceipt, CheckInTopic, PendingCheckIn
from mentoring.directory.models import Severity
from mentoring.permissions import Role
from tests.conftest import is_postgresql
from tests.factories import make_support_service, make_user

ANSWERS = {f"item_{n}": "3" for n in range(1, 6)}  # 15 x 4 = 60
ORGANISATION = "Example Acute Hospitals NHS Trust"
GROUPS = {
    "career_stage_group": "training",
    "specialty_group": "medical",
    "organisation": ORGANISATION,
}


def check_in_data(**changes) -> dict:
    return {**ANSWERS, **GROUPS, **changes}


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def recorded(db) -> int:
    """Check-ins stored: released ones, and those waiting, sealed, for their week to close."""
    return count(db, CheckIn) + count(db, PendingCheckIn)


def nothing_stored(db) -> bool:
    return recorded(db) == count(db, CheckInReceipt) == count(db, CheckInTopic) == 0


def close_this_week(app, db) -> int:
    """Close the current week as `flask checkins close-weeks` will once it is over."""
    from mentoring.checkins.services import check_in_weeks_close
    from mentoring.directory.queries import local_now

    db.session.commit()  # the test's own reads see the week closed afterwards
    with app.test_request_context():
        released = check_in_weeks_close(today=local_now().date() + timedelta(weeks=1))
        db.session.commit()
    return released


# --- submitting -----------------------------------------------------------------------------------


def test_a_check_in_shows_the_score_and_stores_only_coarse_answers(login_as, db, app):
    doctor = login_as(Role.DOCTOR)
    response = doctor.post("/check-in", data=check_in_data(topics=["stress", "workload"]))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Your well-being score is <strong>60 out of 100</strong>" in page
    # Until the week is over it is kept sealed; then it is an anonymous check-in like any other.
    assert (count(db, CheckIn), count(db, PendingCheckIn)) == (0, 1)
    assert close_this_week(app, db) == 1
    check_in = db.session.scalar(select(CheckIn))
    assert check_in.raw_score == 15 and check_in.score == 60
    assert check_in.career_stage_group == "training"
    assert sorted(t.topic for t in check_in.topics) == ["stress", "workload"]
    assert count(db, CheckInReceipt) == 1
    # The score reaches no URL, session or flash message.
    assert response.headers.get("Location") is None
    with doctor.session_transaction() as session:
        # The session clock (signed_in_at, ...) is the sign-in's, set before the check-in.
        clock = {"signed_in_at", "last_seen_at", "reauthenticated_at"}
        assert set(session.keys()) <= {"_user_id", "_fresh", "_id", "csrf_token", *clock}


def test_the_form_shows_who5_as_published(login_as):
    page = login_as(Role.DOCTOR).get("/check-in").get_data(as_text=True)
    assert "Over the last two weeks" in page
    for statement in ("I woke up feeling fresh and rested", "More than half of the time"):
        assert statement in page
    assert "Prefer not to say" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"item_2": None}, "Choose an answer for &#39;I have felt calm and relaxed&#39;"),
        ({"item_3": "6"}, "Choose one of the six answers for &#39;I have felt active and vigorous"),
        ({"item_4": "-1"}, "Choose one of the six answers for &#39;I woke up feeling fresh"),
        ({"item_5": "lots"}, "Choose one of the six answers for &#39;My daily life"),
        ({"career_stage_group": "consultant_cardiologist"}, "Choose your career stage from the"),
        ({"career_stage_group": None}, "Choose your career stage, or &#39;Prefer not to say&#39;"),
        ({"specialty_group": "cardiology"}, "Choose your specialty group from the list shown"),
        ({"organisation": "St Elsewhere"}, "Choose your organisation from the list shown"),
        ({"organisation": ""}, "Choose your organisation, or"),
        ({"topics": ["stress", "forged"]}, "Choose only from the options shown"),
    ],
)
def test_bad_input_is_refused_clearly_and_nothing_is_stored(login_as, db, change, message):
    data = {key: value for key, value in check_in_data(**change).items() if value is not None}
    response = login_as(Role.DOCTOR).post("/check-in", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert message in page
    assert nothing_stored(db)


def test_a_check_in_is_taken_only_with_its_csrf_token_when_csrf_is_on(
    login_as, db, app, monkeypatch
):
    """A check-in whose answers are all good is read without making the form, but only after the
    site-wide CSRF check has passed: without the token, or with a forged one, nothing is stored."""
    doctor = login_as(Role.DOCTOR)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    for token in ({}, {"csrf_token": "forged-" * 6}):
        response = doctor.post("/check-in", data={**check_in_data(), **token})
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert "The form had expired or was sent from somewhere else" in page
        assert "out of 100" not in page
    assert nothing_stored(db)
    form = doctor.get("/check-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    response = doctor.post("/check-in", data={**check_in_data(), "csrf_token": token})
    assert response.status_code == 200
    assert "Your well-being score is <strong>60 out of 100</strong>" in response.get_data(
        as_text=True
    )
    assert recorded(db) == count(db, CheckInReceipt) == 1


def test_the_result_pages_kept_parts_are_what_the_templates_render(app, login_as):
    """The parts of the result page kept for every check-in (its band's words, the own-trend
    section around the score and week, two links) are the templates' own output."""
    from flask import url_for

    from mentoring.checkins import views, who5

    with app.test_request_context("/check-in"):
        parts = views._result_parts()
        assert views._result_parts() is parts  # kept
        trend = app.jinja_env.get_template("checkins/_own_trend.html")
        for score, week in ((0, "2026-W01"), (44, "2026-W49"), (100, "2027-W52")):
            kept = parts.own_trend(score, week)
            assert kept == trend.render(score=score, week_label=week)
            assert f'data-score="{score}" data-week="{week}"' in kept
        band = app.jinja_env.get_template("checkins/_result_band.html")
        for each in who5.Band:
            assert parts.band_texts[each] == band.render(band=each, Band=who5.Band)
        assert "Please talk to someone soon" in parts.band_texts[who5.Band.VERY_LOW]
        assert parts.directory_url == url_for("directory.services_list")
        assert parts.own_trend_script == url_for("static", filename="js/own-trend.js")
    page = login_as(Role.DOCTOR).post("/check-in", data=check_in_data()).get_data(as_text=True)
    assert 'data-score="60" data-week="' in page
    assert f'<a href="{parts.directory_url}">See the whole support directory</a>' in page


def test_prefer_not_to_say_is_accepted_for_every_group(login_as, db, app):
    data = check_in_data(
        career_stage_group="not_said", specialty_group="not_said", organisation="not_said"
    )
    assert login_as(Role.DOCTOR).post("/check-in", data=data).status_code == 200
    close_this_week(app, db)
    assert db.session.scalar(select(CheckIn.organisation)) == "not_said"


def test_a_second_check_in_in_the_same_week_is_refused_politely(login_as, db):
    doctor = login_as(Role.DOCTOR)
    assert doctor.post("/check-in", data=check_in_data()).status_code == 200
    # The same POST replayed, and a different second one.
    replay = doctor.post("/check-in", data=check_in_data())
    second = doctor.post("/check-in", data=check_in_data(item_1="0"))
    for response in (replay, second):
        assert response.status_code == 409
        assert "You have already checked in this week" in response.get_data(as_text=True)
    assert recorded(db) == count(db, CheckInReceipt) == 1
    page = doctor.get("/check-in")
    assert page.status_code == 200
    assert "You have already checked in this week" in page.get_data(as_text=True)


def test_a_second_submission_that_passed_the_look_up_writes_nothing(app, db):
    """Two submissions at once both pass the page's look-up (`check_in_standing`): the receipt's key
    lets one through, and the other is refused before it writes anything, sealed row included."""
    from datetime import date

    from mentoring.checkins import services
    from mentoring.core import unit_of_work

    person = make_user()
    db.session.commit()
    kwargs = dict(user=person, day=date(2026, 11, 24), answers=[3] * 5, topics=[], **GROUPS)
    services.check_in_submit(**kwargs)
    unit_of_work.commit()
    try:
        with pytest.raises(services.AlreadyCheckedIn):
            services.check_in_submit(**kwargs)
        assert count(db, PendingCheckIn) == count(db, CheckInReceipt) == 1  # in its transaction
    finally:
        unit_of_work.rollback()
    assert recorded(db) == count(db, CheckInReceipt) == 1


@contextmanager
def watched(engine) -> Iterator[dict]:
    """The statements sent and the connections taken from the pool meanwhile."""
    seen: dict = {"statements": [], "connections": 0}

    def statement(_conn, _cursor, sql, *_args) -> None:
        seen["statements"].append(" ".join(sql.split()))

    def checkout(*_args) -> None:
        seen["connections"] += 1

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine.pool, "checkout", checkout)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine.pool, "checkout", checkout)


def test_a_check_in_takes_one_connection_and_reads_the_person_and_receipt_once(login_as, db):
    doctor = login_as(Role.DOCTOR)
    make_support_service(name="Peer support", topics=("stress",))
    db.session.commit()
    with watched(db.engine) as seen:
        response = doctor.post("/check-in", data=check_in_data(topics=["stress"]))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "60 out of 100" in page and "Peer support" in page
    assert seen["connections"] == 1  # the person is not read again, on a second connection

    def reads(table: str) -> list[str]:
        return [s for s in seen["statements"] if s.startswith("SELECT") and f"FROM {table} " in s]

    assert len(reads("user_account")) == 1
    assert len(reads("wellbeing_check_in_receipt")) == 1
    # The directory's version is read with the receipt, in the same statement, not on its own.
    versions = [s for s in seen["statements"] if "FROM directory_version" in s]
    assert versions == reads("wellbeing_check_in_receipt")
    writes = [s.split(" (")[0] for s in seen["statements"] if not s.startswith("SELECT")]
    assert writes == [
        "INSERT INTO wellbeing_check_in_receipt",
        "INSERT INTO wellbeing_check_in_pending",
    ]
    assert count(db, CheckInReceipt) == count(db, PendingCheckIn) == 1


def test_a_check_in_whose_commit_fails_is_not_shown_as_done(login_as, db):
    """The result page is rendered before the commit: if the commit fails, the person sees the
    error page, never their score, and nothing is stored."""
    doctor = login_as(Role.DOCTOR)
    written = []

    def remember(_conn, _cursor, sql, *_args) -> None:
        if sql.startswith("INSERT INTO wellbeing_check_in_pending"):
            written.append(sql)

    def fail(_session) -> None:
        if written:
            raise OperationalError("COMMIT", {}, Exception("the disk is full"))

    event.listen(db.engine, "before_cursor_execute", remember)
    event.listen(db.session, "before_commit", fail)
    try:
        response = doctor.post("/check-in", data=check_in_data())
    finally:
        event.remove(db.session, "before_commit", fail)
        event.remove(db.engine, "before_cursor_execute", remember)
    page = response.get_data(as_text=True)
    assert written
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    assert "out of 100" not in page and "Support that fits" not in page
    assert nothing_stored(db)
    assert doctor.post("/check-in", data=check_in_data()).status_code == 200  # and may try again


def test_a_new_week_allows_a_new_check_in(app, db):
    from datetime import date

    from mentoring.checkins import services
    from mentoring.core import unit_of_work

    person = make_user()
    db.session.commit()
    for day in (date(2026, 11, 22), date(2026, 11, 23)):  # Sunday, then Monday: a new ISO week
        services.check_in_submit(user=person, day=day, answers=[2] * 5, topics=[], **GROUPS)
        unit_of_work.commit()
    assert db.session.scalars(select(CheckInReceipt.iso_week).order_by("iso_week")).all() == [
        47,
        48,
    ]


# --- unlinkable -----------------------------------------------------------------------------------

IDENTIFYING = {
    "user",
    "account",
    "email",
    "ip",
    "address",
    "agent",
    "session",
    "created",
    "updated",
    "time",
    "date",
    "at",
}


def test_the_check_in_tables_have_no_identifying_column(db):
    inspector = inspect(db.engine)
    for table in ("wellbeing_check_in", "wellbeing_check_in_topic"):
        columns = {column["name"] for column in inspector.get_columns(table)}
        assert not {name for name in columns if set(name.lower().split("_")) & IDENTIFYING}, table
        assert not [
            fk
            for fk in inspector.get_foreign_keys(table)
            if fk["referred_table"] != "wellbeing_check_in"
        ]
    assert {c["name"] for c in inspector.get_columns("wellbeing_check_in")} == {
        "id",
        "iso_year",
        "iso_week",
        "career_stage_group",
        "specialty_group",
        "organisation",
        "item_1",
        "item_2",
        "item_3",
        "item_4",
        "item_5",
        "raw_score",
    }
    # The receipt says who and which week, nothing more: no key, no time, no answer.
    assert {c["name"] for c in inspector.get_columns("wellbeing_check_in_receipt")} == {
        "user_id",
        "iso_year",
        "iso_week",
    }


def test_nothing_in_the_database_or_logs_ties_a_check_in_to_a_person(login_as, db, app, caplog):
    doctors = [login_as(Role.DOCTOR) for _ in range(5)]
    caplog.set_level(logging.DEBUG)
    for number, doctor in enumerate(doctors):
        data = check_in_data(item_1=str(number), topics=["stress"] if number % 2 else [])
        assert doctor.post("/check-in", data=data).status_code == 200
    # The submit path logs nothing at all.
    assert [
        r for r in caplog.records if r.name.startswith(("mentoring", "flask", "werkzeug"))
    ] == []

    assert count(db, PendingCheckIn) == count(db, CheckInReceipt) == 5
    assert count(db, CheckIn) == 0  # nothing readable until the week is over
    assert close_this_week(app, db) == 5
    assert count(db, CheckIn) == 5 and count(db, PendingCheckIn) == 0
    ids = db.session.scalars(select(CheckIn.id)).all()
    assert all(isinstance(key, uuid.UUID) and key.version == 4 for key in ids)
    people = {doctor.user.id for doctor in doctors}
    assert set(db.session.scalars(select(CheckInReceipt.user_id))) == people
    # No text in a check-in row names a person (numbers are only answers, score, year and week).
    person_values = set()
    for doctor in doctors:
        user = doctor.user
        person_values |= {user.email, user.display_name, user.session_token}
    for row in db.session.execute(select(CheckIn.__table__)).mappings():
        texts = {str(value) for value in row.values() if not isinstance(value, int)}
        assert not texts & person_values
    # Rows are stored in the order of their random keys, not in the order people checked in.
    if is_postgresql(app):
        xmins = db.session.scalars(text("SELECT xmin::text FROM wellbeing_check_in")).all()
        topic_xmins = db.session.scalars(
            text("SELECT xmin::text FROM wellbeing_check_in_topic")
        ).all()
        receipt_xmins = db.session.scalars(
            text("SELECT xmin::text FROM wellbeing_check_in_receipt")
        ).all()
        # The whole week was written by one transaction, which wrote no receipt: no check-in
        # points to any receipt, not even the last.
        assert len(set(xmins)) == 1 and set(topic_xmins) == set(xmins)
        assert not set(xmins) & set(receipt_xmins)
        physical = db.session.scalars(text("SELECT id FROM wellbeing_check_in ORDER BY ctid")).all()
        assert physical == sorted(physical)
    else:
        for table in (
            "wellbeing_check_in",
            "wellbeing_check_in_topic",
            "wellbeing_check_in_receipt",
            "wellbeing_check_in_pending",
        ):
            sql = db.session.scalar(
                text("SELECT sql FROM sqlite_master WHERE name = :name"), {"name": table}
            )
            assert "WITHOUT ROWID" in sql
        stored_order = db.session.scalars(text("SELECT id FROM wellbeing_check_in")).all()
        assert stored_order == sorted(stored_order)


def test_no_statement_of_a_check_in_carries_its_topics_or_groups(login_as, db):
    """Statement logs and pg_stat_activity see what is sent: the chosen topics and groups go
    only into the sealed row, never into a statement or its parameters (the services shown are
    read by severity and fitted to the topics in the app)."""
    doctor = login_as(Role.DOCTOR)
    make_support_service(name="Peer support", topics=("stress",))
    db.session.commit()
    sent: list[str] = []

    def remember(_conn, _cursor, sql, parameters, *_args) -> None:
        sent.append(f"{sql} {parameters!r}")

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        data = check_in_data(topics=["stress", "workload"], organisation=ORGANISATION)
        response = doctor.post("/check-in", data=data)
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert response.status_code == 200 and "Peer support" in response.get_data(as_text=True)
    assert count(db, PendingCheckIn) == 1
    for answer in ("stress", "workload", "training", "medical", ORGANISATION):
        assert not [statement for statement in sent if answer in statement], answer


def _scrubbed(value, person):
    """A parameter with what is the person's, or the row's own, put aside."""
    if isinstance(value, int | str) and value in (person.id, person.session_token):
        return "<person>"
    if isinstance(value, uuid.UUID) or (isinstance(value, str) and len(value) == 32):
        return "<key>"
    if value is None or isinstance(value, int | float | str | list | tuple):
        return value
    return "<sealed>"  # the sealed bytes, however the driver wraps them


def test_a_check_in_sends_the_same_statements_whatever_it_says(login_as, db):
    """From the outside (statement logs, pg_stat_activity) two check-ins that say opposite
    things look alike: same statements, same values, but for the person and the sealed row."""
    make_support_service(
        name="Urgent line", severity=Severity.URGENT, topics=("negative_thoughts",)
    )
    make_support_service(name="Peer support", topics=("stress",))
    db.session.commit()
    # The directory is read again only when it has changed, whatever a check-in says: read it
    # once here, after the change, as any page showing it would.
    assert "Peer support" in login_as(Role.DOCTOR).get("/support").get_data(as_text=True)
    worst = {f"item_{n}": "0" for n in range(1, 6)} | {"topics": ["negative_thoughts"]}
    best = {f"item_{n}": "5" for n in range(1, 6)} | {"specialty_group": "not_said"}
    sent = []
    for answers, shown in ((worst, "Urgent line"), (best, "Peer support")):
        doctor = login_as(Role.DOCTOR)
        statements: list = []

        def remember(_conn, _cursor, sql, parameters, *_args) -> None:
            values = parameters.values() if isinstance(parameters, dict) else parameters
            statements.append((sql, [_scrubbed(v, doctor.user) for v in values]))  # noqa: B023

        event.listen(db.engine, "before_cursor_execute", remember)
        try:
            response = doctor.post("/check-in", data=check_in_data(**answers))
        finally:
            event.remove(db.engine, "before_cursor_execute", remember)
        assert response.status_code == 200 and shown in response.get_data(as_text=True)
        sent.append(statements)
    assert sent[0] == sent[1]
    assert count(db, PendingCheckIn) == 2


def test_scramble_stores_check_ins_in_random_key_order(login_as, db, app):
    from mentoring.checkins.services import check_in_storage_scramble

    for _ in range(4):
        assert login_as(Role.DOCTOR).post("/check-in", data=check_in_data()).status_code == 200
    close_this_week(app, db)
    db.session.remove()
    result = app.test_cli_runner().invoke(args=["checkins", "scramble"])
    assert result.exit_code == 0, result.output
    if is_postgresql(app):
        physical = db.session.scalars(text("SELECT id FROM wellbeing_check_in ORDER BY ctid")).all()
        assert physical == sorted(physical)
        xmins = db.session.scalars(text("SELECT xmin::text FROM wellbeing_check_in")).all()
        receipts = db.session.scalars(
            text("SELECT xmin::text FROM wellbeing_check_in_receipt")
        ).all()
        assert len(set(xmins)) == 1 and not set(xmins) & set(receipts)
    else:
        assert "VACUUM" in check_in_storage_scramble()
    assert count(db, CheckIn) == 4


def test_no_route_lists_or_shows_a_check_in(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("checkins.")]
    assert [(rule.rule, rule.arguments) for rule in rules] == [("/check-in", set())]


# --- signposting ----------------------------------------------------------------------------------


@pytest.fixture
def directory(db):
    services = {
        "urgent": make_support_service(
            name="Urgent line", severity=Severity.URGENT, open_all_hours=True, hours=""
        ),
        "struggling": make_support_service(name="Struggling clinic", severity=Severity.STRUGGLING),
        "bullying": make_support_service(
            name="Speak up guardian", severity=Severity.STRUGGLING, topics=("bullying_harassment",)
        ),
        "everyday": make_support_service(
            name="Career coaching", severity=Severity.EVERYDAY, topics=("career_development",)
        ),
        "anything": make_support_service(name="Peer support", severity=Severity.EVERYDAY),
    }
    db.session.commit()
    return services


def shown(response) -> str:
    return response.get_data(as_text=True)


def test_28_or_below_puts_urgent_help_first(login_as, directory):
    data = check_in_data(item_1="1", item_2="1", item_3="1", item_4="1", item_5="3")  # 7 x 4 = 28
    page = shown(login_as(Role.DOCTOR).post("/check-in", data=data))
    assert "28 out of 100" in page
    assert "Please talk to someone soon" in page
    assert page.index("Urgent line") < page.index("Struggling clinic")
    assert "Career coaching" not in page and "Peer support" not in page
    assert "Speak up guardian" in page  # no topic chosen: every struggling service fits


def test_50_or_below_shows_help_for_struggling_then_urgent(login_as, directory):
    data = check_in_data(
        item_1="2", item_2="2", item_3="2", item_4="2", item_5="3", topics=["workload"]
    )  # 11 x 4 = 44
    page = shown(login_as(Role.DOCTOR).post("/check-in", data=data))
    assert "44 out of 100" in page and "50 or below" in page
    assert page.index("Struggling clinic") < page.index("Urgent line")
    assert "Speak up guardian" not in page  # its topic was not chosen
    assert "Career coaching" not in page


def test_above_50_shows_everyday_support_fitting_the_topics(login_as, directory):
    page = shown(
        login_as(Role.DOCTOR).post("/check-in", data=check_in_data(topics=["career_development"]))
    )
    assert "60 out of 100" in page
    assert "Career coaching" in page and "Peer support" in page
    assert "Urgent line" not in page and "Struggling clinic" not in page


def test_suicidal_thoughts_always_bring_urgent_help_first(login_as, directory):
    data = check_in_data(item_1="5", item_2="5", topics=["negative_thoughts"])
    page = shown(login_as(Role.DOCTOR).post("/check-in", data=data))
    assert "76 out of 100" in page
    assert page.index("Urgent line") < page.index("Peer support")


def test_nobody_is_told(login_as, directory, outbox, db):
    login_as(Role.DOCTOR).post("/check-in", data=check_in_data(item_1="0", item_2="0"))
    assert outbox == []


# --- demo data ------------------------------------------------------------------------------------


def test_demo_check_ins_have_small_and_large_cells(app, db):
    from datetime import date

    from mentoring.checkins.demo import demo_check_ins_create

    demo_check_ins_create(today=date(2026, 11, 24))
    db.session.commit()
    cells = (
        db.session.execute(
            select(func.count())
            .select_from(CheckIn)
            .group_by(CheckIn.iso_year, CheckIn.iso_week, CheckIn.career_stage_group)
        )
        .scalars()
        .all()
    )
    assert any(1 <= cell <= 7 for cell in cells)
    assert any(cell >= 8 for cell in cells)
    assert count(db, CheckInReceipt) == 0
    weeks = db.session.execute(select(CheckIn.iso_week).distinct()).scalars().all()
    assert len(weeks) == 12
