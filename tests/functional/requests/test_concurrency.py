"""Many doctors choose one mentor's last place at the same moment: exactly one gets it.

Runs against real PostgreSQL (skipped on SQLite, which serialises all writers anyway), with every
doctor in their own thread, their own HTTP client and their own database connection.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from mentoring.permissions import Role
from tests.conftest import is_postgresql, sign_in
from tests.factories import make_user
from tests.functional.requests.helpers import make_available_mentor, request_form

DOCTORS = 12


@pytest.fixture
def on_postgresql(app):
    if not is_postgresql(app):
        pytest.skip("the concurrency guarantee is proven on PostgreSQL")


def test_exactly_one_doctor_gets_the_last_place(app, db, on_postgresql):
    mentor = make_available_mentor(capacity=1)
    doctors = [make_user(roles=[Role.DOCTOR]) for _ in range(DOCTORS)]
    db.session.commit()
    clients = []
    for doctor in doctors:
        client = app.test_client()
        sign_in(client, doctor)
        assert client.post("/requests/new", data=request_form()).status_code == 302
        clients.append(client)

    barrier = threading.Barrier(DOCTORS)
    outcomes: list[str] = []
    mentor_id = str(mentor.id)

    def choose(client):
        barrier.wait()
        client.post("/requests/mine/choose", data={"mentor_id": mentor_id})
        page = client.get("/requests/mine").get_data(as_text=True)
        outcomes.append(
            "won"
            if "We have asked your mentor" in page or "to answer" in page
            else "told kindly"
            if "has just been taken" in page
            else "other"
        )

    threads = [threading.Thread(target=choose, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes.count("won") == 1, outcomes
    assert outcomes.count("told kindly") == DOCTORS - 1, outcomes

    # And the database agrees: nobody over capacity, one pending offer, nobody holding two.
    with app.app_context():
        over = db.session.execute(
            text("SELECT count(*) FROM mentor_profile WHERE places_taken > capacity")
        ).scalar_one()
        pending = db.session.execute(
            text("SELECT count(*) FROM mentor_offer WHERE status = 'pending'")
        ).scalar_one()
        doubled = db.session.execute(
            text(
                "SELECT count(*) FROM (SELECT mentee_id FROM mentoring_relationship "
                "WHERE status = 'active' GROUP BY mentee_id HAVING count(*) > 1) AS d"
            )
        ).scalar_one()
        taken = db.session.execute(
            text("SELECT places_taken FROM mentor_profile WHERE mentor_id = :m"),
            {"m": mentor.id},
        ).scalar_one()
    assert (over, pending, doubled, taken) == (0, 1, 0, 1)


def test_one_doctor_double_submitting_holds_one_offer(app, db, on_postgresql):
    mentors = [make_available_mentor(capacity=3) for _ in range(2)]
    doctor = make_user(roles=[Role.DOCTOR])
    db.session.commit()
    client = app.test_client()
    sign_in(client, doctor)
    client.post("/requests/new", data=request_form())
    barrier = threading.Barrier(6)
    twins = []
    for _ in range(6):
        twin = app.test_client()
        sign_in(twin, doctor)
        twins.append(twin)
    mentor_ids = [str(mentor.id) for mentor in mentors]

    def choose(twin, mentor_id):
        barrier.wait()
        twin.post("/requests/mine/choose", data={"mentor_id": mentor_id})

    threads = [
        threading.Thread(target=choose, args=(twins[i], mentor_ids[i % 2])) for i in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with app.app_context():
        pending = db.session.execute(
            text("SELECT count(*) FROM mentor_offer WHERE status = 'pending'")
        ).scalar_one()
        taken = db.session.execute(
            text("SELECT sum(places_taken) FROM mentor_profile")
        ).scalar_one()
    assert (pending, taken) == (1, 1)
