"""Demo requests: enough available mentors for a real shortlist, and one request that waits.

A demo doctor whose mentoring has ended (liam.obrien@demo.test) can ask again: weekday evenings or
a Saturday by video will give three suggestions. Another demo doctor's request, which nobody fits
as it stands, waits in the coordinators' queue.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from mentoring.auth.models import RoleGrant, User, utcnow
from mentoring.extensions import db
from mentoring.mentors.services import ProfileDetails, profile_save
from mentoring.permissions import Role
from mentoring.requests_.services import RequestDetails, request_create
from mentoring.training.services import (
    TrainingDetails,
    training_record_create,
    training_record_verify,
)

EVENINGS_AND_SATURDAY = ["0:evening", "1:evening", "2:evening", "3:evening", "5:daytime"]

DEMO_MENTORS = [
    # email, name, career stage, specialty, organisation, models, topics, gender
    (
        "aisha.rahman@demo.test",
        "Dr Aisha Rahman",
        "consultant",
        "general_medicine",
        "Northfield University Hospitals",
        ["grow", "clear"],
        ["career_development", "work_life_balance", "career_choice", "workload", "morale"],
        "woman",
    ),
    (
        "ben.carter@demo.test",
        "Dr Ben Carter",
        "sas",
        "psychiatry",
        "Valley Mental Health Partnership",
        ["egan"],
        ["stress", "work_life_balance", "self_confidence", "career_development"],
        "man",
    ),
    (
        "chloe.martin@demo.test",
        "Dr Chloe Martin",
        "consultant",
        "paediatrics",
        "Riverside Hospitals NHS Trust",
        ["oskar", "grow"],
        ["career_development", "assessments_education", "taking_an_opportunity"],
        "woman",
    ),
    (
        "dev.sharma@demo.test",
        "Dr Dev Sharma",
        "gp",
        "general_practice",
        "Hillside Medical Practice",
        ["clear"],
        ["career_development", "workload", "managing_change", "engagement"],
        None,
    ),
]


def _mentor(email, name, stage, specialty, organisation, models, topics, gender, *, hash_, by):
    mentor = User(
        email=email,
        display_name=name,
        password_hash=hash_,
        email_confirmed_at=utcnow(),
        role_grants=[RoleGrant(role=Role.MENTOR.value), RoleGrant(role=Role.DOCTOR.value)],
    )
    db.session.add(mentor)
    db.session.flush()
    record = training_record_create(
        mentor=mentor,
        details=TrainingDetails(
            title="Mentoring for doctors: foundations",
            provider="Regional mentoring network",
            completed_on=date.today() - timedelta(days=300),
            hours=Decimal("18"),
            models=models,
            other_model_name=None,
        ),
    )
    training_record_verify(record=record, reviewer=by)
    profile_save(
        mentor=mentor,
        details=ProfileDetails(
            career_stage=stage,
            specialty=specialty,
            organisation=organisation,
            department=None,
            bio=f"{name.removeprefix('Dr ')} has mentored doctors at every stage and listens more "
            "than they talk.",
            capacity=2,
            gender=gender,
            formats=["video", "phone"],
            topics=topics,
            models=models,
            slots=EVENINGS_AND_SATURDAY,
        ),
    )
    return mentor


def demo_requests_create(people: dict[str, User]) -> None:
    coordinator = people["coordinator@demo.test"]
    password_hash = people["doctor@demo.test"].password_hash
    for entry in DEMO_MENTORS:
        _mentor(*entry, hash_=password_hash, by=coordinator)
    # Nobody fits this one as it stands (in person only, on Sunday nights): it waits for help.
    request_create(
        requester=people["fatima.hussain@demo.test"],
        details=RequestDetails(
            topics=["return_to_work", "work_after_injury_illness"],
            wishes="Example text: I am going back to work after an operation and want to plan it.",
            career_stage="core",
            specialty="surgery",
            organisation="Riverside Hospitals NHS Trust",
            department="Trauma and orthopaedics",
            outside_department=False,
            outside_organisation=True,
            specialty_preference="any",
            more_senior_only=True,
            gender_preference=None,
            preferred_model=None,
            formats=["in_person"],
            slots=[(6, "night")],
        ),
    )
