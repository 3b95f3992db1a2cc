"""The relationship lifecycle: agree terms, log sessions, review, extend, end, feedback."""

from __future__ import annotations

from sqlalchemy import func, select

from mentoring.extensions import db
from mentoring.mentors.models import MentorProfile
from mentoring.permissions import Role
from mentoring.relationships.models import MenteeFeedback, MentoringRelationship
from mentoring.relationships.session_models import ActionItem, SessionLog
from tests.conftest import sign_in
from tests.factories import make_user
from tests.functional.relationships.helpers import make_relationship, session_form


def _pair(app, db, **fields):
    mentor = make_user(roles=[Role.MENTOR, Role.DOCTOR], display_name="Dr Mentor Person")
    mentee = make_user(roles=[Role.DOCTOR], display_name="Dr Mentee Person")
    relationship = make_relationship(mentor=mentor, mentee=mentee, **fields)
    as_mentor = sign_in(app.test_client(), mentor)
    as_mentee = sign_in(app.test_client(), mentee)
    return relationship, as_mentor, as_mentee


AGREEMENT = {
    "model": "grow",
    "meeting_frequency": "fortnightly",
    "meeting_format": "video",
    "planned_sessions": "2",
    "notes": "Text between sessions only to rearrange.",
    "confidentiality_understood": "y",
}


def _reload(relationship_id):
    db.session.expire_all()
    return db.session.get(MentoringRelationship, relationship_id)


def test_the_whole_lifecycle(app, db, outbox):
    relationship, as_mentor, as_mentee = _pair(app, db)
    rid = relationship.id
    base = f"/relationships/{rid}"

    # Terms are agreed at the start: the page explains confidentiality and its limits.
    page = as_mentee.get(f"{base}/agreement")
    assert b"its limits" in page.data or b"The limit" in page.data
    assert as_mentee.post(f"{base}/agreement", data=AGREEMENT).status_code == 302
    rel = _reload(rid)
    assert (rel.model, rel.planned_sessions, rel.agreed_at is not None) == ("grow", 2, True)
    assert rel.agreement_notes == "Text between sessions only to rearrange."

    # Two sessions on two different models.
    assert as_mentor.post(f"{base}/sessions/new?model=grow", data=session_form()).status_code == 302
    oskar = session_form("oskar", action_0_text="Book a clinic debrief", action_0_due="")
    assert as_mentor.post(f"{base}/sessions/new?model=oskar", data=oskar).status_code == 302
    logs = db.session.scalars(select(SessionLog).order_by(SessionLog.model)).all()
    assert [log.model for log in logs] == ["grow", "oskar"]
    oskar_log = logs[1]
    assert oskar_log.note_for("scaling").number_value == 4

    # The mentee ticks off an action, with a reflection.
    actions = db.session.scalars(select(ActionItem)).all()
    assert len(actions) == 2
    response = as_mentee.post(
        f"{base}/actions/{actions[0].id}", data={"status": "done", "reflection": "Went well"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    done = db.session.get(ActionItem, actions[0].id)
    assert (done.status, done.mentee_reflection) == ("done", "Went well")

    # The review comes due at the planned number; they extend.
    assert b"Review due" in as_mentee.get(base).data
    assert as_mentor.post(f"{base}/review", data={"extra_sessions": "2"}).status_code == 302
    rel = _reload(rid)
    assert (rel.planned_sessions, rel.extensions) == (4, 1)
    assert b"Review due" not in as_mentee.get(base).data

    # The mentee closes without a reason; the mentor's place is released.
    places_before = db.session.get(MentorProfile, rel.mentor_id).places_taken
    response = as_mentee.post(f"{base}/end", data={})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{base}/feedback")
    rel = _reload(rid)
    assert (rel.status, rel.ended_by, rel.ending_reason) == ("closed", "mentee", "not_given")
    assert db.session.get(MentorProfile, rel.mentor_id).places_taken == places_before - 1
    assert outbox[-1].to == [rel.mentor.email]
    assert "Went well" not in outbox[-1].body

    # Offered a no-fault new request, and optional feedback stored apart from the pair.
    page = as_mentee.get(f"{base}/feedback").data
    assert b"/requests/new" in page
    assert (
        as_mentee.post(
            f"{base}/feedback", data={"helpfulness": "4", "would_recommend": "yes"}
        ).status_code
        == 302
    )
    feedback = db.session.scalars(select(MenteeFeedback)).one()
    assert (feedback.helpfulness, feedback.would_recommend) == (4, True)
    assert not {"relationship_id", "mentee_id", "mentor_id"} & set(
        MenteeFeedback.__table__.columns.keys()
    )
    assert as_mentee.post(f"{base}/feedback", data={"helpfulness": "2"}).status_code == 400

    # An ended relationship takes no more sessions.
    response = as_mentor.post(f"{base}/sessions/new", data=session_form())
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(SessionLog.id))) == 2


