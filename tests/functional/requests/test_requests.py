"""A doctor asks for a mentor, chooses from a shortlist, and a mentor answers."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select, text

from mentoring.auth.models import utcnow
from mentoring.mentors.models import MentorProfile
from mentoring.permissions import Role
from mentoring.relationships.models import MentoringRelationship
from mentoring.requests_.models import MentoringRequest, MentorOffer, OfferStatus
from tests.factories import make_conflict
from tests.functional.requests.helpers import make_available_mentor, request_form

WISHES = "I would like to think about whether to go part time."


def live_request(db, user_id):
    db.session.expire_all()
    return db.session.scalar(
        select(MentoringRequest).where(
            MentoringRequest.requester_id == user_id,
            MentoringRequest.status.in_(["open", "offered"]),
        )
    )


def places_taken(db, mentor_id):
    db.session.expire_all()
    return db.session.get(MentorProfile, mentor_id).places_taken


def chosen(doctor, mentor_id):
    return doctor.post("/requests/mine/choose", data={"mentor_id": str(mentor_id)})


def test_the_whole_journey_request_choose_accept(db, login_as, outbox):
    mentors = [make_available_mentor(name=f"Dr Mentor {n}") for n in range(4)]
    db.session.commit()
    doctor = login_as(Role.DOCTOR)

    response = doctor.post("/requests/new", data=request_form())
    assert response.status_code == 302
    page = doctor.get("/requests/mine").get_data(as_text=True)
    assert page.count("Why this mentor") == 3  # a shortlist of three
    assert "Comfortable with 1 of your 1 topics" in page
    assert "Free when you are: 4 hours a week (Tue)" in page

    first_choice = int(re.search(r'name="mentor_id" value="(\d+)"', page).group(1))
    assert chosen(doctor, first_choice).status_code == 302
    assert places_taken(db, first_choice) == 1
    assert len(outbox) == 1 and outbox[0].to == [
        db.session.get(type(mentors[0]), first_choice).email
    ]

    mentor = login_as(Role.MENTOR)  # placeholder client, replaced below
    from tests.conftest import sign_in

    sign_in(mentor, db.session.get(type(mentors[0]), first_choice))
    offers_page = mentor.get("/requests/offers").get_data(as_text=True)
    assert "Career development" in offers_page
    offer = db.session.scalar(select(MentorOffer).where(MentorOffer.mentor_id == first_choice))
    offer_page = mentor.get(f"/requests/offers/{offer.id}").get_data(as_text=True)
    assert WISHES not in offer_page  # the doctor's own words only after accepting
    assert doctor.user.display_name not in offer_page

    response = mentor.post(f"/requests/offers/{offer.id}/accept")
    assert response.status_code == 302
    accepted_page = mentor.get(response.headers["Location"]).get_data(as_text=True)
    assert WISHES in accepted_page
    assert doctor.user.display_name in accepted_page

    db.session.expire_all()
    relationship = db.session.scalar(select(MentoringRelationship))
    assert (relationship.mentor_id, relationship.mentee_id) == (first_choice, doctor.user.id)
    assert places_taken(db, first_choice) == 1  # the offer's place became the relationship's
    assert "Dr Mentor" in doctor.get("/requests/mine").get_data(as_text=True)
    # Emails say what happened and nothing of what the request was about.
    for message in outbox:
        assert "Career development" not in message.body
        assert "part time" not in message.body


def test_wishes_are_encrypted_in_the_database(db, login_as):
    make_available_mentor()
    db.session.commit()
    doctor = login_as(Role.DOCTOR)
    doctor.post("/requests/new", data=request_form())
    raw = db.session.execute(text("SELECT wishes_sealed FROM mentoring_request")).scalar_one()
    assert b"part time" not in bytes(raw)
    assert live_request(db, doctor.user.id).wishes == WISHES


def test_urgent_topics_show_urgent_help_before_sending(db, login_as):
    doctor = login_as(Role.DOCTOR)
    form_page = doctor.get("/requests/new").get_data(as_text=True)
    # The help is in the form itself, revealed with the urgent topics' checkboxes.
    assert form_page.count("Mentoring is not crisis care") == 2
    assert 'data-aria-controls="conditional-topics-' in form_page
    # A submission that still has problems shows it at the top too.
    response = doctor.post(
        "/requests/new", data=request_form(topics=["negative_thoughts"], formats=[])
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert page.index("Mentoring is not crisis care") < page.index("There is a problem") or (
        "Samaritans" in page
    )
    # The request can still be made.
    response = doctor.post("/requests/new", data=request_form(topics=["negative_thoughts"]))
    assert response.status_code == 302


def test_bad_input_gets_clear_messages_and_saves_nothing(db, login_as):
    doctor = login_as(Role.DOCTOR)
    cases = [
        (request_form(topics=[]), "Choose at least one topic"),
        (request_form(formats=["carrier_pigeon"]), "Choose only from the options shown"),
        (request_form(preferred_model="hypnosis"), "Not a valid choice"),
        (request_form(slots=["9:evening"]), "Choose only from the options shown"),
        (request_form(slots=[]), "Choose at least one time you could meet"),
        (request_form(wishes="x" * 2001), "Keep this to 2000 characters"),
        (request_form(career_stage=""), "Choose your career stage"),
    ]
    for data, message in cases:
        response = doctor.post("/requests/new", data=data)
        assert response.status_code == 400, message
        page = response.get_data(as_text=True)
        assert message in page, message
        assert "Hillside Trust" in page  # what was typed is kept
    assert db.session.scalar(select(func.count()).select_from(MentoringRequest)) == 0


def test_one_live_request_per_person(db, login_as):
    make_available_mentor()
    db.session.commit()
    doctor = login_as(Role.DOCTOR)
    assert doctor.post("/requests/new", data=request_form()).status_code == 302
    response = doctor.post("/requests/new", data=request_form())
    assert response.status_code == 400
    assert "You already have a request" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(MentoringRequest)) == 1
    # The database refuses a second live request even if the check were skipped.
    first = live_request(db, doctor.user.id)
    import pytest
    from sqlalchemy.exc import IntegrityError

    duplicate = MentoringRequest(
        requester_id=doctor.user.id,
        career_stage="core",
        specialty="surgery",
        organisation="x",
        department="y",
    )
    db.session.add(duplicate)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert first is not None


def test_a_request_is_always_the_signed_in_doctors_own(db, login_as):
    make_available_mentor()
    other = login_as(Role.DOCTOR)
    db.session.commit()
    doctor = login_as(Role.DOCTOR)
    doctor.post(
        "/requests/new", data=request_form(requester_id=str(other.user.id), email=other.user.email)
    )
    assert live_request(db, doctor.user.id) is not None
    assert live_request(db, other.user.id) is None


def test_edit_and_withdraw(db, login_as):
    mentor = make_available_mentor()
    db.session.commit()
    doctor = login_as(Role.DOCTOR)
    doctor.post("/requests/new", data=request_form())
    edit_page = doctor.get("/requests/mine/edit").get_data(as_text=True)
    assert "Hillside Trust" in edit_page and WISHES in edit_page
    response = doctor.post(
        "/requests/mine/edit", data=request_form(topics=["workload", "stress"], wishes="Changed")
    )
    assert response.status_code == 302
    request = live_request(db, doctor.user.id)
    assert sorted(request.topics) == ["stress", "workload"]
    assert request.wishes == "Changed"

    chosen(doctor, mentor.id)
    assert places_taken(db, mentor.id) == 1
    assert doctor.post("/requests/mine/withdraw").status_code == 302
    assert live_request(db, doctor.user.id) is None
    assert places_taken(db, mentor.id) == 0  # the held place is released
    db.session.expire_all()
    offer = db.session.scalar(select(MentorOffer))
    assert offer.status == OfferStatus.WITHDRAWN.value


def test_choosing_a_mentor_not_on_the_shortlist_is_refused(db, login_as):
    make_available_mentor()
    elsewhere = make_available_mentor(formats=("in_person",))  # not a fit: no shared format
    db.session.commit()
    doctor = login_as(Role.DOCTOR)
    doctor.post("/requests/new", data=request_form())
    response = chosen(doctor, elsewhere.id)
    assert response.status_code == 302
    page = doctor.get("/requests/mine").get_data(as_text=True)
    assert "Choose one of the mentors suggested to you" in page
    assert places_taken(db, elsewhere.id) == 0


def test_a_mentor_who_paused_since_the_shortlist_cannot_be_chosen(db, login_as):
    mentor = make_available_mentor()
    db.session.commit()
    doctor = login_as(Role.DOCTOR)
    doctor.post("/requests/new", data=request_form())
    db.session.get(MentorProfile, mentor.id).paused = True
    db.session.commit()
    chosen(doctor, mentor.id)
    page = doctor.get("/requests/mine").get_data(as_text=True)
    assert "last place has just been taken" in page
    assert places_taken(db, mentor.id) == 0
    assert live_request(db, doctor.user.id).status == "open"


def test_conflicts_of_interest_are_never_suggested_either_way(db, login_as):
    supervisor = make_available_mentor(email="supervisor@nhs.net")
    avoided = make_available_mentor(email="avoided@nhs.net")
    fine = make_available_mentor(email="fine@nhs.net")
    doctor = login_as(Role.DOCTOR, email="trainee@nhs.net")
    make_conflict(
        mentor_email="supervisor@nhs.net",
        doctor_email="trainee@nhs.net",
        declared_by=supervisor,
        declared_as="mentor",
    )
    make_conflict(
        mentor_email="avoided@nhs.net",
        doctor_email="trainee@nhs.net",
        declared_by=doctor.user,
        declared_as="doctor",
    )
    db.session.commit()
    doctor.post("/requests/new", data=request_form())
    request = live_request(db, doctor.user.id)
    assert [s.mentor_id for s in request.suggestions] == [fine.id]
    assert supervisor.id != avoided.id


def test_outside_organisation_is_respected(db, login_as):
    make_available_mentor(organisation="Hillside Trust")
    outsider = make_available_mentor(organisation="Valley Health")
    db.session.commit()
    doctor = login_as(Role.DOCTOR)
    doctor.post("/requests/new", data=request_form(outside_organisation="y"))
    assert [s.mentor_id for s in live_request(db, doctor.user.id).suggestions] == [outsider.id]


def test_accepting_an_offer_meant_for_another_mentor_is_refused(db, login_as):
    mentor = make_available_mentor()
    db.session.commit()
    doctor = login_as(Role.DOCTOR)
    doctor.post("/requests/new", data=request_form())
    chosen(doctor, mentor.id)
    offer = db.session.scalar(select(MentorOffer))
    intruder = login_as(Role.MENTOR)
    assert intruder.get(f"/requests/offers/{offer.id}").status_code == 403
    assert intruder.post(f"/requests/offers/{offer.id}/accept").status_code == 403
    assert db.session.scalar(select(func.count()).select_from(MentoringRelationship)) == 0


def test_decline_lets_the_doctor_choose_again_and_keeps_the_reason_private(db, login_as, outbox):
    from tests.conftest import sign_in

    first = make_available_mentor()
    second = make_available_mentor()
    db.session.commit()
    doctor = login_as(Role.DOCTOR)
    doctor.post("/requests/new", data=request_form())
    for round_, mentor in enumerate((first, second), start=1):
        chosen(doctor, mentor.id)
        offer = db.session.scalar(select(MentorOffer).where(MentorOffer.mentor_id == mentor.id))
        mentor_client = login_as(Role.MENTOR)
        sign_in(mentor_client, mentor)
        bad = mentor_client.post(f"/requests/offers/{offer.id}/decline", data={})
        assert bad.status_code == 400 and "Choose a reason" in bad.get_data(as_text=True)
        response = mentor_client.post(
            f"/requests/offers/{offer.id}/decline", data={"reason": "not_right_fit"}
        )
        assert response.status_code == 302
        assert places_taken(db, mentor.id) == 0
        page = doctor.get("/requests/mine").get_data(as_text=True)
        assert "not the right mentor" not in page
        request = live_request(db, doctor.user.id)
        assert request.status == "open"
        assert request.unsuccessful_offers == round_
        assert mentor.id not in [s.mentor_id for s in request.suggestions]
    # Declined twice: the coordinators are asked to help.
    assert live_request(db, doctor.user.id).needs_coordinator is True
    assert any("choose your mentor again" in m.subject for m in outbox)


def test_an_offer_nobody_answers_expires(app, db, login_as):
    from tests.conftest import sign_in

    mentor = make_available_mentor()
    db.session.commit()
    doctor = login_as(Role.DOCTOR)
    doctor.post("/requests/new", data=request_form())
    chosen(doctor, mentor.id)
    offer = db.session.scalar(select(MentorOffer))
    offer.respond_by = utcnow() - timedelta(minutes=1)
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["matching", "expire-offers"])
    assert "1 offer(s) expired" in result.output
    db.session.expire_all()
    assert db.session.get(MentorOffer, offer.id).status == OfferStatus.EXPIRED.value
    assert places_taken(db, mentor.id) == 0
    mentor_client = login_as(Role.MENTOR)
    sign_in(mentor_client, mentor)
    mentor_client.post(f"/requests/offers/{offer.id}/accept")
    assert db.session.scalar(select(func.count()).select_from(MentoringRelationship)) == 0
    assert live_request(db, doctor.user.id).status == "open"


def test_with_no_eligible_mentor_the_request_reaches_the_coordinators(db, login_as):
    doctor = login_as(Role.DOCTOR)
    doctor.post("/requests/new", data=request_form())
    assert live_request(db, doctor.user.id).needs_coordinator is True
    page = doctor.get("/requests/mine").get_data(as_text=True)
    assert "A scheme coordinator will look for one" in page


def test_a_gender_preference_is_matched_on_the_mentors_own_answer(db, login_as):
    make_available_mentor(gender="man")
    woman = make_available_mentor(gender="woman")
    make_available_mentor(gender=None)
    db.session.commit()
    doctor = login_as(Role.DOCTOR)
    doctor.post("/requests/new", data=request_form(gender_preference="woman"))
    assert [s.mentor_id for s in live_request(db, doctor.user.id).suggestions] == [woman.id]


def test_a_doctor_with_a_mentor_cannot_open_a_second_request(db, login_as):
    from mentoring.relationships.models import MentoringRelationship

    mentor = make_available_mentor()
    db.session.commit()
    doctor = login_as(Role.DOCTOR)
    doctor.post("/requests/new", data=request_form())
    request = live_request(db, doctor.user.id)
    request.status = "matched"
    db.session.add(
        MentoringRelationship(mentor_id=mentor.id, mentee_id=doctor.user.id, request_id=request.id)
    )
    db.session.commit()
    response = doctor.post("/requests/new", data=request_form())
    assert response.status_code == 400
    assert "You already have a mentor" in response.get_data(as_text=True)
    assert live_request(db, doctor.user.id) is None
