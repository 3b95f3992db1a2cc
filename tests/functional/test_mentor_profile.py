"""The mentor profile, availability windows, capacity, pause, and what makes a mentor available."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from mentoring.mentors import queries
from mentoring.mentors.models import AvailabilityWindow, MentorProfile
from mentoring.permissions import Role
from tests.factories import make_profile, make_training_record, make_user


def profile_form(**overrides) -> dict:
    data = {
        "career_stage": "consultant",
        "specialty": "emergency_medicine",
        "organisation": "Riverside Hospitals",
        "department": "Emergency department",
        "bio": "I help people find their own way through a problem.",
        "models": ["grow"],
        "formats": ["video", "phone"],
        "slots": ["0:early_morning", "5:evening", "6:night"],
        "topics": ["workload", "stress"],
        "capacity": "2",
    }
    data.update(overrides)
    return data


def profile_of(db, mentor_id: int) -> MentorProfile | None:
    db.session.expire_all()
    return db.session.get(MentorProfile, mentor_id)


@pytest.fixture
def trained_mentor(db, login_as):
    mentor = login_as(Role.MENTOR)
    make_training_record(mentor.user, status="verified", models=("grow",))
    db.session.commit()
    return mentor


def test_a_mentor_fills_in_their_profile(db, trained_mentor):
    page = trained_mentor.get("/mentor/profile").get_data(as_text=True)
    assert "Early morning, 6am to 8am" in page
    assert "Night, 10pm to 6am" in page
    assert "Negative thoughts or suicidal ideation" in page  # the full DOMAIN topic list
    response = trained_mentor.post("/mentor/profile", data=profile_form())
    assert response.status_code == 302
    profile = profile_of(db, trained_mentor.user.id)
    assert profile.career_stage == "consultant"
    assert profile.formats == {"video", "phone"}
    assert profile.topics == {"workload", "stress"}
    assert profile.models == {"grow"}
    assert profile.capacity == 2
    windows = {
        (w.day_of_week, w.start_minute, w.end_minute)
        for w in db.session.scalars(select(AvailabilityWindow))
    }
    # Early morning Monday, Saturday evening, Sunday night running into Monday morning.
    assert windows == {(0, 360, 480), (5, 1080, 1320), (6, 1320, 1800)}
    # Saved values come back on the form.
    page = trained_mentor.get("/mentor/profile").get_data(as_text=True)
    assert 'value="6:night" checked' in page
    assert "I help people find their own way" in page


def test_saving_again_replaces_the_choices(db, trained_mentor):
    trained_mentor.post("/mentor/profile", data=profile_form())
    response = trained_mentor.post(
        "/mentor/profile", data=profile_form(slots=["2:daytime"], formats=["in_person"])
    )
    assert response.status_code == 302
    profile = profile_of(db, trained_mentor.user.id)
    assert profile.slots == {"2:daytime"}
    assert profile.formats == {"in_person"}


PROFILE_BAD_INPUT = [
    ({"career_stage": ""}, "Choose your career stage"),
    ({"career_stage": "wizard"}, "Choose your career stage"),
    ({"specialty": "astrology"}, "Choose your specialty"),
    ({"organisation": ""}, "Enter your organisation"),
    ({"bio": ""}, "Write a short introduction about yourself"),
    ({"bio": "x" * 1001}, "Your introduction must be 1000 characters or fewer"),
    ({"formats": []}, "Choose at least one way you can meet"),
    ({"formats": ["carrier pigeon"]}, "Choose only from the options shown"),
    ({"topics": []}, "Choose at least one topic you are comfortable with"),
    ({"slots": []}, "Choose at least one time you are available"),
    ({"slots": ["7:evening"]}, "Choose only from the options shown"),
    ({"models": ["unknown"]}, "Choose only from the options shown"),
    ({"models": ["oskar"]}, "Choose only from the options shown"),  # not in their training
    ({"capacity": "0"}, "Capacity must be between 1 and 10"),
    ({"capacity": "11"}, "Capacity must be between 1 and 10"),
    ({"capacity": "two"}, "Enter a whole number, like 2"),
]


@pytest.mark.parametrize(("overrides", "message"), PROFILE_BAD_INPUT)
def test_bad_profile_input_is_refused_and_nothing_saved(db, trained_mentor, overrides, message):
    response = trained_mentor.post("/mentor/profile", data=profile_form(**overrides))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert profile_of(db, trained_mentor.user.id) is None


def test_capacity_cannot_be_set_below_the_current_number_of_mentees(db, trained_mentor):
    trained_mentor.post("/mentor/profile", data=profile_form(capacity="4"))
    # Three places taken, as after three doctors' choices (see tests/functional/requests).
    profile_of(db, trained_mentor.user.id).places_taken = 3
    db.session.commit()
    response = trained_mentor.post("/mentor/profile", data=profile_form(capacity="2"))
    assert response.status_code == 400
    assert "Capacity cannot be less than your 3 current mentees" in response.get_data(as_text=True)
    assert profile_of(db, trained_mentor.user.id).capacity == 4


def test_models_come_from_the_mentors_training(db, login_as):
    mentor = login_as(Role.MENTOR)
    page = mentor.get("/mentor/profile").get_data(as_text=True)
    assert "Add your" in page and "training records" in page
    make_training_record(mentor.user, status="awaiting", models=("clear", "oskar"))
    db.session.commit()
    page = mentor.get("/mentor/profile").get_data(as_text=True)
    assert 'value="clear"' in page
    assert 'value="grow"' not in page
    assert "Awaiting verification: CLEAR, OSKAR" in page


# --- available mentors -----------------------------------------------------------------------


def available(db) -> set[int]:
    db.session.expire_all()
    return {user.id for user, _profile in db.session.execute(queries.available_mentors())}


def test_available_needs_verified_training_complete_profile_capacity_and_no_pause(db):
    ready = make_user(roles=[Role.MENTOR])
    make_training_record(ready, models=("grow",))
    make_profile(ready, models=("grow",))

    unverified = make_user(roles=[Role.MENTOR])
    make_training_record(unverified, status="awaiting", models=("grow",))
    make_profile(unverified, models=("grow",))

    no_profile = make_user(roles=[Role.MENTOR])
    make_training_record(no_profile)

    offers_unverified_model = make_user(roles=[Role.MENTOR])
    make_training_record(offers_unverified_model, models=("grow",))
    make_training_record(offers_unverified_model, status="awaiting", models=("clear",))
    make_profile(offers_unverified_model, models=("clear",))

    no_windows = make_user(roles=[Role.MENTOR])
    make_training_record(no_windows)
    make_profile(no_windows, windows=())

    paused = make_user(roles=[Role.MENTOR])
    make_training_record(paused)
    make_profile(paused, paused=True)

    pause_over = make_user(roles=[Role.MENTOR])
    make_training_record(pause_over)
    make_profile(pause_over, paused=True, paused_until=date.today())

    pause_later = make_user(roles=[Role.MENTOR])
    make_training_record(pause_later)
    make_profile(pause_later, paused=True, paused_until=date.today() + timedelta(days=3))

    no_longer_mentor = make_user(roles=[Role.DOCTOR])
    make_training_record(no_longer_mentor)
    make_profile(no_longer_mentor)

    disabled = make_user(roles=[Role.MENTOR], disabled=True)
    make_training_record(disabled)
    make_profile(disabled)
    db.session.commit()

    assert available(db) == {ready.id, pause_over.id}


def test_no_capacity_left_means_not_available(db):
    mentor = make_user(roles=[Role.MENTOR])
    make_training_record(mentor)
    profile = make_profile(mentor, capacity=1)
    db.session.commit()
    assert available(db) == {mentor.id}
    profile.places_taken = 1  # the one place is held by a mentee (or a doctor's choice)
    db.session.commit()
    assert available(db) == set()


def test_the_status_page_shows_what_is_missing(db, login_as):
    mentor = login_as(Role.MENTOR)
    page = mentor.get("/mentor/").get_data(as_text=True)
    assert "Not yet available for new mentees" in page
    assert page.count("To do") == 2  # training and profile; capacity and pause are fine
    make_training_record(mentor.user)
    make_profile(mentor.user)
    db.session.commit()
    page = mentor.get("/mentor/").get_data(as_text=True)
    assert "Available for new mentees" in page
    assert "To do" not in page


# --- pause and resume ------------------------------------------------------------------------


@pytest.fixture
def available_mentor(db, login_as):
    mentor = login_as(Role.MENTOR)
    make_training_record(mentor.user)
    make_profile(mentor.user)
    db.session.commit()
    return mentor


def test_a_mentor_pauses_with_a_return_date_and_resumes(db, available_mentor):
    until = date.today() + timedelta(days=14)
    response = available_mentor.post("/mentor/pause", data={"until": until.isoformat()})
    assert response.status_code == 302
    profile = profile_of(db, available_mentor.user.id)
    assert (profile.paused, profile.paused_until) == (True, until)
    assert available(db) == set()
    page = available_mentor.get("/mentor/").get_data(as_text=True)
    assert "Paused" in page and until.strftime("%-d %B %Y") in page

    assert available_mentor.post("/mentor/resume").status_code == 302
    profile = profile_of(db, available_mentor.user.id)
    assert (profile.paused, profile.paused_until) == (False, None)
    assert available(db) == {available_mentor.user.id}


def test_a_pause_without_a_return_date_lasts_until_resumed(db, available_mentor):
    assert available_mentor.post("/mentor/pause", data={"until": ""}).status_code == 302
    profile = profile_of(db, available_mentor.user.id)
    assert (profile.paused, profile.paused_until) == (True, None)
    assert available(db) == set()


@pytest.mark.parametrize(
    ("until", "message"),
    [
        ((date.today() - timedelta(days=1)).isoformat(), "The return date must be in the future"),
        (date.today().isoformat(), "The return date must be in the future"),
        ("31/02/2026", "Enter a real date"),
    ],
)
def test_a_return_date_in_the_past_is_refused(db, available_mentor, until, message):
    response = available_mentor.post("/mentor/pause", data={"until": until})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert profile_of(db, available_mentor.user.id).paused is False


def test_pausing_needs_a_profile(db, login_as):
    mentor = login_as(Role.MENTOR)
    response = mentor.post("/mentor/pause", data={})
    assert response.status_code == 400
    assert "Fill in your mentor profile first" in response.get_data(as_text=True)


def test_every_availability_checkbox_has_its_own_id(db, trained_mentor):
    import re

    page = trained_mentor.get("/mentor/profile").get_data(as_text=True)
    ids = re.findall(r'<input[^>]*\bid="(slots[^"]*)"', page)
    assert len(ids) == 28
    assert len(set(ids)) == 28


def test_gender_is_optional_and_only_from_the_list(db, trained_mentor):
    assert trained_mentor.post("/mentor/profile", data=profile_form()).status_code == 302
    assert profile_of(db, trained_mentor.user.id).gender is None
    trained_mentor.post("/mentor/profile", data=profile_form(gender="woman"))
    assert profile_of(db, trained_mentor.user.id).gender == "woman"
    response = trained_mentor.post("/mentor/profile", data=profile_form(gender="robot"))
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert profile_of(db, trained_mentor.user.id).gender == "woman"
