"""A doctor's shortlist as cards: who each mentor is and why they were suggested."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mentoring.core.vocabulary import (
    CAREER_STAGES,
    FORMATS,
    MENTORING_MODELS,
    SPECIALTIES,
    label,
)
from mentoring.extensions import db
from mentoring.matching.candidates import (
    as_engine_request,
    available_candidates,
    excluded_mentor_ids,
)
from mentoring.matching.engine import explain
from mentoring.mentors.models import MentorProfile
from mentoring.requests_.models import MentoringRequest, SuggestionSource

REASON_LABELS = dict(MENTORING_MODELS) | dict(FORMATS)


def suggestion_cards(request: MentoringRequest) -> list[dict]:
    """One card per suggested mentor who is still available, best first (a fixed few queries)."""
    suggestions = list(request.suggestions)
    if not suggestions:
        return []
    ids = [s.mentor_id for s in suggestions]
    candidates = {c.mentor_id: c for c in available_candidates(mentor_ids=ids)}
    profiles = {
        p.mentor_id: p
        for p in db.session.scalars(
            select(MentorProfile)
            .where(MentorProfile.mentor_id.in_(ids))
            .options(selectinload(MentorProfile.mentor), selectinload(MentorProfile.model_rows))
        )
    }
    engine_request = as_engine_request(request, excluded_mentor_ids([request])[request.id])
    cards = []
    for suggestion in suggestions:
        candidate = candidates.get(suggestion.mentor_id)
        profile = profiles.get(suggestion.mentor_id)
        if candidate is None or profile is None:
            continue
        cards.append(
            {
                "mentor_id": suggestion.mentor_id,
                "name": profile.mentor.display_name,
                "career_stage": label(CAREER_STAGES, profile.career_stage),
                "specialty": label(SPECIALTIES, profile.specialty),
                "bio": profile.bio,
                "models": [label(MENTORING_MODELS, row.model) for row in profile.model_rows],
                "formats": [label(FORMATS, value) for value in sorted(candidate.formats)],
                "reasons": explain(engine_request, candidate, labels=REASON_LABELS),
                "from_scheme": suggestion.source != SuggestionSource.ENGINE.value,
            }
        )
    return cards
