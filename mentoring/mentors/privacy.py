"""A mentor's profile, supervision log and support requests: what they hold, what goes on leaving.

Export: the profile as the mentor edits it (including the times they offer), each supervision or
peer-support entry, and when they asked the coordinators for support. Deletion removes the profile
(bio, availability, what they offer) and the support requests; supervision entries stay, as they
hold only a date, minutes and a kind, for the scheme's supervision totals.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from mentoring.auth.models import User
from mentoring.core.vocabulary import (
    CAREER_STAGES,
    FORMATS,
    GENDERS,
    MENTORING_MODELS,
    SPECIALTIES,
    SUPERVISION_KINDS,
    TOPICS,
    label,
)
from mentoring.extensions import db
from mentoring.mentors.models import MentorProfile, SupervisionSession, SupportRequest
from mentoring.privacy.registry import eraser, exporter
from mentoring.privacy.rows import listed, text, when, yes_no
from mentoring.requests_.presentation import slot_labels


def _availability(profile: MentorProfile) -> str:
    slots = sorted((int(day), slot) for day, slot in (v.split(":", 1) for v in profile.slots))
    return listed(slot_labels(slots))


@exporter("mentor_profile", "Your mentor profile")
def export_mentor_profile(user: User) -> list[dict]:
    # Formats, topics, models and windows load with the profile (selectin on the model).
    profile = db.session.get(MentorProfile, user.id)
    if profile is None:
        return []
    return [
        {
            "career stage": label(CAREER_STAGES, profile.career_stage),
            "specialty": label(SPECIALTIES, profile.specialty),
            "organisation": profile.organisation,
            "department": text(profile.department),
            "about you": profile.bio,
            "gender": label(GENDERS, profile.gender),
            "mentees you can take": profile.capacity,
            "places taken": profile.places_taken,
            "paused": yes_no(profile.paused),
            "paused until": when(profile.paused_until),
            "ways to meet": listed(sorted(label(FORMATS, f) for f in profile.formats)),
            "topics": listed(sorted(label(TOPICS, t) for t in profile.topics)),
            "models": listed(sorted(label(MENTORING_MODELS, m) for m in profile.models)),
            "times you offer": _availability(profile),
            "last changed": when(profile.updated_at),
        }
    ]


@exporter("supervision", "Your supervision and peer support")
def export_supervision(user: User) -> list[dict]:
    entries = db.session.scalars(
        select(SupervisionSession)
        .where(SupervisionSession.mentor_id == user.id)
        .order_by(SupervisionSession.held_on)
    ).all()
    return [
        {
            "held on": when(entry.held_on),
            "minutes": entry.minutes,
            "kind": label(SUPERVISION_KINDS, entry.kind),
        }
        for entry in entries
    ]


@exporter("support_requests", "Times you asked the coordinators for support")
def export_support_requests(user: User) -> list[dict]:
    asked = db.session.scalars(
        select(SupportRequest)
        .where(SupportRequest.mentor_id == user.id)
        .order_by(SupportRequest.created_at)
    ).all()
    return [
        {"asked": when(item.created_at), "a coordinator responded": when(item.handled_at)}
        for item in asked
    ]


@eraser("mentor_profile")
def erase_mentor_profile(user: User) -> None:
    profile = db.session.get(MentorProfile, user.id)
    if profile is not None:
        db.session.delete(profile)  # its formats, topics, models and windows go with it
    db.session.execute(
        delete(SupportRequest)
        .where(SupportRequest.mentor_id == user.id)
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()
