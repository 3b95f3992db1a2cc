"""Requests and offers in words people read: labels, not stored codes."""

from __future__ import annotations

from mentoring.core.vocabulary import (
    CAREER_STAGES,
    DAYS_OF_WEEK,
    FORMATS,
    GENDERS,
    MENTORING_MODELS,
    SPECIALTIES,
    TIME_SLOTS,
    TOPICS,
    label,
)
from mentoring.requests_.models import MentoringRequest, MentorOffer

_SLOT_LABELS = {value: text for value, text, _start, _end in TIME_SLOTS}
_SPECIALTY_PREFERENCE = {
    "any": "No preference",
    "same": "The same as mine",
    "different": "Different from mine",
}


def slot_labels(slots: list[tuple[int, str]]) -> list[str]:
    return [
        f"{label(DAYS_OF_WEEK, str(day))}: {_SLOT_LABELS.get(slot, slot)}" for day, slot in slots
    ]


def request_summary(request: MentoringRequest) -> dict:
    """Structured fields only: what a coordinator may see, and what the doctor reviews."""
    return {
        "topics": [label(TOPICS, topic) for topic in request.topics],
        "formats": [label(FORMATS, value) for value in request.formats],
        "slots": slot_labels(request.slots),
        "career_stage": label(CAREER_STAGES, request.career_stage),
        "specialty": label(SPECIALTIES, request.specialty),
        "organisation": request.organisation,
        "department": request.department,
        "outside_department": request.outside_department,
        "outside_organisation": request.outside_organisation,
        "specialty_preference": _SPECIALTY_PREFERENCE.get(request.specialty_preference, ""),
        "more_senior_only": request.more_senior_only,
        "gender_preference": label(GENDERS, request.gender_preference) or "No preference",
        "preferred_model": label(MENTORING_MODELS, request.preferred_model) or "No preference",
        "created_at": request.created_at,
    }


def offer_summary(offer: MentorOffer, *, with_wishes: bool = False) -> dict:
    """What a mentor is told of a doctor's choice. The doctor's own words only after accepting."""
    request = offer.request
    summary = {
        "id": offer.id,
        "status": offer.status,
        "respond_by": offer.respond_by,
        "topics": [label(TOPICS, topic) for topic in request.topics],
        "formats": [label(FORMATS, value) for value in request.formats],
        "slots": slot_labels(request.slots),
        "career_stage": label(CAREER_STAGES, request.career_stage),
    }
    if with_wishes:
        summary["wishes"] = request.wishes
        summary["mentee_name"] = request.requester.display_name
        summary["mentee_email"] = request.requester.email
        summary["relationship_id"] = _relationship_id_of(request.id)
    return summary


def _relationship_id_of(request_id: str) -> str | None:
    from sqlalchemy import select

    from mentoring.extensions import db
    from mentoring.relationships.models import MentoringRelationship

    return db.session.scalar(
        select(MentoringRelationship.id).where(MentoringRelationship.request_id == request_id)
    )
