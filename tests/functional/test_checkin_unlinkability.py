"""An onlooker with the database cannot tell which check-in is whose.

README, "Check-in threat model".

The onlooker here reads every table, with PostgreSQL's hidden columns (`xmin`, the transaction that
wrote a row, and `ctid`, where it sits), as often as they like: after every single check-in if they
want. A check-in waits, sealed and of one fixed size, until its ISO week is over; then the whole
week is released at once by one transaction that writes no receipt, in the order of new random keys.
"""

from __future__ import annotations

import base64
import os
import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import event, func, insert, inspect, select, text

from mentoring.checkins import services
from mentoring.checkins.models import (
    CheckIn,
    CheckInReceipt,
    CheckInTopic,
    ClosedCheckInWeek,
    PendingCheckIn,
)
from mentoring.core import unit_of_work
from mentoring.core.vocabulary import TOPICS
from mentoring.directory.queries import local_now
from mentoring.permissions import Role
from mentoring.sealing import SealError, context, note_keys, unseal
from tests.conftest import is_postgresql
from tests.factories import make_user
from tests.functional.test_checkins import check_in_data, close_this_week, count

# A 120-character organisation written in two-byte letters: the longest content there can be.
LONG_ORGANISATION = "Ysbyty Prifysgol Ŵ" + "ŵ" * 102


def _today(app):
    with app.test_request_context():
        return local_now().date()


def _week_of(app) -> tuple[int, int]:
    return services.iso_week_of(_today(app))


def _rows_of_this_week(app, number: int, **columns) -> list[dict]:
    year, week = _week_of(app)
    return [
        {"id": uuid.uuid4(), "iso_year": year, "iso_week": week, **columns} for _ in range(number)
    ]


def _earlier_this_week(app, db, number: int) -> None:
    """Check-ins already released into this week (as demo and synthetic data are)."""
    rows = _rows_of_this_week(
        app,
        number,
        career_stage_group="training",
        specialty_group="medical",
        organisation="not_said",
        **{f"item_{n}": 2 for n in range(1, 6)},
        raw_score=10,
    )
    if rows:
        db.session.execute(insert(CheckIn), rows)
        db.session.execute(
            insert(CheckInTopic), [{"check_in_id": row["id"], "topic": "stress"} for row in rows]
        )
    db.session.commit()


def _hidden(app) -> str:
    return "xmin::text AS xmin, ctid::text AS ctid, " if is_postgresql(app) else ""


def _snapshot(app, db) -> dict[str, list]:
    """Everything an onlooker can read of the released check-ins, hidden columns included."""
    db.session.commit()
    hidden = _hidden(app)
    return {
        table: sorted(
            tuple(str(value) for value in row)
            for row in db.session.execute(text(f"SELECT {hidden}* FROM {table}"))  # noqa: S608
        )
        for table in ("wellbeing_check_in", "wellbeing_check_in_topic")
    }


def _xmins(db, table: str) -> list[int]:
    return [int(x) for x in db.session.scalars(text(f"SELECT xmin::text FROM {table}"))]  # noqa: S608


@pytest.fixture
def long_organisation(app):
    organisations = app.config["ORGANISATIONS"]
    app.config["ORGANISATIONS"] = [*organisations, LONG_ORGANISATION]
    yield LONG_ORGANISATION
    app.config["ORGANISATIONS"] = organisations