def test_the_mentor_must_give_a_reason_to_end(app, db):
    relationship, as_mentor, _ = _pair(app, db)
    response = as_mentor.post(f"/relationships/{relationship.id}/end", data={})
    assert response.status_code == 400
    assert _reload(relationship.id).is_active
    response = as_mentor.post(f"/relationships/{relationship.id}/end", data={"reason": "goals_met"})
    assert response.status_code == 302
    rel = _reload(relationship.id)
    assert (rel.ended_by, rel.ending_reason) == ("mentor", "goals_met")


def test_ending_twice_releases_the_place_once(app, db):
    relationship, as_mentor, as_mentee = _pair(app, db)
    as_mentee.post(f"/relationships/{relationship.id}/end", data={})
    assert (
        as_mentor.post(
            f"/relationships/{relationship.id}/end", data={"reason": "goals_met"}
        ).status_code
        == 403
    )
    assert db.session.get(MentorProfile, relationship.mentor_id).places_taken == 0


def test_agreement_needs_confidentiality_talked_through(app, db):
    relationship, _, as_mentee = _pair(app, db)
    data = {**AGREEMENT, "confidentiality_understood": ""}
    response = as_mentee.post(f"/relationships/{relationship.id}/agreement", data=data)
    assert response.status_code == 400
    assert b"confidentiality" in response.data
    assert _reload(relationship.id).agreed_at is None


def test_default_plan_is_six_sessions(app, db):
    relationship, _, _ = _pair(app, db)
    assert relationship.planned_sessions == 6


def test_request_pages_link_to_the_relationship(app, db):
    relationship, _, as_mentee = _pair(app, db)
    page = as_mentee.get("/requests/mine").data.decode()
    assert f"/relationships/{relationship.id}" in page


def test_the_appraisal_record_counts_sessions_without_naming_anyone(app, db):
    from datetime import date, timedelta

    from mentoring.mentors.appraisal import mentoring_activity

    relationship, as_mentor, _ = _pair(app, db)
    base = f"/relationships/{relationship.id}"
    as_mentor.post(f"{base}/sessions/new?model=grow", data=session_form(minutes="60"))
    as_mentor.post(f"{base}/sessions/new?model=oskar", data=session_form("oskar", minutes="30"))
    today = date.today()
    activity = mentoring_activity(relationship.mentor_id, today - timedelta(days=365), today)
    assert (activity.mentees, activity.sessions, activity.session_minutes) == (1, 2, 90)
    assert activity.models_used == ["GROW", "OSKAR"]
    assert activity.topic_areas == ["Career development", "Workload"]
    page = as_mentor.get("/mentor/appraisal").get_data(as_text=True)
    assert "1 to 2" in page and "Dr Mentee Person" not in page


def test_both_ending_at_once_ends_it_once(app, db):
    """Two stale copies of one relationship: the second save is refused, the place freed once."""
    from sqlalchemy.orm import Session
    from sqlalchemy.orm.exc import StaleDataError

    from mentoring.relationships.services import relationship_end

    relationship, _, _ = _pair(app, db)
    with Session(db.engine) as other_session:
        stale = other_session.get(MentoringRelationship, relationship.id)
        with app.test_request_context():
            relationship_end(relationship=relationship, actor=relationship.mentee, reason=None)
        db.session.commit()
        stale.status = "closed"
        stale.ending_reason = "goals_met"
        try:
            other_session.flush()
            raise AssertionError("a stale relationship was saved")
        except StaleDataError:
            other_session.rollback()
    assert _reload(relationship.id).ending_reason == "not_given"
    assert db.session.get(MentorProfile, relationship.mentor_id).places_taken == 0


