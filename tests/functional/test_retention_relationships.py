"""Closed relationships' text goes after CLOSED_RELATIONSHIP_RETENTION_MONTHS; figures stay."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from mentoring.auth.models import utcnow
from mentoring.extensions import db
from mentoring.permissions import Role
from mentoring.relationships.models import MentoringRelationship
from mentoring.relationships.session_models import (
    ActionItem,
    SessionLog,
    SessionStageNote,
    SessionTopic,
)
from mentoring.requests_.models import MentoringRequest
from tests.conftest import sign_in
from tests.factories import make_user
from tests.functional.relationships.helpers import make_relationship, session_form

AGREEMENT = {
    "model": "grow",
    "meeting_frequency": "monthly",
    "meeting_format": "video",
    "planned_sessions": "6",
    "notes": "We agreed to meet after clinic.",
    "confidentiality_understood": "y",
}


def _pair_with_notes(app, *, closed_days_ago: int | None) -> tuple[str, object]:
    """A relationship with an agreement, a logged session (4 stage notes, an action) and wishes."""
    mentor = make_user(roles=[Role.MENTOR, Role.DOCTOR])
    mentee = make_user(roles=[Role.DOCTOR])
    relationship = make_relationship(mentor=mentor, mentee=mentee, days_ago=600)
    request = db.session.get(MentoringRequest, relationship.request_id)
    request.wishes = "My own words about what I hope for."
    db.session.commit()
    base = f"/relationships/{relationship.id}"
    as_mentor, as_mentee = sign_in(app.test_client(), mentor), sign_in(app.test_client(), mentee)
    assert as_mentor.post(f"{base}/sessions/new", data=session_form()).status_code == 302
    assert as_mentee.post(f"{base}/agreement", data=AGREEMENT).status_code == 302
    if closed_days_ago is not None:
        db.session.expire_all()
        relationship = db.session.get(MentoringRelationship, relationship.id)
        relationship.status = "closed"
        relationship.ended_at = utcnow() - timedelta(days=closed_days_ago)
        relationship.ended_by = "mentee"
        relationship.ending_reason = "goals_met"
        db.session.commit()
    return relationship.id, as_mentee


def _text_left(relationship_id: str) -> dict[str, int]:
    """How many sealed values each table still holds for the relationship, read from the rows."""
    db.session.expire_all()
    queries = {
        "agreement": "SELECT count(agreement_notes_sealed) FROM mentoring_relationship "
        "WHERE id = :r",
        "summary": "SELECT count(summary_sealed) FROM session_log WHERE relationship_id = :r",
        "reflection": "SELECT count(reflection_sealed) FROM session_log WHERE relationship_id = :r",
        "stage notes": "SELECT count(n.notes_sealed) FROM session_stage_note n "
        "JOIN session_log l ON l.id = n.session_id WHERE l.relationship_id = :r",
        "actions": "SELECT count(*) FROM action_item WHERE relationship_id = :r",
        "wishes": "SELECT count(q.wishes_sealed) FROM mentoring_request q "
        "JOIN mentoring_relationship m ON m.request_id = q.id WHERE m.id = :r",
    }
    return {
        name: db.session.execute(text(sql), {"r": relationship_id}).scalar_one()
        for name, sql in queries.items()
    }


ALL_TEXT = {
    "agreement": 1,
    "summary": 1,
    "reflection": 1,
    "stage notes": 4,
    "actions": 1,
    "wishes": 1,
}
NO_TEXT = dict.fromkeys(ALL_TEXT, 0)


@pytest.fixture
def three(app, db):
    """Closed over a year ago, closed a month ago, and active (begun long ago)."""
    return (
        _pair_with_notes(app, closed_days_ago=400),
        _pair_with_notes(app, closed_days_ago=30),
        _pair_with_notes(app, closed_days_ago=None),
    )


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_purge_destroys_old_closed_text_and_spares_recent_and_open_ones(app, three):
    (old, old_mentee), (recent, _), (active, _) = three
    figures = [_count(m) for m in (SessionLog, SessionStageNote, SessionTopic)]

    result = app.test_cli_runner().invoke(args=["retention", "purge"])

    assert result.exit_code == 0, result.output
    # Agreement, session (summary and reflection), 4 stage notes, 1 action, the request: 8 records.
    assert "closed relationships' text: 8 purged (kept 12 months" in result.output
    assert _text_left(old) == NO_TEXT
    assert _text_left(recent) == ALL_TEXT
    assert _text_left(active) == ALL_TEXT
    # Sessions, their stages and topics, and the relationship's dates and reason stay.
    assert [_count(m) for m in (SessionLog, SessionStageNote, SessionTopic)] == figures
    relationship = db.session.get(MentoringRelationship, old)
    assert (relationship.ending_reason, relationship.model) == ("goals_met", "grow")
    request = db.session.get(MentoringRequest, relationship.request_id)
    assert (request.department, request.career_stage) == ("", "core")
    # The mentee's page still opens, with nothing left to read.
    page = old_mentee.get(f"/relationships/{old}")
    assert page.status_code == 200
    assert "We agreed to meet after clinic." not in page.get_data(as_text=True)


def test_purge_twice_finds_nothing_the_second_time(app, three):
    runner = app.test_cli_runner()
    runner.invoke(args=["retention", "purge"])
    again = runner.invoke(args=["retention", "purge"])
    assert "closed relationships' text: 0 purged" in again.output
    assert _count(ActionItem) == 2


def test_the_retention_period_for_relationships_is_configuration(app, three, monkeypatch):
    (old, _), (recent, _), (active, _) = three
    monkeypatch.setitem(app.config, "CLOSED_RELATIONSHIP_RETENTION_MONTHS", 0)
    result = app.test_cli_runner().invoke(args=["retention", "purge"])
    assert "closed relationships' text: 16 purged (kept 0 months" in result.output
    assert _text_left(old) == _text_left(recent) == NO_TEXT
    assert _text_left(active) == ALL_TEXT