def test_a_waiting_check_in_is_sealed_and_the_same_size_whatever_was_answered(
    login_as, db, long_organisation
):
    most = check_in_data(
        item_1="0",
        topics=[v for v, _ in TOPICS],
        organisation=long_organisation,
        specialty_group="other",
    )
    least = check_in_data(career_stage_group="gp", organisation="not_said")
    for data in (most, least):
        assert login_as(Role.DOCTOR).post("/check-in", data=data).status_code == 200

    columns = {c["name"] for c in inspect(db.engine).get_columns("wellbeing_check_in_pending")}
    assert columns == {"id", "iso_year", "iso_week", "content_sealed"}
    sealed = db.session.scalars(select(PendingCheckIn.content_sealed)).all()
    assert len(sealed) == 2 and len({len(value) for value in sealed}) == 1
    for value in sealed:
        # Only strings long enough that random bytes cannot hold them by chance.
        for plain in (long_organisation, "Example Acute", "negative_thoughts", "training"):
            assert plain.encode() not in value
            assert base64.b64encode(plain.encode()) not in value
    # Without the note keys, nothing opens it.
    stranger = note_keys([base64.urlsafe_b64encode(b"an onlooker's guess at a key 32B").decode()])
    row = db.session.scalars(select(PendingCheckIn)).first()
    bound = context("wellbeing_check_in_pending", row.id, "content")
    with pytest.raises(SealError):
        unseal(row.content_sealed, bound_to=bound, keys=stranger)


def test_an_onlooker_copying_the_database_after_every_check_in_sees_no_answer_arrive(
    login_as, db, app
):
    _earlier_this_week(app, db, 20)
    doctors = [login_as(Role.DOCTOR) for _ in range(4)]
    earlier = set(db.session.scalars(select(CheckIn.id)))
    before = _snapshot(app, db)
    for number, doctor in enumerate(doctors):
        data = check_in_data(item_1=str(number), topics=["workload"] if number % 2 else [])
        assert doctor.post("/check-in", data=data).status_code == 200
        # Nothing an onlooker can read of the check-ins changed, hidden columns included.
        assert _snapshot(app, db) == before
    assert count(db, PendingCheckIn) == count(db, CheckInReceipt) == 4

    pending_keys = set(db.session.scalars(select(PendingCheckIn.id)))
    assert close_this_week(app, db) == 4
    after = _snapshot(app, db)
    # The week's four arrive together, and the twenty already there are untouched.
    assert set(before["wellbeing_check_in"]) <= set(after["wellbeing_check_in"])
    assert len(after["wellbeing_check_in"]) == 24
    released = set(db.session.scalars(select(CheckIn.id))) - earlier
    assert len(released) == 4
    # New keys: a waiting check-in's key does not follow it.
    assert not released & pending_keys
    assert count(db, PendingCheckIn) == 0
    if is_postgresql(app):
        xmins = {
            int(x)
            for x in db.session.scalars(
                text("SELECT xmin::text FROM wellbeing_check_in WHERE id = ANY(:ids)"),
                {"ids": list(released)},
            )
        }
        receipts = _xmins(db, "wellbeing_check_in_receipt")
        # One writer for the four, which wrote no receipt and came after every receipt.
        assert len(xmins) == 1
        assert not xmins & set(receipts) and min(xmins) > max(receipts)
        physical = db.session.scalars(
            text("SELECT id FROM wellbeing_check_in WHERE id = ANY(:ids) ORDER BY ctid"),
            {"ids": list(released)},
        ).all()
        assert physical == sorted(physical)


def test_a_check_in_arriving_after_its_week_closed_is_refused_and_asked_again(login_as, db, app):
    assert login_as(Role.DOCTOR).post("/check-in", data=check_in_data()).status_code == 200
    assert close_this_week(app, db) == 1

    late = login_as(Role.DOCTOR)
    response = late.post("/check-in", data=check_in_data(item_1="0"))
    assert response.status_code == 400
    assert "closed just as you sent yours" in response.get_data(as_text=True)
    # Nothing of it was kept: it would otherwise be released later, alone.
    db.session.commit()
    assert count(db, CheckInReceipt) == count(db, CheckIn) == 1
    assert count(db, PendingCheckIn) == 0
    assert late.get("/check-in").status_code == 200  # and the person may still check in


