"""Demo mentors: trained and verified, awaiting verification, returned, paused, refresher overdue.

Built through the services, so the demo data obeys the same rules as real use.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from mentoring.auth.models import User
from mentoring.conflicts.services import conflict_declare_by_doctor, conflict_declare_by_mentor
from mentoring.mentors.services import ProfileDetails, mentor_pause, profile_save
from mentoring.mentors.support_services import supervision_log
from mentoring.training.models import TrainingRecord
from mentoring.training.services import (
    TrainingDetails,
    training_record_create,
    training_record_return,
    training_record_verify,
)

WEEKEND_EVENINGS = ["5:evening", "6:evening", "6:daytime", "1:evening", "3:evening"]
NIGHTS_AND_EARLY = ["0:night", "2:night", "4:early_morning", "5:early_morning", "3:early_morning"]
WEEKDAY_DAYTIME = ["0:daytime", "1:daytime", "2:daytime", "3:daytime"]


def _training(
    mentor: User,
    title: str,
    provider: str,
    days_ago: int,
    hours: str,
    models: list[str],
    other: str | None = None,
) -> TrainingRecord:
    return training_record_create(
        mentor=mentor,
        details=TrainingDetails(
            title=title,
            provider=provider,
            completed_on=date.today() - timedelta(days=days_ago),
            hours=Decimal(hours),
            models=models,
            other_model_name=other,
        ),
    )


def _profile(mentor: User, **fields) -> None:
    defaults = {
        "department": None,
        "capacity": 2,
    }
    profile_save(mentor=mentor, details=ProfileDetails(**{**defaults, **fields}))


def demo_training_create(people: dict[str, User]) -> None:
    coordinator = people["coordinator@demo.test"]
    sam = people["mentor@demo.test"]
    grace = people["grace.chen@demo.test"]
    owen = people["owen.davies@demo.test"]
    hannah = people["hannah.lewis@demo.test"]
    kwame = people["kwame.mensah@demo.test"]

    # The demo mentor: trained, profile filled in, waiting for a coordinator to verify.
    _training(
        sam, "Mentoring skills for clinicians", "Regional deanery", 150, "14", ["grow", "egan"]
    )
    _profile(
        sam,
        career_stage="consultant",
        specialty="emergency_medicine",
        organisation="Riverside Hospitals NHS Trust",
        department="Emergency department",
        bio="Emergency medicine consultant for ten years. I like to help people find their own "
        "way through a problem and leave with a plan they believe in.",
        formats=["video", "phone"],
        topics=["career_development", "work_life_balance", "workload", "stress", "career_choice"],
        models=["grow", "egan"],
        slots=WEEKEND_EVENINGS,
    )
    supervision_log(
        mentor=sam,
        held_on=date.today() - timedelta(days=40),
        hours=Decimal("1.5"),
        kind="supervision",
    )
    supervision_log(
        mentor=sam,
        held_on=date.today() - timedelta(days=12),
        hours=Decimal("1"),
        kind="peer_support",
    )

    # Available: verified, complete, out-of-hours by video and phone.
    record = _training(grace, "GROW coaching for doctors", "Coaching Academy", 700, "21", ["grow"])
    training_record_verify(record=record, reviewer=coordinator)
    _profile(
        grace,
        career_stage="specialty_training",
        specialty="anaesthetics",
        organisation="Northfield University Hospitals",
        bio="Anaesthetics registrar and trained coach. Happy to talk early in the morning or "
        "after a night shift.",
        formats=["video", "phone"],
        topics=["assessments_education", "self_confidence", "colleague_relationships", "stress"],
        models=["grow"],
        slots=NIGHTS_AND_EARLY,
        capacity=3,
    )
    conflict_declare_by_mentor(mentor=grace, doctor_email="priya.nair@demo.test")

    # Verified but paused for a few weeks.
    record = _training(
        owen, "CLEAR and OSKAR in practice", "Mentoring Network", 400, "12", ["clear", "oskar"]
    )
    training_record_verify(record=record, reviewer=coordinator)
    _profile(
        owen,
        career_stage="gp",
        specialty="general_practice",
        organisation="Hillside Medical Practice",
        bio="GP partner. Interested in teams, change and returning to work after time away.",
        formats=["in_person", "video"],
        topics=["developing_teams_services", "managing_change", "return_to_work", "morale"],
        models=["clear", "oskar"],
        slots=WEEKDAY_DAYTIME + ["2:evening"],
    )
    mentor_pause(mentor=owen, until=date.today() + timedelta(days=42))
    conflict_declare_by_doctor(doctor=people["doctor@demo.test"], mentor_email=owen.email)

    # Available, but the refresher is overdue: trained over three years ago.
    record = _training(
        hannah, "Egan skilled helper workshop", "University mentoring centre", 1200, "30", ["egan"]
    )
    training_record_verify(record=record, reviewer=coordinator)
    _profile(
        hannah,
        career_stage="sas",
        specialty="psychiatry",
        organisation="Riverside Hospitals NHS Trust",
        department="Liaison psychiatry",
        bio="Specialty doctor in psychiatry. Experienced in supporting colleagues through "
        "difficult times at work and at home.",
        formats=["in_person", "video", "phone"],
        topics=[
            "work_after_injury_illness",
            "dealing_with_illness",
            "personal_relationships",
            "bullying_harassment",
            "morale",
        ],
        models=["egan"],
        slots=["1:early_morning", "4:evening", "5:daytime"],
        capacity=1,
    )

    # Returned by a coordinator: the certificate is missing. No profile yet.
    record = _training(
        kwame,
        "Solution-focused mentoring",
        "Private provider",
        60,
        "6",
        ["other"],
        other="Solution-focused coaching",
    )
    training_record_return(
        record=record,
        reviewer=coordinator,
        reason="Please attach the certificate, or a letter from the provider with the hours.",
    )
