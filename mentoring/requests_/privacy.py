"""What requests and offers hold about a person, and what happens to them when the person leaves.

A doctor's export has their requests, preferences and own words, and the mentors they chose. A
mentor's export has the choices sent to them and their own answers (the reason they declined is
theirs); never the requester's words, which are the doctor's.

On deletion a doctor's live request is withdrawn and any place it held is given back; every request
of theirs loses its own words and department, and keeps the structured fields (topics, stage,
specialty, organisation, dates, outcome) that the coordinators' reports count. A mentor who leaves
is taken off every shortlist, and a doctor waiting for their answer is asked kindly to choose
again.

A request withdrawn longer ago than `WITHDRAWN_REQUEST_RETENTION_MONTHS` loses its own words and
department in the same way: nobody needs them any more. (A matched request's words go with its
relationship's text, by the relationships domain's rule.)
"""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import selectinload

from mentoring.auth.models import User, utcnow
from mentoring.core.vocabulary import label
from mentoring.extensions import db
from mentoring.outbox import queue_email
from mentoring.privacy.registry import eraser, exporter, retention_rule
from mentoring.privacy.rows import listed, text, when, yes_no
from mentoring.requests_ import services
from mentoring.requests_.models import (
    DECLINE_REASONS,
    LIVE_REQUEST_STATUSES,
    MentoringRequest,
    MentorOffer,
    OfferStatus,
    RequestStatus,
    Suggestion,
    SuggestionSource,
)
from mentoring.requests_.presentation import request_summary

_STATUS_WORDS = {
    RequestStatus.OPEN.value: "waiting for you to choose a mentor",
    RequestStatus.OFFERED.value: "waiting for the mentor you chose to answer",
    RequestStatus.MATCHED.value: "matched with a mentor",
    RequestStatus.WITHDRAWN.value: "withdrawn",
}

# What happened to a choice, in the words the app uses with each side. The doctor is told a mentor
# "is not able to take you on this time" whether they declined or let the time run out, and is
# told the same here; the mentor reads their own answer.
_CHOICE_WORDS = {
    OfferStatus.PENDING.value: "waiting for their answer",
    OfferStatus.ACCEPTED.value: "became your mentor",
    OfferStatus.DECLINED.value: "not able to take you on this time",
    OfferStatus.EXPIRED.value: "not able to take you on this time",
    OfferStatus.WITHDRAWN.value: "ended before an answer was needed",
}
_OFFER_WORDS = {
    OfferStatus.PENDING.value: "waiting for your answer",
    OfferStatus.ACCEPTED.value: "you accepted",
    OfferStatus.DECLINED.value: "you declined",
    OfferStatus.EXPIRED.value: "the time to answer ran out",
    OfferStatus.WITHDRAWN.value: "ended before an answer was needed",
}


def _requests_of(user: User) -> list[MentoringRequest]:
    # Topics, formats and times load with the request (selectin on the model).
    return list(
        db.session.scalars(
            select(MentoringRequest)
            .where(MentoringRequest.requester_id == user.id)
            .order_by(MentoringRequest.created_at)
        )
    )


@exporter("requests", "Your requests for a mentor")
def export_requests(user: User) -> list[dict]:
    rows = []
    for request in _requests_of(user):
        # The same labels the doctor reads on their request page.
        shown = request_summary(request)
        rows.append(
            {
                "made": when(request.created_at),
                "status": _STATUS_WORDS.get(request.status, request.status),
                "topics": listed(shown["topics"]),
                "your own words": text(request.wishes),
                "career stage": shown["career_stage"],
                "specialty": shown["specialty"],
                "organisation": request.organisation,
                "department": request.department,
                "a mentor outside my department": yes_no(request.outside_department),
                "a mentor outside my organisation": yes_no(request.outside_organisation),
                "mentor's specialty": shown["specialty_preference"],
                "only mentors further on": yes_no(request.more_senior_only),
                "mentor's gender": shown["gender_preference"],
                "mentoring model": shown["preferred_model"],
                "ways to meet": listed(shown["formats"]),
                "times to meet": listed(shown["slots"]),
                "matched": when(request.matched_at),
                "withdrawn": when(request.withdrawn_at),
            }
        )
    return rows


