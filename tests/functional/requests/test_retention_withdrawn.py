"""Withdrawn requests' own words go after WITHDRAWN_REQUEST_RETENTION_MONTHS; their figures stay."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, text

from mentoring.auth.models import utcnow
from mentoring.extensions import db
from mentoring.permissions import Role
from mentoring.requests_.models import MentoringRequest, RequestTopic
from tests.conftest import sign_in
from tests.factories import make_user
from tests.functional.requests.helpers import request_form


def _request(app, *, withdrawn_days_ago: int | None) -> str:
    doctor = make_user(roles=[Role.DOCTOR])
    db.session.commit()
    client = sign_in(app.test_client(), doctor)
    response = client.post("/requests/new", data=request_form(topics=["workload", "stress"]))
    assert response.status_code == 302
    db.session.expire_all()
    request = db.session.scalars(
        select(MentoringRequest).where(MentoringRequest.requester_id == doctor.id)
    ).one()
    if withdrawn_days_ago is not None:
        request.status = "withdrawn"
        request.withdrawn_at = utcnow() - timedelta(days=withdrawn_days_ago)
        db.session.commit()
    return request.id


def _raw(request_id: str) -> tuple:
    return db.session.execute(
        text("SELECT wishes_sealed, department FROM mentoring_request WHERE id = :id"),
        {"id": request_id},
    ).one()


def test_old_withdrawn_requests_lose_their_words_and_recent_or_live_ones_keep_them(app, db):
    old = _request(app, withdrawn_days_ago=400)
    recent = _request(app, withdrawn_days_ago=30)
    live = _request(app, withdrawn_days_ago=None)
    topics_before = db.session.scalar(select(func.count()).select_from(RequestTopic))

    result = app.test_cli_runner().invoke(args=["retention", "purge"])

    assert "withdrawn requests' words: 1 purged (kept 12 months" in result.output
    db.session.expire_all()
    assert _raw(old) == (None, "")
    for kept in (recent, live):
        wishes, department = _raw(kept)
        assert wishes is not None and department == "Acute medicine"
    # What reports count is untouched: the request, its outcome, its topics and groups.
    request = db.session.get(MentoringRequest, old)
    assert request.status == "withdrawn" and request.organisation == "Hillside Trust"
    assert db.session.scalar(select(func.count()).select_from(RequestTopic)) == topics_before
    # Nothing is left to purge the second time.
    again = app.test_cli_runner().invoke(args=["retention", "purge"])
    assert "withdrawn requests' words: 0 purged" in again.output


def test_the_setting_decides_how_long_withdrawn_words_are_kept(app, db, monkeypatch):
    recent = _request(app, withdrawn_days_ago=30)
    monkeypatch.setitem(app.config, "WITHDRAWN_REQUEST_RETENTION_MONTHS", 0)
    result = app.test_cli_runner().invoke(args=["retention", "purge"])
    assert "withdrawn requests' words: 1 purged (kept 0 months" in result.output
    db.session.expire_all()
    assert _raw(recent) == (None, "")
