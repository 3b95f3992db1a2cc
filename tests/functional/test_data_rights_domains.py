"""Each domain's part of "download your data": one's own, never others' private text."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import event, select

from mentoring.extensions import db
from mentoring.requests_.models import MentorOffer
from tests.functional import privacy_story as s
from tests.functional.relationships.helpers import session_form


@pytest.fixture
def story(app, db):
    return s.build_story(app)


def export(client) -> tuple[dict, str]:
    response = client.get("/account/my-data.json")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    data = json.loads(body)
    return {section["key"]: section["rows"] for section in data["sections"]}, json.dumps(data)


def test_a_mentee_gets_her_words_and_what_was_shared_but_not_the_mentors_own_notes(story):
    sections, text = export(story.mentee)
    request = sections["requests"][0]
    assert request["your own words"] == s.WISHES
    assert request["topics"] and request["status"] == "matched with a mentor"
    relationship = sections["relationships"][0]
    assert relationship["you were the"] == "mentee"
    assert relationship["with"] == "Dr Mary Mentor"
    assert relationship["what else you agreed"] == s.AGREEMENT
    session = sections["session_logs"][0]
    assert session["shared summary"] == s.SUMMARY
    assert s.STAGE_NOTE in session["notes by stage"]
    assert "Career development" in session["topics"]
    action = sections["actions"][0]
    assert (action["action"], action["your reflection"]) == (s.ACTION, s.MENTEE_REFLECTION)
    assert sections["private_reflections"] == []
    assert sections["mentor_profile"] == sections["training"] == []
    # The mentor's private reflection, and anything of the other pair, are nowhere.
    for private in (s.REFLECTION, s.OTHER_REFLECTION, s.OTHER_SUMMARY, "Dr Otto Other"):
        assert private not in text


def test_a_mentor_gets_her_notes_and_records_but_not_another_mentors_nor_the_mentees_words(story):
    sections, text = export(story.mentor)
    assert [row["your reflection"] for row in sections["private_reflections"]] == [s.REFLECTION]
    assert sections["private_reflections"][0]["session with"] == "Dr Dee Mentee"
    assert sections["session_logs"][0]["shared summary"] == s.SUMMARY
    assert sections["session_logs"][0]["you were the"] == "mentor"
    assert sections["actions"][0]["action"] == s.ACTION
    assert sections["actions"][0]["your reflection"] == ""
    assert sections["relationships"][0]["feedback given"] == ""
    profile = sections["mentor_profile"][0]
    assert profile["about you"] == s.BIO and profile["places taken"] == 1
    training = sections["training"][0]
    assert training["course"] == "Mentoring skills"
    assert training["evidence file"] == "stored: certificate.pdf"
    assert training["status"] == "Verified"  # as the training page shows it
    assert sections["supervision"][0]["minutes"] == 90
    assert len(sections["support_requests"]) == 1
    assert sections["conflicts"][0]["the other person"] == "trainee@nhs.net"
    assert sections["requests"] == [] and sections["offers"] == []
    for private in (s.WISHES, s.MENTEE_REFLECTION, s.OTHER_REFLECTION, s.OTHER_SUMMARY):
        assert private not in text


def test_a_declaration_that_names_someone_is_not_shown_to_them(app, story):
    from tests.factories import make_conflict

    make_conflict(
        mentor_email="mary@nhs.net",
        doctor_email="dee@nhs.net",
        declared_by=story.mentee.user,
        declared_as="doctor",
    )
    db.session.commit()
    mentee_sections, _ = export(story.mentee)
    assert mentee_sections["conflicts"][0]["the other person"] == "mary@nhs.net"
    mentor_sections, text = export(story.mentor)
    assert [row["the other person"] for row in mentor_sections["conflicts"]] == ["trainee@nhs.net"]
    assert "dee@nhs.net" not in text


def test_the_readable_page_shows_each_domain_escaped(story):
    logged = story.mentor.post(
        f"/relationships/{story.relationship.id}/sessions/new",
        data=session_form(summary="<script>alert(1)</script>"),
    )
    assert logged.status_code == 302
    page = story.mentee.get("/account/my-data").get_data(as_text=True)
    for title in ("Your requests", "Your mentoring relationships", "Sessions you held"):
        assert title in page
    assert s.SUMMARY in page and s.WISHES.replace("'", "&#39;") in page
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert s.REFLECTION.replace("'", "&#39;") not in page


def _statements(app, client) -> int:
    seen = []

    def count(*_args, **_kwargs):
        seen.append(1)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get("/account/my-data.json").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_the_export_does_not_query_per_row(app, story):
    before = _statements(app, story.mentor)
    for _ in range(4):
        story.mentor.post(
            f"/relationships/{story.relationship.id}/sessions/new", data=session_form()
        )
    assert _statements(app, story.mentor) == before


def test_a_mentee_gets_who_has_read_her_record_as_the_app_shows_her(story):
    """Her "who has read your record" page lists her mentor's reads; her download has them too."""
    rel_id = story.relationship.id
    assert story.mentor.get(f"/relationships/{rel_id}").status_code == 200
    shown = story.mentee.get(f"/relationships/{rel_id}/reads").get_data(as_text=True)
    assert "Your mentor (Dr Mary Mentor)" in shown

    sections, _ = export(story.mentee)
    reads = sections["record_reads"]
    assert reads and {row["who"] for row in reads} >= {"your mentor, Dr Mary Mentor"}
    assert all(row["with"] == "Dr Mary Mentor" for row in reads)
    # The mentor's own download has no such list of her mentee's record.
    mentor_sections, _ = export(story.mentor)
    assert mentor_sections["record_reads"] == []