@exporter("choices", "Mentors you chose")
def export_choices(user: User) -> list[dict]:
    offers = db.session.scalars(
        select(MentorOffer)
        .join(MentoringRequest, MentoringRequest.id == MentorOffer.request_id)
        .where(MentoringRequest.requester_id == user.id)
        .options(selectinload(MentorOffer.mentor))
        .order_by(MentorOffer.offered_at)
    ).all()
    # Why a mentor declined is theirs: the doctor is never told, so it is not here either.
    return [
        {
            "mentor": offer.mentor.display_name,
            "chosen": when(offer.offered_at),
            "what happened": _CHOICE_WORDS.get(offer.status, offer.status),
            "answered": when(offer.responded_at),
        }
        for offer in offers
    ]


_SUGGESTED_BY = {
    SuggestionSource.ENGINE.value: "your shortlist",
    SuggestionSource.COORDINATOR.value: "a coordinator",
    SuggestionSource.POOL.value: "matching everyone waiting at once",
}


@exporter("shortlist", "Mentors suggested to you")
def export_shortlist(user: User) -> list[dict]:
    # Only the doctor's side: a mentor is never told they were suggested (the request stays
    # the doctor's until a mentor accepts), so it is not in the mentor's download either.
    suggestions = db.session.scalars(
        select(Suggestion)
        .join(MentoringRequest, MentoringRequest.id == Suggestion.request_id)
        .where(MentoringRequest.requester_id == user.id)
        .order_by(MentoringRequest.created_at, Suggestion.rank)
    ).all()
    return [
        {
            "mentor": suggestion.mentor.display_name,
            "suggested by": _SUGGESTED_BY.get(suggestion.source, suggestion.source),
            "suggested": when(suggestion.created_at),
        }
        for suggestion in suggestions
    ]


@exporter("offers", "Doctors who chose you as their mentor")
def export_offers(user: User) -> list[dict]:
    offers = db.session.scalars(
        select(MentorOffer).where(MentorOffer.mentor_id == user.id).order_by(MentorOffer.offered_at)
    ).all()
    return [
        {
            "chosen": when(offer.offered_at),
            "answer by": when(offer.respond_by),
            "what happened": _OFFER_WORDS.get(offer.status, offer.status),
            "answered": when(offer.responded_at),
            "your reason for declining": label(DECLINE_REASONS, offer.decline_reason),
        }
        for offer in offers
    ]


@eraser("requests")
def erase_requests(user: User) -> None:
    live = services.live_request_of(user.id)
    if live is not None:
        services.request_withdraw(request=live)
    db.session.execute(
        update(MentoringRequest)
        .where(MentoringRequest.requester_id == user.id)
        .values(wishes_sealed=None, department="")
        .execution_options(synchronize_session="fetch")
    )
    _leave_as_mentor(user)


def _leave_as_mentor(user: User) -> None:
    """Nobody waits on a mentor who has left, and nobody is offered them again."""
    waiting = db.session.scalars(
        select(MentorOffer)
        .where(MentorOffer.mentor_id == user.id, MentorOffer.status == OfferStatus.PENDING.value)
        .options(selectinload(MentorOffer.request).selectinload(MentoringRequest.requester))
    ).all()
    for offer in waiting:
        offer.status = OfferStatus.WITHDRAWN.value
        offer.responded_at = utcnow()
        offer.request.status = RequestStatus.OPEN.value
    shortlisted = db.session.scalars(
        select(MentoringRequest)
        .join(Suggestion, Suggestion.request_id == MentoringRequest.id)
        .where(
            Suggestion.mentor_id == user.id,
            MentoringRequest.status.in_(LIVE_REQUEST_STATUSES),
        )
    ).all()
    db.session.execute(
        delete(Suggestion)
        .where(Suggestion.mentor_id == user.id)
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()
    for request in {*shortlisted, *(offer.request for offer in waiting)}:
        db.session.expire(request, ["suggestions"])
        if request.status == RequestStatus.OPEN.value:
            services.shortlist_refresh(request=request)
    for offer in waiting:
        # Not counted as an unsuccessful offer: the mentor left, the doctor did nothing wrong.
        requester = offer.request.requester
        queue_email(
            to=requester.email,
            subject="please choose your mentor again",
            template="choose_again",
            name=requester.display_name,
            request_url=url_for("requests.mine", _external=True),
        )


@retention_rule("withdrawn requests' words", "WITHDRAWN_REQUEST_RETENTION_MONTHS")
def purge_withdrawn_request_words(cutoff: datetime) -> int:
    result = db.session.execute(
        update(MentoringRequest)
        .where(
            MentoringRequest.status == RequestStatus.WITHDRAWN.value,
            MentoringRequest.withdrawn_at < cutoff,
            or_(MentoringRequest.wishes_sealed.is_not(None), MentoringRequest.department != ""),
        )
        .values(wishes_sealed=None, department="")
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
