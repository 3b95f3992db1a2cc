"""Many doctors check in at the same moment in a busy week: every one of them is recorded.

Each check-in rewrites its whole week (README, "Check-in threat model"). Rewrites running at once
used to lock rows in different orders and deadlock, and doctors saw an error page; the benchmark
found it. Runs against PostgreSQL (SQLite serialises all writers anyway).
"""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import func, insert, select

from mentoring.checkins.models import CheckIn, CheckInReceipt, CheckInTopic
from mentoring.checkins.services import iso_week_of
from mentoring.directory.queries import local_now
from mentoring.permissions import Role
from tests.conftest import is_postgresql, sign_in
from tests.factories import make_user
from tests.functional.test_checkins import check_in_data

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


def _together(clients) -> list[int]:
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def check_in(client) -> None:
        barrier.wait()
        statuses.append(client.post("/check-in", data=check_in_data()).status_code)

    threads = [threading.Thread(target=check_in, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def test_doctors_checking_in_together_are_all_recorded(app, db, on_postgresql):
    _busy_week(app, db)
    doctors = [make_user(roles=[Role.DOCTOR]) for _ in range(DOCTORS * ROUNDS)]
    db.session.commit()
    clients = [sign_in(app.test_client(), doctor) for doctor in doctors]
    for round_ in range(ROUNDS):
        statuses = _together(clients[round_ * DOCTORS : (round_ + 1) * DOCTORS])
        assert statuses == [200] * DOCTORS

    db.session.remove()
    receipts = db.session.scalar(select(func.count()).select_from(CheckInReceipt))
    assert receipts == DOCTORS * ROUNDS
    total = db.session.scalar(select(func.count()).select_from(CheckIn))
    assert total == EARLIER_THIS_WEEK + DOCTORS * ROUNDS
