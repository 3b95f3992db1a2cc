"""What coordinators do for requests the automatic matching could not place.

They see structured fields only (never the request's own words), and every view is audit-logged.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select

from mentoring.audit.services import AuditAction, audit_record
from mentoring.auth.models import User
from mentoring.core.errors import ServiceError
from mentoring.extensions import db
from mentoring.matching.candidates import (
    as_engine_request,
    available_candidates,
    excluded_mentor_ids,
)
from mentoring.matching.engine import assign_pool, shortlist
from mentoring.outbox import queue_email
from mentoring.requests_.models import (
    MentoringRequest,
    RequestStatus,
    Suggestion,
    SuggestionSource,
)
from mentoring.requests_.services import shortlist_refresh

COORDINATOR_SHORTLIST_SIZE = 10


def coordinator_queue() -> list[MentoringRequest]:
    return list(
        db.session.scalars(
            select(MentoringRequest)
            .where(
                MentoringRequest.needs_coordinator.is_(True),
                MentoringRequest.status == RequestStatus.OPEN.value,
            )
            .order_by(MentoringRequest.created_at)
        )
    )


def mentors_for(request: MentoringRequest) -> list:
    """Mentors who pass every hard constraint for this request as it stands now."""
    excluded = excluded_mentor_ids([request])[request.id]
    already = {s.mentor_id for s in request.suggestions}
    return [
        s
        for s in shortlist(
            as_engine_request(request, excluded),
            available_candidates(),
            limit=COORDINATOR_SHORTLIST_SIZE + len(already),
        )
        if s.mentor_id not in already
    ][:COORDINATOR_SHORTLIST_SIZE]


@dataclass(frozen=True)
class Widening:
    drop_outside_department: bool
    drop_outside_organisation: bool
    drop_gender_preference: bool
    drop_more_senior_only: bool
    drop_preferred_model: bool
    doctor_agreed: bool


def preferences_widen(
    *, request: MentoringRequest, widening: Widening, coordinator: User
) -> list[str]:
    """Relax preferences the doctor has agreed to relax; returns what changed."""
    if not widening.doctor_agreed:
        raise ServiceError(
            "Confirm that the doctor has agreed to these changes", field="doctor_agreed"
        )
    changes = []
    if widening.drop_outside_department and request.outside_department:
        request.outside_department = False
        changes.append("outside_department")
    if widening.drop_outside_organisation and request.outside_organisation:
        request.outside_organisation = False
        changes.append("outside_organisation")
    if widening.drop_gender_preference and request.gender_preference:
        request.gender_preference = None
        changes.append("gender_preference")
    if widening.drop_more_senior_only and request.more_senior_only:
        request.more_senior_only = False
        changes.append("more_senior_only")
    if widening.drop_preferred_model and request.preferred_model:
        request.preferred_model = None
        changes.append("preferred_model")
    if not changes:
        raise ServiceError(
            "Choose at least one preference to widen", field="drop_outside_department"
        )
    audit_record(
        action=AuditAction.PREFERENCES_WIDENED,
        actor_id=coordinator.id,
        record_type="mentoring_request",
        record_id=request.id,
        detail=", ".join(changes),
    )
    db.session.flush()
    shortlist_refresh(request=request)
    return changes


def mentor_suggest(*, request: MentoringRequest, mentor_id: int, coordinator: User) -> None:
    """Put a mentor on the doctor's shortlist; the doctor still chooses."""
    if mentor_id not in {s.mentor_id for s in mentors_for(request)}:
        raise ServiceError("Choose one of the mentors listed", field="mentor_id")
    _add_suggestion(request, mentor_id, SuggestionSource.COORDINATOR)
    audit_record(
        action=AuditAction.MENTOR_SUGGESTED,
        actor_id=coordinator.id,
        record_type="mentoring_request",
        record_id=request.id,
    )


def _add_suggestion(request: MentoringRequest, mentor_id: int, source: SuggestionSource) -> None:
    request.suggestions = [Suggestion(mentor_id=mentor_id, rank=0, source=source.value)] + [
        s for s in request.suggestions if s.mentor_id != mentor_id
    ]
    db.session.flush()
    queue_email(
        to=request.requester.email,
        subject="a mentor has been suggested for you",
        template="mentor_suggested",
        name=request.requester.display_name,
        request_url=url_for("requests.mine", _external=True),
    )


def pool_match(*, coordinator: User) -> dict[str, int]:
    """Propose one mentor to every waiting request at once, maximising the overall fit.

    Proposals join each doctor's shortlist; nobody is matched until the doctor chooses and the
    mentor accepts. Returns {request_id: mentor_id}.
    """
    waiting = list(
        db.session.scalars(
            select(MentoringRequest)
            .where(MentoringRequest.status == RequestStatus.OPEN.value)
            .order_by(MentoringRequest.created_at)
        )
    )
    excluded = excluded_mentor_ids(waiting)
    proposals = assign_pool(
        [as_engine_request(r, excluded[r.id]) for r in waiting], available_candidates()
    )
    by_id = {r.id: r for r in waiting}
    for request_id, mentor_id in proposals.items():
        _add_suggestion(by_id[request_id], mentor_id, SuggestionSource.POOL)
    audit_record(
        action=AuditAction.POOL_MATCHING_RUN,
        actor_id=coordinator.id,
        detail=f"{len(proposals)} proposed for {len(waiting)} waiting",
    )
    return proposals
