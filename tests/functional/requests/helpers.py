"""Shared set-up for request and matching tests: available mentors and a valid request form."""

from __future__ import annotations

from mentoring.permissions import Role
from tests.factories import make_profile, make_training_record, make_user

EVENING_TUESDAY = (1, 18 * 60, 22 * 60)


def make_available_mentor(
    *,
    email: str | None = None,
    name: str | None = None,
    capacity: int = 2,
    topics=("career_development", "workload"),
    formats=("video",),
    models=("grow",),
    windows=(EVENING_TUESDAY,),
    organisation: str = "Riverside Hospitals",
    gender: str | None = None,
):
    mentor = make_user(roles=[Role.MENTOR, Role.DOCTOR], email=email, display_name=name)
    make_training_record(mentor, models=models)
    profile = make_profile(
        mentor, capacity=capacity, topics=topics, formats=formats, models=models, windows=windows
    )
    profile.organisation = organisation
    profile.gender = gender
    return mentor


def request_form(**changes) -> dict:
    data = {
        "topics": ["career_development"],
        "wishes": "I would like to think about whether to go part time.",
        "career_stage": "specialty_training",
        "specialty": "general_medicine",
        "organisation": "Hillside Trust",
        "department": "Acute medicine",
        "specialty_preference": "any",
        "gender_preference": "",
        "preferred_model": "",
        "formats": ["video", "phone"],
        "slots": ["1:evening"],
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
