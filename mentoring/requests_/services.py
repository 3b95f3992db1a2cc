"""A doctor's request from creation to a match: the shortlist, the choice, the mentor's answer.

Services flush; the caller commits once (`core.unit_of_work.commit`). Emails say that something
happened and link to the service: never topics, never the request's own words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, url_for
from sqlalchemy import select, update

from mentoring.audit.services import AuditAction, audit_record
from mentoring.auth.models import User, utcnow
from mentoring.core.errors import ServiceError
from mentoring.extensions import db
from mentoring.matching.candidates import (
    as_engine_request,
    available_candidates,
    excluded_mentor_ids,
)
from mentoring.matching.engine import shortlist
from mentoring.mentors.models import MentorProfile
from mentoring.mentors.queries import is_available
from mentoring.mentors.services import mentor_place_release
from mentoring.outbox import queue_email
from mentoring.relationships.models import MentoringRelationship
from mentoring.relationships.queries import active_relationship_as_mentee
from mentoring.requests_.models import (
    MentoringRequest,
    MentorOffer,
    OfferStatus,
    RequestFormat,
    RequestSlot,
    RequestStatus,
    RequestTopic,
    Suggestion,
    SuggestionSource,
)

SHORTLIST_SIZE = 3
UNSUCCESSFUL_OFFERS_BEFORE_COORDINATOR = 2


@dataclass(frozen=True)
class RequestDetails:
    """What the doctor tells us; the same shape for creating and editing."""

    topics: list[str]
    wishes: str
    career_stage: str
    specialty: str
    organisation: str
    department: str
    outside_department: bool
    outside_organisation: bool
    specialty_preference: str
    more_senior_only: bool
    gender_preference: str | None
    preferred_model: str | None
    formats: list[str]
    slots: list[tuple[int, str]]


def live_request_of(user_id: int) -> MentoringRequest | None:
    return db.session.scalar(
        select(MentoringRequest).where(
            MentoringRequest.requester_id == user_id,
            MentoringRequest.status.in_([RequestStatus.OPEN.value, RequestStatus.OFFERED.value]),
        )
    )


def latest_request_of(user_id: int) -> MentoringRequest | None:
    return db.session.scalar(
        select(MentoringRequest)
        .where(MentoringRequest.requester_id == user_id)
        .order_by(MentoringRequest.created_at.desc())
        .limit(1)
    )


def _apply(request: MentoringRequest, details: RequestDetails) -> None:
    if not details.topics:
        raise ServiceError("Choose at least one topic", field="topics")
    if not details.formats:
        raise ServiceError("Choose at least one way to meet", field="formats")
    if not details.slots:
        raise ServiceError("Choose at least one time you could meet", field="slots")
    request.career_stage = details.career_stage
    request.specialty = details.specialty
    request.organisation = details.organisation.strip()
    request.department = details.department.strip()
    request.outside_department = details.outside_department
    request.outside_organisation = details.outside_organisation
    request.specialty_preference = details.specialty_preference
    request.more_senior_only = details.more_senior_only
    request.gender_preference = details.gender_preference or None
    request.preferred_model = details.preferred_model or None
    request.wishes = details.wishes.strip() or None
    request.topic_rows = [RequestTopic(topic=topic) for topic in dict.fromkeys(details.topics)]
    request.format_rows = [RequestFormat(format=value) for value in dict.fromkeys(details.formats)]
    request.slot_rows = [
        RequestSlot(day_of_week=day, slot=slot) for day, slot in dict.fromkeys(details.slots)
    ]


def request_create(*, requester: User, details: RequestDetails) -> MentoringRequest:
    """Self-referral only: the request is always the signed-in doctor's own."""
    if live_request_of(requester.id) is not None:
        raise ServiceError(
            "You already have a request. You can change it or withdraw it from your request page"
        )
    if active_relationship_as_mentee(requester.id) is not None:
        raise ServiceError(
            "You already have a mentor. If you would like a different one, you can end your "
            "current mentoring first: there is no need to give a reason"
        )
    request = MentoringRequest(requester_id=requester.id)
    _apply(request, details)
    db.session.add(request)
    db.session.flush()
    shortlist_refresh(request=request)
    return request


def request_update(*, request: MentoringRequest, details: RequestDetails) -> None:
    if not request.is_live:
        raise ServiceError("This request has ended and can no longer be changed")
    _apply(request, details)
    db.session.flush()
    if request.status == RequestStatus.OPEN.value:
        shortlist_refresh(request=request)


def request_withdraw(*, request: MentoringRequest) -> None:
    if not request.is_live:
        raise ServiceError("This request has already ended")
    offer = pending_offer_of(request.id)
    if offer is not None:
        _close_offer(offer, OfferStatus.WITHDRAWN)
    request.status = RequestStatus.WITHDRAWN.value
    request.withdrawn_at = utcnow()
    request.suggestions = []
    db.session.flush()


# --- the shortlist --------------------------------------------------------------------------------


def shortlist_refresh(*, request: MentoringRequest) -> list[Suggestion]:
    """Recompute the doctor's suggestions; keep any a coordinator or the pool proposed."""
    excluded = excluded_mentor_ids([request])[request.id]
    engine_request = as_engine_request(request, excluded)
    kept = [s for s in request.suggestions if s.source != SuggestionSource.ENGINE.value]
    kept_ids = {s.mentor_id for s in kept}
    fresh = shortlist(
        engine_request,
        [c for c in available_candidates() if c.mentor_id not in kept_ids],
        limit=SHORTLIST_SIZE,
    )
    request.suggestions = kept + [
        Suggestion(mentor_id=s.mentor_id, rank=rank, source=SuggestionSource.ENGINE.value)
        for rank, s in enumerate(fresh, start=len(kept) + 1)
    ]
    if not request.suggestions:
        request.needs_coordinator = True
    db.session.flush()
    return request.suggestions


