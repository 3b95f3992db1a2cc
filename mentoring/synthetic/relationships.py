"""Requests and the relationships that came of them: open and closed, each from a request."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from mentoring.core.vocabulary import CAREER_STAGES, FORMATS, SPECIALTIES, TIME_SLOTS, TOPICS
from mentoring.relationships.models import MenteeFeedback, MentoringRelationship
from mentoring.relationships.vocabulary import ENDING_REASONS, MEETING_FREQUENCIES
from mentoring.requests_.models import (
    MentoringRequest,
    MentorOffer,
    RequestFormat,
    RequestSlot,
    RequestTopic,
)
from mentoring.sealing import NoteKey, context, seal
from mentoring.synthetic.mentors import DEPARTMENTS, MentorPlan
from mentoring.synthetic.people import People
from mentoring.synthetic.plan import HISTORY_DAYS, Plan
from mentoring.synthetic.writer import BulkWriter

# Seed 003's order of frequency: earlier topics are asked about more often.
TOPIC_VALUES = [value for value, _ in TOPICS]
TOPIC_WEIGHTS = np.array([1 / (rank + 2) for rank in range(len(TOPICS))])
TOPIC_WEIGHTS /= TOPIC_WEIGHTS.sum()
ACTIVE_SHARE = 0.3


@dataclass
class Relationship:
    id: str
    mentor_id: int
    mentee_id: int
    model: str | None
    started_at: datetime
    ended_at: datetime | None
    topics: list[str]


def new_id() -> str:
    return uuid.uuid4().hex


def plan_relationships(plan: Plan, people: People, mentors: MentorPlan) -> list[Relationship]:
    rng = plan.rng("relationships")
    total = plan.count("relationships")
    non_mentors = np.setdiff1d(people.doctor_ids, people.mentor_ids)
    places = np.repeat(np.arange(len(mentors.ids)), mentors.capacity)
    active = min(round(total * ACTIVE_SHARE), len(places), len(non_mentors))
    active_mentors = rng.permutation(places)[:active]
    active_mentees = rng.choice(non_mentors, size=active, replace=False)
    closed = total - active
    closed_mentors = rng.integers(len(mentors.ids), size=closed)
    closed_mentees = rng.choice(non_mentors, size=closed)
    starts = np.concatenate([rng.uniform(1, 240, active), rng.uniform(60, HISTORY_DAYS, closed)])
    lengths = rng.uniform(40, 300, closed)
    agreed = rng.random(total) < 0.93
    relationships = []
    for k in range(total):
        is_active = k < active
        mentor_index = int(active_mentors[k] if is_active else closed_mentors[k - active])
        mentee = int(active_mentees[k] if is_active else closed_mentees[k - active])
        started = plan.now - timedelta(days=float(starts[k]))
        ended = None
        if not is_active:
            ended = min(
                started + timedelta(days=float(lengths[k - active])), plan.now - timedelta(days=1)
            )
        models = mentors.models[mentor_index]
        model = str(models[int(rng.integers(len(models)))]) if agreed[k] or not is_active else None
        topics = sorted(
            set(rng.choice(TOPIC_VALUES, size=int(rng.integers(1, 4)), p=TOPIC_WEIGHTS).tolist())
        )
        relationships.append(
            Relationship(new_id(), mentors.ids[mentor_index], mentee, model, started, ended, topics)
        )
    return relationships


def places_taken(relationships: list[Relationship]) -> dict[int, int]:
    taken: dict[int, int] = {}
    for relationship in relationships:
        if relationship.ended_at is None:
            taken[relationship.mentor_id] = taken.get(relationship.mentor_id, 0) + 1
    return taken


def write_requests(
    writer: BulkWriter,
    plan: Plan,
    people: People,
    mentors: MentorPlan,
    relationships: list[Relationship],
    keys: list[NoteKey],
) -> dict[str, str]:
    """A matched request behind every relationship, and requests still waiting.

    Returns each relationship's request id.
    """
    rng = plan.rng("requests")
    request_of = {r.id: new_id() for r in relationships}
    rows = [
        (
            request_of[r.id],
            r.mentee_id,
            "matched",
            r.started_at - timedelta(days=float(rng.uniform(1, 12))),
            r.started_at,
            r.topics,
            False,
        )
        for r in relationships
    ]
    busy = {r.mentee_id for r in relationships if r.ended_at is None}
    free = np.setdiff1d(np.setdiff1d(people.doctor_ids, people.mentor_ids), np.array(sorted(busy)))
    waiting = min(plan.count("waiting_requests"), len(free))
    for requester in rng.choice(free, size=waiting, replace=False).tolist():
        created = plan.now - timedelta(days=float(rng.uniform(0, 45)))
        topics = sorted(
            set(rng.choice(TOPIC_VALUES, size=int(rng.integers(1, 4)), p=TOPIC_WEIGHTS).tolist())
        )
        rows.append(
            (new_id(), int(requester), "open", created, None, topics, bool(rng.random() < 0.2))
        )
    _write_request_rows(writer, plan, rng, rows, mentors, keys)
    first_offer = writer.next_id(MentorOffer.__table__)
    writer.write(
        MentorOffer.__table__,
        ("id", "request_id", "mentor_id", "status", "offered_at", "respond_by", "responded_at"),
        (
            (
                first_offer + k,
                request_of[r.id],
                r.mentor_id,
                "accepted",
                r.started_at - timedelta(days=1),
                r.started_at + timedelta(days=4),
                r.started_at,
            )
            for k, r in enumerate(relationships)
        ),
    )
    writer.reset_sequence(MentorOffer.__table__)
    return request_of


def _write_request_rows(writer, plan: Plan, rng, rows: list, mentors: MentorPlan, keys) -> None:
    stages = rng.choice([v for v, _ in CAREER_STAGES], size=len(rows)).tolist()
    specialties = rng.choice([v for v, _ in SPECIALTIES], size=len(rows)).tolist()
    orgs = rng.choice(sorted(set(mentors.organisations)), size=len(rows)).tolist()
    departments = rng.choice(DEPARTMENTS, size=len(rows)).tolist()
    with_wishes = (rng.random(len(rows)) < 0.5).tolist()
    writer.write(
        MentoringRequest.__table__,
        (
            "id",
            "requester_id",
            "status",
            "career_stage",
            "specialty",
            "organisation",
            "department",
            "outside_department",
            "outside_organisation",
            "specialty_preference",
            "more_senior_only",
            "wishes_sealed",
            "needs_coordinator",
            "unsuccessful_offers",
            "created_at",
            "updated_at",
            "matched_at",
        ),
        (
            (
                rid,
                requester,
                status,
                stages[k],
                specialties[k],
                orgs[k],
                departments[k],
                False,
                bool(k % 3 == 0),
                "any",
                False,
                seal(
                    "I would like to talk through my next career step.",
                    bound_to=context("mentoring_request", rid, "wishes"),
                    keys=keys,
                )
                if with_wishes[k]
                else None,
                coordinator,
                0,
                created,
                matched or created,
                matched,
            )
            for k, (rid, requester, status, created, matched, _t, coordinator) in enumerate(rows)
        ),
    )
    writer.write(
        RequestTopic.__table__,
        ("request_id", "topic"),
        ((row[0], topic) for row in rows for topic in row[5]),
    )
    formats = [value for value, _ in FORMATS]
    writer.write(
        RequestFormat.__table__,
        ("request_id", "format"),
        ((row[0], f) for row in rows for f in rng.choice(formats, size=2, replace=False).tolist()),
    )
    slots = [value for value, *_ in TIME_SLOTS]
    writer.write(
        RequestSlot.__table__,
        ("request_id", "day_of_week", "slot"),
        (
            (row[0], day, slots[(day + k) % len(slots)])
            for k, row in enumerate(rows)
            for day in rng.choice(7, size=3, replace=False).tolist()
        ),
    )


def write_relationships(
    writer: BulkWriter,
    plan: Plan,
    relationships: list[Relationship],
    request_of: dict[str, str],
    sessions_of: dict[str, int],
) -> None:
    rng = plan.rng("relationship-rows")
    frequencies = [value for value, _ in MEETING_FREQUENCIES]
    reasons = [value for value, _ in ENDING_REASONS]
    formats = [value for value, _ in FORMATS]
    feedback = []
    rows = []
    for r in relationships:
        logged = sessions_of.get(r.id, 0)
        extensions = max(0, -(-(logged - 6) // 3))
        gave_feedback = r.ended_at is not None and bool(rng.random() < 0.4)
        next_at = None
        if r.ended_at is None and r.model and rng.random() < 0.6:
            next_at = plan.now + timedelta(days=float(rng.uniform(1, 28)))
        rows.append(
            (
                r.id,
                r.mentor_id,
                r.mentee_id,
                request_of[r.id],
                "active" if r.ended_at is None else "closed",
                r.started_at,
                r.ended_at,
                r.model,
                frequencies[int(rng.integers(len(frequencies)))] if r.model else None,
                formats[int(rng.integers(len(formats)))] if r.model else None,
                min(50, 6 + 3 * extensions),
                r.started_at + timedelta(days=3) if r.model else None,
                r.mentor_id if r.model else None,
                extensions,
                next_at,
                formats[0] if next_at else None,
                None if r.ended_at is None else ("mentee" if rng.random() < 0.5 else "mentor"),
                None if r.ended_at is None else reasons[int(rng.integers(len(reasons)))],
                gave_feedback,
                1,
            )
        )
        if gave_feedback:
            feedback.append(
                (
                    new_id(),
                    r.ended_at.date().replace(day=1),
                    int(rng.integers(2, 6)),
                    bool(rng.random() < 0.85),
                )
            )
    writer.write(
        MentoringRelationship.__table__,
        (
            "id",
            "mentor_id",
            "mentee_id",
            "request_id",
            "status",
            "started_at",
            "ended_at",
            "model",
            "meeting_frequency",
            "meeting_format",
            "planned_sessions",
            "agreed_at",
            "agreed_by_id",
            "extensions",
            "next_session_at",
            "next_session_format",
            "ended_by",
            "ending_reason",
            "feedback_given",
            "version",
        ),
        rows,
    )
    writer.write(
        MenteeFeedback.__table__, ("id", "month", "helpfulness", "would_recommend"), feedback
    )
