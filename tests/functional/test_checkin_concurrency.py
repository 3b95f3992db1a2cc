"""Many doctors check in at the same moment in a busy week: every one of them is recorded.

Each check-in used to rewrite its whole week, and rewrites running at once locked rows in different
orders and deadlocked: doctors saw an error page (the benchmark found it). Check-ins now wait,
sealed, for their week to close (README, "Check-in threat model"); a week closing while doctors
check in must lose none of them and leave none behind in a closed week. Runs against PostgreSQL
(SQLite serialises all writers anyway).
"""

from __future__ import annotations

import threading
import time
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select, text

from mentoring.checkins import services
from mentoring.checkins.models import (
    CheckIn,
    CheckInReceipt,
    CheckInTopic,
    ClosedCheckInWeek,
    PendingCheckIn,
)
from mentoring.checkins.services import check_in_standing, check_in_weeks_close, iso_week_of
from mentoring.directory.queries import local_now
from mentoring.permissions import Role
from tests.conftest import is_postgresql, sign_in
from tests.factories import make_user
from tests.functional.test_checkins import check_in_data, close_this_week

DOCTORS = 16  # the benchmark's connections
ROUNDS = 3
EARLIER_THIS_WEEK = 3000


@pytest.fixture
def on_postgresql(app):
    if not is_postgresql(app):
        pytest.skip("concurrent writers are proven on PostgreSQL")


def _busy_week(app, db) -> None:
    with app.test_request_context():
        year, week = iso_week_of(local_now().date())
    ids = [uuid.uuid4() for _ in range(EARLIER_THIS_WEEK)]
    answers = {f"item_{n}": 3 for n in range(1, 6)}
    db.session.execute(
        insert(CheckIn),
        [
            {
                "id": i,
                "iso_year": year,
                "iso_week": week,
                "career_stage_group": "training",
                "specialty_group": "medical",
                "organisation": "not_said",
                **answers,
                "raw_score": 15,
            }
            for i in ids
        ],
    )
    db.session.execute(insert(CheckInTopic), [{"check_in_id": i, "topic": "workload"} for i in ids])


def _together(clients, *, also=None) -> list[tuple[int, str]]:
    """Every client checks in at the same moment (and `also` runs in step with them)."""
    barrier = threading.Barrier(len(clients) + (1 if also else 0))
    responses: list[tuple[int, str]] = []

    def check_in(client) -> None:
        barrier.wait()
        response = client.post("/check-in", data=check_in_data())
        responses.append((response.status_code, response.get_data(as_text=True)))

    def other() -> None:
        barrier.wait()
        also()

    threads = [threading.Thread(target=check_in, args=(client,)) for client in clients]
    if also:
        threads.append(threading.Thread(target=other))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return responses


def test_doctors_checking_in_together_are_all_recorded(app, db, on_postgresql):
    _busy_week(app, db)
    doctors = [make_user(roles=[Role.DOCTOR]) for _ in range(DOCTORS * ROUNDS)]
    db.session.commit()
    clients = [sign_in(app.test_client(), doctor) for doctor in doctors]
    for round_ in range(ROUNDS):
        responses = _together(clients[round_ * DOCTORS : (round_ + 1) * DOCTORS])
        assert [status for status, _page in responses] == [200] * DOCTORS

    db.session.remove()
    receipts = db.session.scalar(select(func.count()).select_from(CheckInReceipt))
    assert receipts == DOCTORS * ROUNDS
    assert close_this_week(app, db) == DOCTORS * ROUNDS
    total = db.session.scalar(select(func.count()).select_from(CheckIn))
    assert total == EARLIER_THIS_WEEK + DOCTORS * ROUNDS
    assert db.session.scalar(select(func.count()).select_from(PendingCheckIn)) == 0


def test_a_week_closing_while_doctors_check_in_loses_none_and_leaves_none_behind(
    app, db, on_postgresql
):
    doctors = [make_user(roles=[Role.DOCTOR]) for _ in range(DOCTORS)]
    db.session.commit()
    clients = [sign_in(app.test_client(), doctor) for doctor in doctors]

    def close_the_week() -> None:
        with app.test_request_context():
            # Once half of them are in: the rest are on their way while the week closes.
            for _ in range(20_000):
                waiting = db.session.scalar(select(func.count()).select_from(PendingCheckIn))
                db.session.rollback()
                if waiting >= DOCTORS // 2:
                    break
                time.sleep(0.001)
            check_in_weeks_close(today=local_now().date() + timedelta(weeks=1))
            db.session.commit()
            db.session.remove()

    responses = _together(clients, also=close_the_week)
    assert len(responses) == DOCTORS
    # Each doctor was either in the week when it closed, or told plainly to check in again.
    assert {status for status, _page in responses} <= {200, 400}
    refused = [page for status, page in responses if status == 400]
    assert all("closed just as you sent yours" in page for page in refused)
    db.session.remove()
    accepted = len(responses) - len(refused)
    assert accepted >= DOCTORS // 2
    assert db.session.scalar(select(func.count()).select_from(CheckInReceipt)) == accepted
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == accepted
    # Nothing is left waiting in the closed week, to be released later on its own.
    assert db.session.scalar(select(func.count()).select_from(PendingCheckIn)) == 0
    assert db.session.get(ClosedCheckInWeek, _week_of(app)) is not None


def _week_of(app) -> tuple[int, int]:
    with app.test_request_context():
        return iso_week_of(local_now().date())


def test_one_doctor_sending_several_check_ins_at_once_gets_one(app, db, on_postgresql):
    """Every submission passes the page's look-up at once; the receipt's key lets one through, the
    others wait for it and are told politely, and none writes anything."""
    doctor = make_user(roles=[Role.DOCTOR])
    db.session.commit()
    clients = [sign_in(app.test_client(), doctor) for _ in range(4)]
    responses = _together(clients)
    assert sorted(status for status, _page in responses) == [200, 409, 409, 409]
    refused = [page for status, page in responses if status == 409]
    assert all("already checked in this week" in page for page in refused)
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(CheckInReceipt)) == 1
    assert db.session.scalar(select(func.count()).select_from(PendingCheckIn)) == 1


def _week_free_to_close(db, year: int, week: int) -> bool:
    """Whether a close could take the week's lock now (tried on a connection of its own)."""
    with db.engine.connect() as other:
        return other.scalar(
            text("SELECT pg_try_advisory_xact_lock(:namespace, :week)"),
            {"namespace": services._WEEK_LOCK_NAMESPACE, "week": year * 100 + week},
        )


def test_the_look_up_of_a_check_in_on_its_way_holds_its_week_until_it_ends(app, db, on_postgresql):
    """The page's look-up takes the week's shared lock in the same round trip when a check-in is
    on its way, so the submission that follows does not take it again: the week cannot close
    between the two."""
    doctor = make_user(roles=[Role.DOCTOR])
    db.session.commit()
    with app.test_request_context():
        today = local_now().date()
        year, week = iso_week_of(today)
        looked = check_in_standing(user=doctor, day=today)
        assert not looked.week_joined
        assert _week_free_to_close(db, year, week)
        db.session.rollback()

        joined = check_in_standing(user=doctor, day=today, join_week=True)
        assert joined.week_joined
        assert joined[:3] == looked[:3]  # the same look-up
        assert not _week_free_to_close(db, year, week)
        db.session.rollback()
        assert _week_free_to_close(db, year, week)