def test_the_first_check_in_of_a_week_releases_last_week_if_nobody_has(login_as, db, app):
    last_week = _today(app) - timedelta(weeks=1)
    for answer in (1, 4, 5):
        person = make_user()
        db.session.commit()
        services.check_in_submit(
            user=person,
            day=last_week,
            answers=[answer] * 5,
            topics=["stress"],
            career_stage_group="training",
            specialty_group="medical",
            organisation="not_said",
        )
        unit_of_work.commit()
    assert count(db, CheckIn) == 0

    doctor = login_as(Role.DOCTOR)
    assert doctor.post("/check-in", data=check_in_data()).status_code == 200
    db.session.commit()
    year, week = services.iso_week_of(last_week)
    released = db.session.execute(
        select(CheckIn.raw_score).where(CheckIn.iso_year == year, CheckIn.iso_week == week)
    ).scalars()
    assert sorted(released) == [5, 20, 25]
    assert count(db, CheckInTopic) == 3
    assert db.session.get(ClosedCheckInWeek, (year, week)) is not None
    # This week's check-in waits for this week to close.
    assert db.session.scalars(select(PendingCheckIn.iso_week)).all() == [_week_of(app)[1]]
    if is_postgresql(app):
        # Last week was released by a transaction of its own, not the new check-in's.
        released_xmins = set(_xmins(db, "wellbeing_check_in"))
        (new_receipt_xmin,) = db.session.scalars(
            text("SELECT xmin::text FROM wellbeing_check_in_receipt WHERE user_id = :id"),
            {"id": doctor.user.id},
        ).all()
        assert len(released_xmins) == 1 and int(new_receipt_xmin) not in released_xmins


def _checked_in(person, day) -> None:
    """`person` checked in on `day`, saying nothing of themselves, and it is committed."""
    services.check_in_submit(
        user=person,
        day=day,
        answers=[3] * 5,
        topics=[],
        career_stage_group="not_said",
        specialty_group="not_said",
        organisation="not_said",
    )
    unit_of_work.commit()


def test_the_close_weeks_command_releases_only_weeks_that_are_over(login_as, db, app):
    person = make_user()
    db.session.commit()
    _checked_in(person, _today(app) - timedelta(weeks=2))
    assert login_as(Role.DOCTOR).post("/check-in", data=check_in_data()).status_code == 200
    db.session.commit()
    # The new check-in released the older week already; the command finds nothing more to do.
    result = app.test_cli_runner().invoke(args=["checkins", "close-weeks"])
    assert result.exit_code == 0, result.output
    assert "0 check-ins released" in result.output
    assert count(db, CheckIn) == 1 and count(db, PendingCheckIn) == 1


def _writes_of_a_check_in(app, db, login_as) -> list[str]:
    doctor = login_as(Role.DOCTOR)
    statements: list[str] = []

    def remember(_conn, _cursor, statement, *_args) -> None:
        statements.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        assert doctor.post("/check-in", data=check_in_data()).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    return statements