def test_a_doctor_whose_mentor_declined_reads_it_as_the_app_told_her(app, story):
    """The app tells her a mentor "is not able to take you on this time"; her download says the
    same, never "declined", while the mentor's own download says what she answered."""
    from tests.conftest import sign_in
    from tests.functional.test_account_deletion_domains import _waiting_doctor

    request = _waiting_doctor(story.mentor.user)
    offer_id = db.session.scalar(select(MentorOffer.id).where(MentorOffer.request_id == request.id))
    declined = story.mentor.post(
        f"/requests/offers/{offer_id}/decline", data={"reason": "no_capacity"}
    )
    assert declined.status_code == 302
    doctor = sign_in(app.test_client(), request.requester)

    sections, text = export(doctor)
    assert [row["what happened"] for row in sections["choices"]] == [
        "not able to take you on this time"
    ]
    assert "declin" not in text.lower() and "I do not have room" not in text
    mentor_sections, _ = export(story.mentor)
    [answer] = [row for row in mentor_sections["offers"] if row["answered"]]
    assert answer["what happened"] == "you declined"
    assert answer["your reason for declining"] == "I do not have room at the moment"


def test_a_waiting_doctor_gets_her_shortlist_and_the_mentor_is_not_told(app, story):
    from tests.conftest import sign_in
    from tests.functional.test_account_deletion_domains import _waiting_doctor

    request = _waiting_doctor(story.mentor.user)
    doctor = sign_in(app.test_client(), request.requester)
    sections, _ = export(doctor)
    assert [(row["mentor"], row["suggested by"]) for row in sections["shortlist"]] == [
        ("Dr Mary Mentor", "your shortlist")
    ]
    mentor_sections, mentor_text = export(story.mentor)
    assert mentor_sections["shortlist"] == []
    assert request.requester.display_name not in mentor_text


def test_the_record_of_what_was_done_reads_as_words_not_codes(story):
    story.mentor.get(f"/relationships/{story.relationship.id}")
    sections, _ = export(story.mentor)
    said = {row["what"] for row in sections["audit"]}
    assert {"session logged", "mentoring notes read"} <= said
    assert not [what for what in said if "." in what or "_" in what]
