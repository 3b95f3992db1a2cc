"""Deleting an account across the domains: things close kindly, private text is destroyed."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from mentoring.auth.models import utcnow
from mentoring.conflicts.models import ConflictOfInterest
from mentoring.extensions import db
from mentoring.mentors.models import MentorProfile, SupervisionSession, SupportRequest
from mentoring.permissions import Role
from mentoring.relationships.models import MentoringRelationship
from mentoring.relationships.session_models import SessionLog, SessionTopic
from mentoring.requests_.models import (
    MentoringRequest,
    MentorOffer,
    RequestTopic,
    Suggestion,
)
from mentoring.training.models import TrainingRecord
from tests.conftest import sign_in
from tests.factories import FACTORY_PASSWORD, make_user
from tests.functional import privacy_story as s
from tests.functional.relationships.helpers import session_form


@pytest.fixture
def story(app, db, outbox):
    built = s.build_story(app)
    outbox.clear()
    return built


def delete_account(client) -> None:
    response = client.post(
        "/account/delete", data={"understood": "y", "password": FACTORY_PASSWORD}
    )
    assert response.status_code == 302


def appraisal(client) -> str:
    """What the appraisal record page shows, from its heading (no tokens, no passing messages)."""
    page = client.get("/mentor/appraisal")
    assert page.status_code == 200
    return re.search(r"<h1.*</main>", page.get_data(as_text=True), re.S).group(0)


def count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def raw(sql: str, **params) -> list[tuple]:
    """Straight from the table, past the models: what a copy of the database would hold."""
    db.session.expire_all()
    return [tuple(row) for row in db.session.execute(text(sql), params).all()]


def test_a_mentee_who_leaves_ends_her_mentoring_kindly_and_her_text_is_gone(story, outbox):
    rel_id = story.relationship.id
    sessions, topics = count(SessionLog), count(SessionTopic)
    request_topics = count(RequestTopic)
    appraisal_before = appraisal(story.mentor)

    delete_account(story.mentee)

    relationship = db.session.get(MentoringRelationship, rel_id)
    assert relationship.status == "closed" and relationship.ended_at is not None
    assert (relationship.ended_by, relationship.ending_reason) == ("mentee", "mentee_moved_on")
    assert db.session.get(MentorProfile, story.mentor.user.id).places_taken == 0
    # The sealed columns are empty in the rows themselves, not merely hidden.
    assert raw(
        "SELECT summary_sealed, reflection_sealed FROM session_log WHERE relationship_id = :r",
        r=rel_id,
    ) == [(None, None)]
    assert raw(
        "SELECT DISTINCT n.notes_sealed FROM session_stage_note n "
        "JOIN session_log l ON l.id = n.session_id WHERE l.relationship_id = :r",
        r=rel_id,
    ) == [(None,)]
    assert raw(
        "SELECT agreement_notes_sealed FROM mentoring_relationship WHERE id = :r", r=rel_id
    ) == [(None,)]
    assert raw("SELECT count(*) FROM action_item WHERE relationship_id = :r", r=rel_id) == [(0,)]
    assert raw(
        "SELECT wishes_sealed, department FROM mentoring_request WHERE requester_id = :u",
        u=story.mentee.user.id,
    ) == [(None, "")]
    # What reports count stays: the sessions, their topics, the request's topics.
    assert (count(SessionLog), count(SessionTopic), count(RequestTopic)) == (
        sessions,
        topics,
        request_topics,
    )
    # The other pair is untouched.
    other_log = db.session.scalars(
        select(SessionLog).where(SessionLog.relationship_id == story.other_relationship.id)
    ).one()
    assert (other_log.summary, other_log.reflection) == (s.OTHER_SUMMARY, s.OTHER_REFLECTION)
    # The mentor is told, warmly, that mentoring has ended; not who left or why.
    [message] = outbox
    assert message.to == ["mary@nhs.net"]
    assert "has ended" in message.subject
    assert "Thank you for the time and care" in message.body
    for telling in ("Dee", "delete", "account"):
        assert telling not in message.body
    # The mentor's pages still work, with the text gone.
    page = story.mentor.get(f"/relationships/{rel_id}")
    assert page.status_code == 200 and s.ACTION not in page.get_data(as_text=True)
    log_id = db.session.scalars(
        select(SessionLog.id).where(SessionLog.relationship_id == rel_id)
    ).one()
    session_page = story.mentor.get(f"/relationships/{rel_id}/sessions/{log_id}")
    assert session_page.status_code == 200
    assert s.SUMMARY not in session_page.get_data(as_text=True)
    # Her appraisal record still counts the session she held, exactly as before.
    assert appraisal(story.mentor) == appraisal_before
    assert "1 session" in appraisal_before


def _waiting_doctor(mentor):
    """A doctor who chose `mentor` and waits for an answer; the offer holds one of the places."""
    doctor = make_user(roles=[Role.DOCTOR], email="waiting@nhs.net")
    request = MentoringRequest(
        requester_id=doctor.id,
        status="offered",
        career_stage="core",
        specialty="surgery",
        organisation="Hillside Trust",
        department="Surgery",
        suggestions=[Suggestion(mentor_id=mentor.id, rank=1)],
    )
    db.session.add(request)
    db.session.flush()
    db.session.add(
        MentorOffer(request_id=request.id, mentor_id=mentor.id, respond_by=utcnow() + timedelta(7))
    )
    db.session.get(MentorProfile, mentor.id).places_taken += 1
    db.session.commit()
    return request


def test_a_mentor_who_leaves_frees_everyone_waiting_and_takes_only_her_own_text(
    app, story, outbox, upload_folder
):
    rel_id = story.relationship.id
    mentor_id = story.mentor.user.id
    waiting = _waiting_doctor(story.mentor.user)
    evidence = Path(upload_folder) / "training" / story.evidence_file
    assert evidence.exists()

    delete_account(story.mentor)

    relationship = db.session.get(MentoringRelationship, rel_id)
    assert (relationship.status, relationship.ended_by) == ("closed", "mentor")
    assert relationship.ending_reason == "mentor_unable"
    # Her private reflection is destroyed; what she shared stays with the mentee.
    assert raw(
        "SELECT reflection_sealed FROM session_log WHERE relationship_id = :r", r=rel_id
    ) == [(None,)]
    log = db.session.scalars(select(SessionLog).where(SessionLog.relationship_id == rel_id)).one()
    assert log.summary == s.SUMMARY
    page = story.mentee.get(f"/relationships/{rel_id}/sessions/{log.id}").get_data(as_text=True)
    assert "Dee weighed up part-time training" in page
    for url in ("/relationships/", f"/relationships/{rel_id}"):
        assert story.mentee.get(url).status_code == 200
    assert s.ACTION in story.mentee.get(f"/relationships/{rel_id}").get_data(as_text=True)
    # Profile, training records and their files, support requests, declarations: gone.
    assert db.session.get(MentorProfile, mentor_id) is None
    assert count(TrainingRecord, TrainingRecord.mentor_id == mentor_id) == 0
    assert not evidence.exists()
    assert count(SupportRequest) == 0
    assert count(ConflictOfInterest) == 0
    # Supervision totals keep their figures (date, minutes, kind: nothing else is stored).
    assert count(SupervisionSession) == 1
    # The doctor waiting for her answer chooses again, with no unsuccessful offer counted.
    db.session.expire_all()
    request = db.session.get(MentoringRequest, waiting.id)
    assert request.status == "open" and request.unsuccessful_offers == 0
    offer = db.session.scalars(select(MentorOffer).where(MentorOffer.request_id == waiting.id))
    assert offer.one().status == "withdrawn"
    assert count(Suggestion, Suggestion.mentor_id == mentor_id) == 0
    by_address = {message.to[0]: message for message in outbox}
    assert set(by_address) == {"dee@nhs.net", "waiting@nhs.net"}
    assert "choose your mentor again" in by_address["waiting@nhs.net"].subject
    # The mentee is told kindly, and asking again is one link away.
    to_mentee = by_address["dee@nhs.net"].body
    assert "not about you" in to_mentee
    assert "/requests/new?again=1" in to_mentee
    assert "Mary" not in to_mentee


def test_a_mentee_whose_mentor_left_finds_her_answers_filled_in(story):
    delete_account(story.mentor)
    page = story.mentee.get("/requests/new?again=1").get_data(as_text=True)
    assert 'value="career_development" checked' in page
    assert 'value="stress" checked' in page
    assert "Hillside Trust" in page
    assert s.WISHES.replace("'", "&#39;") not in page  # her words were for last time
    plain = story.mentee.get("/requests/new").get_data(as_text=True)
    assert 'value="career_development" checked' not in plain


def test_a_declaration_naming_someone_who_left_still_protects_its_maker(story):
    from tests.factories import make_conflict

    make_conflict(
        mentor_email="mary@nhs.net",
        doctor_email="dee@nhs.net",
        declared_by=story.mentee.user,
        declared_as="doctor",
    )
    db.session.commit()
    delete_account(story.mentor)
    remaining = db.session.scalars(select(ConflictOfInterest)).all()
    assert [(c.mentor_email, c.doctor_email) for c in remaining] == [
        ("mary@nhs.net", "dee@nhs.net")
    ]


def test_a_doctor_with_a_live_request_who_leaves_gives_the_place_back(app, db, outbox):
    mentor = make_user(roles=[Role.MENTOR, Role.DOCTOR])
    from tests.factories import make_profile

    make_profile(mentor)
    request = _waiting_doctor(mentor)
    doctor = sign_in(app.test_client(), request.requester)
    delete_account(doctor)
    db.session.expire_all()
    assert db.session.get(MentoringRequest, request.id).status == "withdrawn"
    assert db.session.get(MentorProfile, mentor.id).places_taken == 0
    assert raw("SELECT department FROM mentoring_request WHERE id = :r", r=request.id) == [("",)]
    assert outbox == []


def test_someone_both_mentored_and_mentoring_loses_the_text_of_each_part(app, story, outbox):
    """Dr Mary is also mentored by Dr Otto: as his mentee all her text goes; as a mentor, hers."""
    from tests.functional.relationships.helpers import make_relationship

    mentored = make_relationship(mentor=story.other_mentor.user, mentee=story.mentor.user)
    s._log_session(story.other_mentor, mentored.id, summary="Otto with Mary: shared.")
    delete_account(story.mentor)
    assert raw(
        "SELECT summary_sealed, reflection_sealed FROM session_log WHERE relationship_id = :r",
        r=mentored.id,
    ) == [(None, None)]
    assert raw(
        "SELECT count(summary_sealed), count(reflection_sealed) FROM session_log "
        "WHERE relationship_id = :r",
        r=story.relationship.id,
    ) == [(1, 0)]
    assert {message.to[0] for message in outbox} == {"dee@nhs.net", story.other_mentor.user.email}


class _MailServerDown:
    """A mail server that refuses every message, as SMTP does during an outage."""

    def __init__(self, **_kwargs):
        pass

    def send_messages(self, _messages):
        raise ConnectionRefusedError("mail server unreachable")


def test_a_leaving_mentors_evidence_files_go_even_when_the_mail_server_is_down(
    app, story, upload_folder, monkeypatch
):
    evidence = Path(upload_folder) / "training" / story.evidence_file
    assert evidence.exists()
    monkeypatch.setattr(app.extensions["mailman"], "backend", _MailServerDown)

    # Her mentee's "mentoring has ended" email cannot go out after the commit.
    story.mentor.post("/account/delete", data={"understood": "y", "password": FACTORY_PASSWORD})

    # The deletion was committed, so the file it stopped referring to must not stay on disk.
    assert count(TrainingRecord, TrainingRecord.mentor_id == story.mentor.user.id) == 0
    assert not evidence.exists()


def test_a_mail_outage_after_deleting_still_tells_the_person_it_is_done_and_the_email_follows(
    app, story, outbox, monkeypatch
):
    monkeypatch.setattr(app.extensions["mailman"], "backend", _MailServerDown)
    response = story.mentee.post(
        "/account/delete", data={"understood": "y", "password": FACTORY_PASSWORD}
    )
    # The account is gone, so the person is told so, not shown an error page.
    assert response.status_code == 302
    home = story.mentee.get(response.headers["Location"])
    assert "Your account has been deleted" in home.get_data(as_text=True)
    # Her mentor's "mentoring has ended" email waits for the mail server rather than being lost.
    assert raw("SELECT recipient, failed_attempts FROM outgoing_email") == [
        (story.mentor.user.email, 1)
    ]
    assert outbox == []

    monkeypatch.undo()
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "Sent 1; 0 still waiting." in result.output
    assert [message.to for message in outbox] == [[story.mentor.user.email]]
    assert "ended" in outbox[0].subject
    assert raw("SELECT count(*) FROM outgoing_email") == [(0,)]


def test_after_a_mentee_leaves_her_former_mentor_cannot_write_about_her_again(story):
    """Her text was destroyed; the closed record cannot be filled in again from the edit form."""
    rel_id = story.relationship.id
    log_id = db.session.scalars(
        select(SessionLog.id).where(SessionLog.relationship_id == rel_id)
    ).one()
    delete_account(story.mentee)

    edit = f"/relationships/{rel_id}/sessions/{log_id}/edit"
    data = session_form(summary="Written again about Dee.", action_0_text="A new action.")
    data["version"] = str(db.session.get(SessionLog, log_id).version)
    response = story.mentor.post(edit, data=data)

    assert response.status_code in (302, 400)
    assert raw("SELECT summary_sealed FROM session_log WHERE relationship_id = :r", r=rel_id) == [
        (None,)
    ]
    assert raw("SELECT count(*) FROM action_item WHERE relationship_id = :r", r=rel_id) == [(0,)]
    detail = story.mentor.get(f"/relationships/{rel_id}/sessions/{log_id}")
    assert "Change this session log" not in detail.get_data(as_text=True)


def test_a_mentors_save_in_flight_when_the_mentee_leaves_does_not_write_her_text_back(story):
    """Another worker has the session log loaded for the mentor's save when the deletion commits:
    the save must find the log changed, not put the destroyed summary back."""
    from sqlalchemy.orm import Session
    from sqlalchemy.orm.exc import StaleDataError

    rel_id = story.relationship.id
    with Session(db.engine) as in_flight:
        log = in_flight.scalars(
            select(SessionLog).where(SessionLog.relationship_id == rel_id)
        ).one()
        assert log.relationship_.is_active  # what the mentor's request checked before saving

        delete_account(story.mentee)

        log.summary = "Written about Dee after she left."
        with pytest.raises(StaleDataError):
            in_flight.commit()
    assert raw("SELECT summary_sealed FROM session_log WHERE relationship_id = :r", r=rel_id) == [
        (None,)
    ]
