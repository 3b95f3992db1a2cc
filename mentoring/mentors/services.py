"""Mentor profile, pause and resume. Services flush; the view commits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import update

from mentoring.auth.models import User
from mentoring.core.errors import ServiceError
from mentoring.core.vocabulary import (
    CAREER_STAGES,
    FORMATS,
    GENDERS,
    MENTORING_MODELS,
    SPECIALTIES,
    TIME_SLOTS,
    TOPICS,
    values,
)
from mentoring.extensions import db
from mentoring.mentors import queries
from mentoring.mentors.models import (
    MAX_CAPACITY,
    AvailabilityWindow,
    MentorFormat,
    MentorModel,
    MentorProfile,
    MentorTopic,
)
from mentoring.training.queries import trained_models_of

BIO_MAX_LENGTH = 1000
SLOT_TIMES = {value: (start, end) for value, _label, start, end in TIME_SLOTS}


@dataclass(frozen=True)
class ProfileDetails:
    career_stage: str
    specialty: str
    organisation: str
    department: str | None
    bio: str
    capacity: int
    gender: str | None = None
    formats: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    slots: list[str] = field(default_factory=list)  # "<day 0-6>:<slot value>"


def parse_slot(value: str) -> tuple[int, int, int]:
    """`"2:evening"` -> (day 2, start minute, end minute); ServiceError if it is not one."""
    day, _, slot = value.partition(":")
    if not day.isdigit() or not 0 <= int(day) <= 6 or slot not in SLOT_TIMES:
        raise ServiceError("Choose times only from the grid shown", field="slots")
    start, end = SLOT_TIMES[slot]
    return int(day), start, end


def _check_choices(details: ProfileDetails, mentor: User) -> None:
    if details.career_stage not in values(CAREER_STAGES):
        raise ServiceError("Choose your career stage from the list", field="career_stage")
    if details.specialty not in values(SPECIALTIES):
        raise ServiceError("Choose your specialty from the list", field="specialty")
    if not set(details.formats) <= values(FORMATS) or not details.formats:
        raise ServiceError("Choose at least one way you can meet", field="formats")
    if not set(details.topics) <= values(TOPICS) or not details.topics:
        raise ServiceError("Choose at least one topic you are comfortable with", field="topics")
    if not set(details.models) <= values(MENTORING_MODELS):
        raise ServiceError("Choose models only from the list shown", field="models")
    untrained = set(details.models) - trained_models_of(mentor.id)
    if untrained:
        raise ServiceError(
            "You can offer only models that one of your training records teaches", field="models"
        )
    if not details.slots:
        raise ServiceError("Choose at least one time you are available", field="slots")


def _check_text(details: ProfileDetails) -> None:
    if not (details.organisation or "").strip():
        raise ServiceError("Enter your organisation", field="organisation")
    if not (details.bio or "").strip():
        raise ServiceError("Write a short introduction about yourself", field="bio")
    if len(details.bio) > BIO_MAX_LENGTH:
        raise ServiceError(
            f"Your introduction must be {BIO_MAX_LENGTH} characters or fewer", field="bio"
        )


def _check_capacity(capacity: int | None, mentor: User) -> None:
    if capacity is None or not 1 <= capacity <= MAX_CAPACITY:
        raise ServiceError(f"Capacity must be between 1 and {MAX_CAPACITY}", field="capacity")
    current = queries.places_taken(mentor.id)
    if capacity < current:
        raise ServiceError(
            f"Capacity cannot be less than your {current} current mentees "
            "(including doctors waiting for your answer)",
            field="capacity",
        )


def _replace_rows(rows: list, wanted: set[str], make, attribute: str) -> None:
    for row in list(rows):
        if getattr(row, attribute) not in wanted:
            rows.remove(row)
    for value in sorted(wanted - {getattr(row, attribute) for row in rows}):
        rows.append(make(value))


def profile_save(*, mentor: User, details: ProfileDetails) -> MentorProfile:
    _check_text(details)
    _check_choices(details, mentor)
    _check_capacity(details.capacity, mentor)
    windows = sorted({parse_slot(value) for value in details.slots})
    profile = db.session.get(MentorProfile, mentor.id)
    if profile is None:
        profile = MentorProfile(mentor_id=mentor.id)
        db.session.add(profile)
    profile.career_stage = details.career_stage
    profile.specialty = details.specialty
    profile.organisation = details.organisation.strip()
    profile.department = (details.department or "").strip() or None
    profile.bio = details.bio.strip()
    profile.capacity = details.capacity
    profile.gender = details.gender if details.gender in values(GENDERS) else None
    _replace_rows(
        profile.format_rows, set(details.formats), lambda v: MentorFormat(format=v), "format"
    )
    _replace_rows(profile.topic_rows, set(details.topics), lambda v: MentorTopic(topic=v), "topic")
    _replace_rows(profile.model_rows, set(details.models), lambda v: MentorModel(model=v), "model")
    wanted = set(windows)
    for window in list(profile.windows):
        key = (window.day_of_week, window.start_minute, window.end_minute)
        if key not in wanted:
            profile.windows.remove(window)
        wanted.discard(key)
    for day, start, end in sorted(wanted):
        profile.windows.append(
            AvailabilityWindow(day_of_week=day, start_minute=start, end_minute=end)
        )
    db.session.flush()
    return profile


def _profile_of(mentor: User) -> MentorProfile:
    profile = db.session.get(MentorProfile, mentor.id)
    if profile is None:
        raise ServiceError("Fill in your mentor profile first")
    return profile


def mentor_pause(*, mentor: User, until: date | None, today: date | None = None) -> None:
    """Take no new mentees for now; an optional return date ends the pause by itself."""
    today = today or date.today()
    if until is not None and until <= today:
        raise ServiceError("The return date must be in the future", field="until")
    profile = _profile_of(mentor)
    profile.paused = True
    profile.paused_until = until
    db.session.flush()


def mentor_resume(*, mentor: User) -> None:
    profile = _profile_of(mentor)
    profile.paused = False
    profile.paused_until = None
    db.session.flush()


def mentor_place_release(*, mentor_id: int) -> None:
    """A place the mentor offered is free again: a conditional UPDATE, never below zero."""
    db.session.execute(
        update(MentorProfile)
        .where(MentorProfile.mentor_id == mentor_id, MentorProfile.places_taken > 0)
        .values(places_taken=MentorProfile.places_taken - 1)
        .execution_options(synchronize_session=False)
    )