def test_from_request_to_relationship_and_back_to_a_new_request(app, db, login_as):
    """Through the real request flow: accept, both pages link to it, ending frees the place."""
    from mentoring.requests_.models import MentorOffer
    from tests.functional.requests.helpers import make_available_mentor, request_form

    mentor_user = make_available_mentor(capacity=1)
    db.session.commit()
    doctor = login_as(Role.DOCTOR)
    doctor.post("/requests/new", data=request_form())
    doctor.post("/requests/mine/choose", data={"mentor_id": str(mentor_user.id)})
    mentor = sign_in(app.test_client(), mentor_user)
    offer = db.session.scalars(select(MentorOffer)).one()
    assert mentor.post(f"/requests/offers/{offer.id}/accept").status_code == 302
    relationship = db.session.scalars(select(MentoringRelationship)).one()
    assert db.session.get(MentorProfile, mentor_user.id).places_taken == 1
    accepted = mentor.get(f"/requests/offers/{offer.id}/accepted").get_data(as_text=True)
    assert f"/relationships/{relationship.id}" in accepted
    assert f"/relationships/{relationship.id}" in doctor.get("/requests/mine").get_data(
        as_text=True
    )
    mentor.post(f"/relationships/{relationship.id}/end", data={"reason": "mentor_unable"})
    db.session.expire_all()
    assert db.session.get(MentorProfile, mentor_user.id).places_taken == 0
    # The mentee may ask again at once: no fault, no waiting.
    assert doctor.post("/requests/new", data=request_form()).status_code == 302


def test_a_blank_number_of_extra_sessions_asks_for_one(app, db):
    """Spaces typed in the box are not a number: a clear message, never an error page."""
    relationship, as_mentor, _ = _pair(app, db)
    response = as_mentor.post(
        f"/relationships/{relationship.id}/review", data={"extra_sessions": " "}
    )
    assert response.status_code == 400
    assert "Enter how many more sessions you plan" in response.get_data(as_text=True)
    assert _reload(relationship.id).extensions == 0


def test_feedback_given_just_after_midnight_in_summer_counts_in_the_new_month(app, db, monkeypatch):
    """00:30 on 1 July in London is 23:30 on 30 June in UTC: the scheme's month is July."""
    from datetime import UTC, date, datetime

    from mentoring.relationships import services

    relationship, _, as_mentee = _pair(app, db)
    base = f"/relationships/{relationship.id}"
    assert as_mentee.post(f"{base}/end", data={}).status_code == 302
    monkeypatch.setattr(services, "utcnow", lambda: datetime(2026, 6, 30, 23, 30, tzinfo=UTC))
    assert as_mentee.post(f"{base}/feedback", data={"helpfulness": "5"}).status_code == 302
    assert db.session.scalars(select(MenteeFeedback.month)).one() == date(2026, 7, 1)


def test_ending_as_the_other_person_saves_the_same_moment_saves_nothing_and_says_so(app, db):
    """Another save moves the relationship's version on just before the mentor's "end" is
    written: the end finds the relationship changed, saves nothing and says so."""
    from sqlalchemy import event, update

    relationship, as_mentor, _ = _pair(app, db, planned_sessions=6)
    rid = relationship.id
    table = MentoringRelationship.__table__

    landed = []

    def other_save_lands_first(session, _context, _instances):
        if landed:
            return
        landed.append(True)
        session.execute(
            update(table)
            .where(table.c.id == rid)
            .values(planned_sessions=table.c.planned_sessions + 2, version=table.c.version + 1)
        )

    event.listen(db.session, "before_flush", other_save_lands_first)
    try:
        response = as_mentor.post(f"/relationships/{rid}/end", data={"reason": "goals_met"})
    finally:
        event.remove(db.session, "before_flush", other_save_lands_first)

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/relationships/{rid}")
    page = as_mentor.get(response.headers["Location"]).get_data(as_text=True)
    assert "The relationship changed while you were ending it" in page
    rel = _reload(rid)
    assert rel.status == "active" and rel.ended_at is None


def test_an_ended_relationship_says_why_in_words_not_markup(app, db):
    """Both people read why it ended as a sentence: no tags shown as text."""
    relationship, as_mentor, as_mentee = _pair(app, db)
    as_mentor.post(f"/relationships/{relationship.id}/end", data={"reason": "goals_met"})
    for reader in (as_mentor, as_mentee):
        page = reader.get(f"/relationships/{relationship.id}").get_data(as_text=True)
        assert "<p>This relationship has ended (" in page
        assert "&lt;p&gt;" not in page and "&lt;/p&gt;" not in page