def pending_offer_of(request_id: str) -> MentorOffer | None:
    return db.session.scalar(
        select(MentorOffer).where(
            MentorOffer.request_id == request_id,
            MentorOffer.status == OfferStatus.PENDING.value,
        )
    )


# --- choosing a mentor ----------------------------------------------------------------------------


class PlaceTaken(ServiceError):
    """The mentor's last place went to someone else a moment ago."""


def _take_place(mentor_id: int) -> bool:
    """Hold one of the mentor's places, if one is free, in a single conditional UPDATE.

    Two doctors racing for a last place both run this statement; the database lets exactly one of
    them change the row. A CHECK constraint (places_taken <= capacity) backs it up.
    """
    result = db.session.execute(
        update(MentorProfile)
        .where(
            MentorProfile.mentor_id == mentor_id,
            MentorProfile.places_taken < MentorProfile.capacity,
        )
        .values(places_taken=MentorProfile.places_taken + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def mentor_choose(*, request: MentoringRequest, mentor_id: int) -> MentorOffer:
    if request.status != RequestStatus.OPEN.value:
        raise ServiceError("You have already chosen a mentor for this request")
    if mentor_id not in {s.mentor_id for s in request.suggestions}:
        raise ServiceError("Choose one of the mentors suggested to you", field="mentor_id")
    if not is_available(mentor_id) or not _take_place(mentor_id):
        request.suggestions = [s for s in request.suggestions if s.mentor_id != mentor_id]
        shortlist_refresh(request=request)
        raise PlaceTaken(
            "Sorry, that mentor's last place has just been taken. "
            "Here are your suggestions again: you can choose another mentor"
        )
    days = current_app.config["OFFER_RESPONSE_DAYS"]
    offer = MentorOffer(
        request_id=request.id,
        mentor_id=mentor_id,
        respond_by=utcnow() + timedelta(days=days),
    )
    db.session.add(offer)
    request.status = RequestStatus.OFFERED.value
    db.session.flush()
    mentor = db.session.get(User, mentor_id)
    queue_email(
        to=mentor.email,
        subject="a doctor would like you as their mentor",
        template="offer_to_mentor",
        name=mentor.display_name,
        days=days,
        offers_url=url_for("requests.offers", _external=True),
    )
    return offer


# --- the mentor's answer --------------------------------------------------------------------------


def _close_offer(offer: MentorOffer, status: OfferStatus, reason: str | None = None) -> None:
    offer.status = status.value
    offer.responded_at = utcnow()
    offer.decline_reason = reason
    mentor_place_release(mentor_id=offer.mentor_id)


def _check_answerable(offer: MentorOffer, mentor: User, now: datetime) -> None:
    if offer.mentor_id != mentor.id:
        raise ServiceError("This request was not sent to you")
    if not offer.is_pending:
        raise ServiceError("This request has already been answered or has ended")
    if offer.respond_by <= now:
        raise ServiceError("The time to answer this request has passed")


def offer_accept(*, offer: MentorOffer, mentor: User) -> MentoringRelationship:
    now = utcnow()
    _check_answerable(offer, mentor, now)
    request = offer.request
    offer.status = OfferStatus.ACCEPTED.value
    offer.responded_at = now
    request.status = RequestStatus.MATCHED.value
    request.matched_at = now
    request.needs_coordinator = False
    request.suggestions = []
    relationship = MentoringRelationship(
        mentor_id=mentor.id, mentee_id=request.requester_id, request_id=request.id
    )
    db.session.add(relationship)
    db.session.flush()
    # The place held by the offer now belongs to the relationship: places_taken is unchanged.
    queue_email(
        to=request.requester.email,
        subject="your mentor has accepted",
        template="offer_accepted",
        name=request.requester.display_name,
        request_url=url_for("requests.mine", _external=True),
    )
    return relationship


def offer_decline(*, offer: MentorOffer, mentor: User, reason: str) -> None:
    _check_answerable(offer, mentor, utcnow())
    _close_offer(offer, OfferStatus.DECLINED, reason)
    _back_to_doctor(offer.request)


def offers_expire_due(*, now: datetime | None = None) -> int:
    """Offers nobody answered in time end as if declined. Returns how many expired."""
    now = now or utcnow()
    due = db.session.scalars(
        select(MentorOffer).where(
            MentorOffer.status == OfferStatus.PENDING.value, MentorOffer.respond_by <= now
        )
    ).all()
    for offer in due:
        _close_offer(offer, OfferStatus.EXPIRED)
        _back_to_doctor(offer.request)
    db.session.flush()
    return len(due)


def _back_to_doctor(request: MentoringRequest) -> None:
    """The doctor can choose again; the second unsuccessful offer also asks the coordinators."""
    request.status = RequestStatus.OPEN.value
    request.unsuccessful_offers += 1
    if request.unsuccessful_offers >= UNSUCCESSFUL_OFFERS_BEFORE_COORDINATOR:
        request.needs_coordinator = True
    db.session.flush()
    shortlist_refresh(request=request)
    queue_email(
        to=request.requester.email,
        subject="please choose your mentor again",
        template="choose_again",
        name=request.requester.display_name,
        request_url=url_for("requests.mine", _external=True),
    )


def request_view_audited(*, request: MentoringRequest, coordinator: User) -> None:
    """Every coordinator view of a request is written to the audit log."""
    audit_record(
        action=AuditAction.REQUEST_VIEWED,
        actor_id=coordinator.id,
        record_type="mentoring_request",
        record_id=request.id,
    )
