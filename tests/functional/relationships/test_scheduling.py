"""The next session: setting it, the .ics invitation, reminders for cron; long writing kept."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select

from mentoring import create_app
from mentoring.auth.models import utcnow
from mentoring.extensions import db
from mentoring.permissions import Role
from mentoring.relationships.models import MentoringRelationship
from mentoring.relationships.session_models import SessionLog
from tests.conftest import IsolatedClient, sign_in
from tests.factories import make_user
from tests.functional.relationships.helpers import make_relationship, session_form


@pytest.fixture
def pair(app, db):
    mentor = make_user(roles=[Role.MENTOR, Role.DOCTOR], display_name="Dr Secret Mentor")
    mentee = make_user(roles=[Role.DOCTOR], display_name="Dr Secret Mentee")
    relationship = make_relationship(mentor=mentor, mentee=mentee)
    return relationship, sign_in(app.test_client(), mentor), sign_in(app.test_client(), mentee)


def _reload(relationship_id):
    db.session.expire_all()
    return db.session.get(MentoringRelationship, relationship_id)


def test_set_the_next_session_and_download_an_invitation_without_content(pair):
    relationship, as_mentor, as_mentee = pair
    day = (utcnow() + timedelta(days=7)).date()
    response = as_mentee.post(
        f"/relationships/{relationship.id}/schedule",
        data={"date": day.isoformat(), "time": "18:30", "format": "phone"},
    )
    assert response.status_code == 302
    rel = _reload(relationship.id)
    assert rel.next_session_format == "phone"
    for client, side in ((as_mentor, "mentor"), (as_mentee, "mentee")):
        response = client.get(f"/relationships/{relationship.id}/next-session.ics")
        assert response.status_code == 200
        assert response.mimetype == "text/calendar"
        body = response.get_data(as_text=True)
        assert body.startswith("BEGIN:VCALENDAR\r\n") and "END:VEVENT\r\n" in body
        assert f"-{side}@mentoring" in body
        for secret in ("Secret", "career", "Career", "@nhs.net"):
            assert secret not in body
        assert "SUMMARY:Development conversation" in body
    # A calendar app reads it: 18:30 London time, written in UTC, an hour long.
    event = Calendar.from_ical(body).walk("VEVENT")[0]
    starts = event.decoded("dtstart")
    assert starts.tzinfo is not None and starts.utcoffset() == timedelta(0)
    assert starts.astimezone(ZoneInfo("Europe/London")).replace(tzinfo=None) == datetime.combine(
        day, time(18, 30)
    )
    assert event.decoded("dtend") - starts == timedelta(hours=1)
    assert str(event["class"]) == "PRIVATE"


def test_a_session_in_the_past_cannot_be_scheduled(pair):
    relationship, _, as_mentee = pair
    yesterday = (utcnow() - timedelta(days=1)).date()
    response = as_mentee.post(
        f"/relationships/{relationship.id}/schedule",
        data={"date": yesterday.isoformat(), "time": "10:00", "format": "video"},
    )
    assert response.status_code == 400
    assert "in the future" in response.get_data(as_text=True)


def test_reminders_go_a_day_before_once_for_each_side(app, pair, outbox):
    relationship, _, _ = pair
    relationship.next_session_at = utcnow() + timedelta(hours=20)
    relationship.next_session_format = "video"
    later = make_relationship(next_session_at=utcnow() + timedelta(days=3))
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["sessions", "send-reminders"])
    assert "1 reminder(s) sent." in result.output
    assert sorted(m.to[0] for m in outbox) == sorted(
        [relationship.mentor.email, relationship.mentee.email]
    )
    for message in outbox:
        other = "Mentee" if message.to[0] == relationship.mentor.email else "Mentor"
        assert f"Dr Secret {other}" not in message.body and "Career" not in message.body
    result = runner.invoke(args=["sessions", "send-reminders"])
    assert "0 reminder(s) sent." in result.output
    assert later.mentor.email not in [m.to[0] for m in outbox]


def test_an_expired_token_keeps_everything_typed(app, database_url, upload_folder, pair):
    """With CSRF on, a log sent with a stale token comes back filled in, with a fresh token."""
    relationship, _, _ = pair
    strict = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "UPLOAD_FOLDER": upload_folder,
            "WTF_CSRF_ENABLED": True,
        }
    )
    strict.test_client_class = IsolatedClient
    client = sign_in(strict.test_client(), relationship.mentor)
    data = session_form(summary="Forty minutes of careful writing", csrf_token="expired-token")
    response = client.post(f"/relationships/{relationship.id}/sessions/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Forty minutes of careful writing" in page
    assert "Nothing you wrote has been lost" in page
    assert 'name="csrf_token" value="' in page
    assert db.session.scalars(select(SessionLog)).all() == []
    # Other forms keep the site-wide check.
    response = client.post(f"/relationships/{relationship.id}/end", data={"reason": "other"})
    assert response.status_code == 400
    assert _reload(relationship.id).is_active