def test_a_check_in_does_the_same_work_however_busy_its_week(login_as, db, app):
    quiet = _writes_of_a_check_in(app, db, login_as)
    _earlier_this_week(app, db, 500)
    busy = _writes_of_a_check_in(app, db, login_as)
    assert busy == quiet
    # It writes its receipt and its sealed content, and touches no released check-in.
    written = [s for s in busy if s.split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert not [s for s in written if "wellbeing_check_in " in s or "wellbeing_check_in_topic" in s]
    assert any("wellbeing_check_in_pending" in s for s in written)
    assert db.session.scalar(select(func.count()).select_from(PendingCheckIn)) == 2


def _pages_read_by_the_look_up(db, statement, values: dict) -> int:
    """The pages a check-in's look-up reads on PostgreSQL, run as the pool runs it once it is a
    prepared statement: one plan for every week and person (a generic plan), made before the
    values are known."""
    compiled = statement.compile(dialect=db.engine.dialect)
    names = list(dict.fromkeys(re.findall(r"%\((\w+)\)s", str(compiled))))
    positional = re.sub(r"%\((\w+)\)s", lambda m: f"${names.index(m[1]) + 1}", str(compiled))
    arguments = ", ".join(str(int({**compiled.params, **values}[name])) for name in names)
    with db.engine.connect() as connection:  # a pooled connection: left as it was found
        connection.exec_driver_sql("SET LOCAL plan_cache_mode = force_generic_plan")
        connection.exec_driver_sql("PREPARE look_up AS " + positional)  # noqa: S608 - compiled here
        try:
            plan = connection.exec_driver_sql(
                f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE look_up({arguments})"
            ).scalar()
        finally:
            connection.exec_driver_sql("DEALLOCATE look_up")
            connection.rollback()
    top = plan[0]["Plan"]  # its buffers count everything under it
    return top["Shared Hit Blocks"] + top["Shared Read Blocks"]


def _pending_this_week(app, db, number: int) -> None:
    """Check-ins already waiting in this week, each of a sealed content's size."""
    sealed = os.urandom(services.CONTENT_BYTES + 37)
    rows = _rows_of_this_week(app, number, content_sealed=sealed)
    db.session.execute(insert(PendingCheckIn), rows)
    db.session.commit()


@pytest.mark.parametrize("submitting", [False, True], ids=["page", "submission"])
def test_the_look_up_reads_no_more_however_many_wait_in_the_week(app, db, submitting):
    """Whether an earlier week is due to close is read off the first entry of the week index: the
    look-up does not read this week's waiting check-ins to find that none is from an earlier week
    (as `EXISTS` on "a week before this one" did, planned as a scan of the table)."""
    if not is_postgresql(app):
        pytest.skip("SQLite plans each statement with its values; PostgreSQL's plan is kept")
    person = make_user()
    db.session.commit()
    year, week = _week_of(app)
    statement = services._STANDING_JOINING if submitting else services._STANDING
    values = {"user_id": person.id, "iso_year": year, "iso_week": week, "namespace": 1, "week": 1}
    quiet = _pages_read_by_the_look_up(db, statement, values)
    _pending_this_week(app, db, 800)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("ANALYZE wellbeing_check_in_pending")
    busy = _pages_read_by_the_look_up(db, statement, values)
    assert busy <= quiet + 3, (quiet, busy)  # 800 check-ins fill about 150 pages
    assert services.check_in_standing(user=person, day=_today(app)).weeks_due is False


def test_the_look_up_finds_an_earlier_week_due_among_many_of_this_week(app, db):
    _pending_this_week(app, db, 50)
    person = make_user()
    db.session.commit()
    today = _today(app)
    last_week = today - timedelta(weeks=1)
    assert services.check_in_standing(user=person, day=today).weeks_due is False
    _checked_in(person, last_week)
    assert services.check_in_standing(user=person, day=today).weeks_due is True
    assert services.check_in_standing(user=person, day=last_week).weeks_due is False


def test_a_waiting_check_in_survives_a_note_key_rotation(login_as, db, app, monkeypatch):
    from mentoring.notes_rotation import rotate_note_keys

    assert (
        login_as(Role.DOCTOR).post("/check-in", data=check_in_data(item_5="5")).status_code == 200
    )
    sealed_before = db.session.scalar(select(PendingCheckIn.content_sealed))
    new_key = base64.urlsafe_b64encode(os.urandom(32)).decode()
    keys = list(app.config["NOTE_ENCRYPTION_KEYS"])
    monkeypatch.setitem(app.config, "NOTE_ENCRYPTION_KEYS", [new_key, *keys])
    assert rotate_note_keys(batch_size=10, progress=lambda _: None) >= 1
    monkeypatch.setitem(app.config, "NOTE_ENCRYPTION_KEYS", [new_key])  # the old key removed
    db.session.expire_all()
    sealed_after = db.session.scalar(select(PendingCheckIn.content_sealed))
    assert sealed_after != sealed_before and len(sealed_after) == len(sealed_before)

    assert close_this_week(app, db) == 1
    assert db.session.scalar(select(CheckIn.raw_score)) == 17
