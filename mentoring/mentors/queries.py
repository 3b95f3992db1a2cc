"""Reads about mentors: who is available for matching, and why a mentor is or is not.

`available_mentors()` is the one definition of an *available mentor*, as a SQL query that matching
can filter further: at least one verified training record, a complete profile, capacity left, and
not paused (or the pause's return date has come).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select

from mentoring.auth.models import RoleGrant, User
from mentoring.extensions import db
from mentoring.mentors.models import (
    DEFAULT_CAPACITY,
    AvailabilityWindow,
    MentorFormat,
    MentorModel,
    MentorProfile,
    MentorTopic,
)
from mentoring.permissions import Role
from mentoring.training.models import TrainingModel, TrainingRecord, TrainingStatus
from mentoring.training.queries import verified_training_exists


def active_mentee_count_expression(mentor_id_column) -> ColumnElement[int]:
    """How many mentees a mentor has now (active relationships), as a correlated SQL count."""
    from mentoring.relationships.models import MentoringRelationship, RelationshipStatus

    return (
        select(func.count(MentoringRelationship.id))
        .where(
            MentoringRelationship.mentor_id == mentor_id_column,
            MentoringRelationship.status == RelationshipStatus.ACTIVE.value,
        )
        .scalar_subquery()
    )


def active_mentee_count(mentor_id: int) -> int:
    return int(db.session.scalar(select(active_mentee_count_expression(literal(mentor_id)))) or 0)


def places_taken(mentor_id: int) -> int:
    """Active mentees plus doctors' choices still waiting for this mentor's answer."""
    return int(
        db.session.scalar(
            select(MentorProfile.places_taken).where(MentorProfile.mentor_id == mentor_id)
        )
        or 0
    )


def _has_row(model, mentor_id_column) -> ColumnElement[bool]:
    return select(model.mentor_id).where(model.mentor_id == mentor_id_column).exists()


def offers_verified_model(mentor_id_column) -> ColumnElement[bool]:
    """The mentor offers at least one model that a verified training record of theirs teaches."""
    return (
        select(MentorModel.mentor_id)
        .join(
            TrainingRecord,
            and_(
                TrainingRecord.mentor_id == MentorModel.mentor_id,
                TrainingRecord.status == TrainingStatus.VERIFIED.value,
            ),
        )
        .join(
            TrainingModel,
            and_(
                TrainingModel.training_record_id == TrainingRecord.id,
                TrainingModel.model == MentorModel.model,
            ),
        )
        .where(MentorModel.mentor_id == mentor_id_column)
        .exists()
    )


def profile_complete(mentor_id_column) -> ColumnElement[bool]:
    """Formats, topics, availability and a verified model offered; the form requires the rest."""
    return and_(
        _has_row(MentorFormat, mentor_id_column),
        _has_row(MentorTopic, mentor_id_column),
        _has_row(AvailabilityWindow, mentor_id_column),
        offers_verified_model(mentor_id_column),
    )


def not_paused_on(day: date) -> ColumnElement[bool]:
    return or_(
        MentorProfile.paused.is_(False),
        and_(MentorProfile.paused_until.is_not(None), MentorProfile.paused_until <= day),
    )


def available_mentors(*, on: date | None = None) -> Select:
    """Mentors who can take a new mentee today, as a query over (User, MentorProfile)."""
    day = on or date.today()
    return mentors_available_unless_paused().where(not_paused_on(day))


def mentors_available_unless_paused() -> Select:
    """Mentors who could take a new mentee but for a pause, as a query over (User, MentorProfile).

    Only the pause depends on the day: `available_mentors(on=day)` is these, less those whose
    profile is paused on the day (`not_paused_on`). Reports asking about several days read these
    once and test each day's pause on the profile.
    """
    return (
        select(User, MentorProfile)
        .join(MentorProfile, MentorProfile.mentor_id == User.id)
        .join(RoleGrant, and_(RoleGrant.user_id == User.id, RoleGrant.role == Role.MENTOR.value))
        .where(
            User.is_disabled.is_(False),
            User.email_confirmed_at.is_not(None),
            verified_training_exists(User.id),
            profile_complete(User.id),
            MentorProfile.capacity > MentorProfile.places_taken,
        )
        .order_by(User.id)
    )


def is_available(mentor_id: int, *, on: date | None = None) -> bool:
    query = available_mentors(on=on).where(User.id == mentor_id).exists()
    return bool(db.session.scalar(select(query)))


@dataclass(frozen=True)
class MentorStatus:
    """Each condition for being available, so the mentor sees what is missing."""

    has_verified_training: bool
    has_profile: bool
    profile_complete: bool
    capacity: int
    active_mentees: int
    places_taken: int
    paused: bool
    paused_until: date | None
    available: bool

    @property
    def capacity_left(self) -> bool:
        return self.capacity > self.places_taken


def mentor_status(mentor: User, *, on: date | None = None) -> MentorStatus:
    day = on or date.today()
    profile = db.session.get(MentorProfile, mentor.id)
    verified = bool(db.session.scalar(select(verified_training_exists(literal(mentor.id)))))
    complete = bool(
        profile is not None and db.session.scalar(select(profile_complete(literal(mentor.id))))
    )
    active = active_mentee_count(mentor.id)
    return MentorStatus(
        has_verified_training=verified,
        has_profile=profile is not None,
        profile_complete=complete,
        capacity=profile.capacity if profile else DEFAULT_CAPACITY,
        active_mentees=active,
        places_taken=profile.places_taken if profile else 0,
        paused=bool(profile and profile.is_paused_on(day)),
        paused_until=profile.paused_until if profile and profile.is_paused_on(day) else None,
        available=is_available(mentor.id, on=day),
    )
