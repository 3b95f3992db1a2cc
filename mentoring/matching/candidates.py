"""From the database to the engine's plain data, in a handful of queries whatever the pool size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from mentoring.auth.models import User
from mentoring.conflicts.models import ConflictOfInterest
from mentoring.core.vocabulary import CAREER_STAGE_SENIORITY, TIME_SLOTS
from mentoring.extensions import db
from mentoring.matching.engine import HOURS_PER_WEEK, MenteeRequest, MentorCandidate
from mentoring.mentors.models import (
    AvailabilityWindow,
    MentorFormat,
    MentorModel,
    MentorTopic,
)
from mentoring.mentors.queries import available_mentors
from mentoring.requests_.models import MentoringRequest, MentorOffer, OfferStatus

_SLOT_MINUTES = {value: (start, end) for value, _label, start, end in TIME_SLOTS}


def hours_of_week(day_of_week: int, start_minute: int, end_minute: int) -> set[int]:
    """The hours of the week a window touches (Monday 00:00 is hour 0); nights wrap into Monday."""
    first = start_minute // 60
    last = -(-end_minute // 60)  # round up
    return {(day_of_week * 24 + hour) % HOURS_PER_WEEK for hour in range(first, last)}


def slot_hours(day_of_week: int, slot: str) -> set[int]:
    start, end = _SLOT_MINUTES[slot]
    return hours_of_week(day_of_week, start, end)


def _place(text: str | None) -> str:
    return (text or "").strip().casefold()


def seniority(career_stage: str) -> int:
    return CAREER_STAGE_SENIORITY.get(career_stage, 0)


def available_candidates(
    *, on: date | None = None, mentor_ids: Iterable[int] | None = None
) -> list[MentorCandidate]:
    """Available mentors as the engine sees them: five queries in all, none per mentor."""
    query = available_mentors(on=on)
    if mentor_ids is not None:
        query = query.where(User.id.in_(list(mentor_ids)))
    rows = db.session.execute(query).all()
    if not rows:
        return []
    ids = [user.id for user, _profile in rows]
    formats = _grouped(MentorFormat.mentor_id, MentorFormat.format, ids)
    topics = _grouped(MentorTopic.mentor_id, MentorTopic.topic, ids)
    models = _grouped(MentorModel.mentor_id, MentorModel.model, ids)
    hours: dict[int, set[int]] = defaultdict(set)
    for window in db.session.execute(
        select(
            AvailabilityWindow.mentor_id,
            AvailabilityWindow.day_of_week,
            AvailabilityWindow.start_minute,
            AvailabilityWindow.end_minute,
        ).where(AvailabilityWindow.mentor_id.in_(ids))
    ):
        hours[window.mentor_id] |= hours_of_week(
            window.day_of_week, window.start_minute, window.end_minute
        )
    return [
        MentorCandidate(
            mentor_id=user.id,
            available=True,
            organisation=_place(profile.organisation),
            department=_place(profile.department),
            specialty=profile.specialty,
            seniority=seniority(profile.career_stage),
            gender=profile.gender,
            models=frozenset(models[user.id]),
            formats=frozenset(formats[user.id]),
            topics=frozenset(topics[user.id]),
            hours=frozenset(hours[user.id]),
            capacity=profile.capacity,
            active_mentees=profile.places_taken,
        )
        for user, profile in rows
    ]


def _grouped(key_column, value_column, ids: list[int]) -> dict[int, set[str]]:
    grouped: dict[int, set[str]] = defaultdict(set)
    for key, value in db.session.execute(
        select(key_column, value_column).where(key_column.in_(ids))
    ):
        grouped[key].add(value)
    return grouped


def excluded_mentor_ids(requests: Iterable[MentoringRequest]) -> dict[str, set[int]]:
    """Per request: mentors never to suggest again.

    A declared conflict of interest either way (matched by email or account), and any mentor who
    already declined this request or let it expire.
    """
    requests = list(requests)
    excluded: dict[str, set[int]] = {request.id: set() for request in requests}
    if not requests:
        return excluded
    by_requester = defaultdict(list)
    for request in requests:
        by_requester[request.requester_id].append(request.id)
    doctor = User.__table__.alias("doctor")
    mentor = User.__table__.alias("mentor")
    conflicts = db.session.execute(
        select(doctor.c.id, mentor.c.id)
        .select_from(ConflictOfInterest)
        .join(
            doctor,
            (ConflictOfInterest.doctor_id == doctor.c.id)
            | (ConflictOfInterest.doctor_email == doctor.c.email),
        )
        .join(
            mentor,
            (ConflictOfInterest.mentor_id == mentor.c.id)
            | (ConflictOfInterest.mentor_email == mentor.c.email),
        )
        .where(doctor.c.id.in_(list(by_requester)))
    )
    for doctor_id, mentor_id in conflicts:
        for request_id in by_requester[doctor_id]:
            excluded[request_id].add(mentor_id)
    refused = db.session.execute(
        select(MentorOffer.request_id, MentorOffer.mentor_id).where(
            MentorOffer.request_id.in_(list(excluded)),
            MentorOffer.status.in_([OfferStatus.DECLINED.value, OfferStatus.EXPIRED.value]),
        )
    )
    for request_id, mentor_id in refused:
        excluded[request_id].add(mentor_id)
    return excluded


def as_engine_request(request: MentoringRequest, excluded: set[int]) -> MenteeRequest:
    hours: set[int] = set()
    for day, slot in request.slots:
        hours |= slot_hours(day, slot)
    return MenteeRequest(
        request_id=request.id,
        requester_id=request.requester_id,
        organisation=_place(request.organisation),
        department=_place(request.department),
        specialty=request.specialty,
        seniority=seniority(request.career_stage),
        topics=frozenset(request.topics),
        formats=frozenset(request.formats),
        hours=frozenset(hours),
        preferred_model=request.preferred_model,
        outside_department=request.outside_department,
        outside_organisation=request.outside_organisation,
        specialty_preference=request.specialty_preference,
        more_senior_only=request.more_senior_only,
        gender_preference=request.gender_preference,
        excluded_mentor_ids=frozenset(excluded),
    )
