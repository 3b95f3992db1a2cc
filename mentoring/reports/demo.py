"""Demo uptake: enough requests, relationships and mentors for a full coordinator dashboard.

Created directly as rows, like the demo check-ins. The requesters stand for doctors who are not demo
accounts, so their accounts are disabled and nobody signs in as them. The extra mentors are demo
accounts like the others but offer no availability, so they never appear on a demo shortlist.
Some groups are large and some hold only a few people, so the dashboard shows both figures and
hidden cells, and some filtered views show only the "too few" message. Each relationship has
session logs every two or three weeks (dates, topics and kinds of signposting only: no notes), and
each that ended has a reason and, usually, the mentee's feedback, so the session, ending and
feedback tables are filled too.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app

from mentoring.auth.models import RoleGrant, User, utcnow
from mentoring.core.vocabulary import TOPICS
from mentoring.extensions import db
from mentoring.mentors.models import (
    MentorFormat,
    MentorModel,
    MentorProfile,
    MentorTopic,
    SupervisionSession,
)
from mentoring.permissions import Role
from mentoring.relationships.models import MenteeFeedback, MentoringRelationship
from mentoring.relationships.session_models import SessionLog, SessionSignpost, SessionTopic
from mentoring.requests_.models import MentoringRequest, RequestTopic
from mentoring.training.models import TrainingModel, TrainingRecord, TrainingStatus

DAYS = 200
REQUESTS = 240

# (career stage, specialty, organisation index, relative weight): big groups and small ones.
REQUESTERS = [
    ("core", "general_medicine", 0, 30),
    ("specialty_training", "surgery", 2, 22),
    ("foundation", "paediatrics", 0, 18),
    ("consultant", "anaesthetics", 2, 12),
    ("gp", "general_practice", 3, 12),
    ("sas", "psychiatry", 1, 3),
    ("locally_employed", "emergency_medicine", 1, 3),
]
POOL_MENTORS = [
    ("Dr Amelia Brooks", "consultant", "general_medicine", 0, ("grow", "egan")),
    ("Dr Bilal Qureshi", "consultant", "surgery", 2, ("grow",)),
    ("Dr Catrin Hughes", "sas", "anaesthetics", 2, ("clear",)),
    ("Dr Daniel Okafor-Lee", "gp", "general_practice", 3, ("oskar", "grow")),
    ("Dr Eleanor Walsh", "consultant", "paediatrics", 0, ("egan",)),
    ("Dr Farhan Ali", "specialty_training", "psychiatry", 1, ("grow",)),
    ("Dr Georgia Price", "consultant", "radiology", 2, ("grow", "clear")),
    ("Dr Harry Singh", "consultant", "general_medicine", 0, ("egan", "grow")),
    ("Dr Isla Murray", "gp", "general_practice", 3, ("grow",)),
    ("Dr James Osei", "consultant", "emergency_medicine", 1, ("oskar",)),
]


# (reason, who ended, weight) and (kind, weight): how often each comes up in the demo.
ENDINGS = (
    ("goals_met", "mentor", 6),
    ("planned_sessions_done", "mentor", 5),
    ("mentee_moved_on", "mentee", 2),
    ("different_support", "mentor", 1),
    ("not_a_good_fit", "mentee", 1),
    ("mentor_unable", "mentor", 1),
    ("not_given", "mentee", 2),
)
SIGNPOSTS = (
    ("occupational_health", 5),
    ("gp", 4),
    ("wellbeing_service", 3),
    ("educational_supervisor", 3),
    ("doctors_confidential_service", 2),
    ("employee_assistance", 1),
    ("professional_body", 1),
)
MODELS = ("grow", "egan", "clear", "oskar")


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _pool_mentors(rng: random.Random, *, password_hash: str, reviewer: User, today: date):
    organisations = current_app.config["ORGANISATIONS"]
    mentors = []
    for number, (name, stage, specialty, org, models) in enumerate(POOL_MENTORS):
        local = name.removeprefix("Dr ").lower().replace(" ", ".")
        mentor = User(
            email=f"{local}@demo.test",
            display_name=name,
            password_hash=password_hash,
            email_confirmed_at=utcnow(),
            role_grants=[RoleGrant(role=Role.MENTOR.value)],
        )
        db.session.add(mentor)
        db.session.flush()
        trained = today - timedelta(days=300 + 120 * number)  # the last few are overdue
        db.session.add(
            TrainingRecord(
                mentor_id=mentor.id,
                title="Mentoring for doctors",
                provider="Regional deanery",
                completed_on=trained,
                minutes=12 * 60,
                status=TrainingStatus.VERIFIED.value,
                reviewed_by_id=reviewer.id,
                reviewed_at=utcnow(),
                model_rows=[TrainingModel(model=model) for model in models],
            )
        )
        db.session.add(
            MentorProfile(
                mentor_id=mentor.id,
                career_stage=stage,
                specialty=specialty,
                organisation=organisations[org % len(organisations)],
                # No availability windows: these mentors fill the reports, not the demo shortlists.
                bio="Demo mentor for the reports.",
                capacity=5,
                paused=number == 9,
                format_rows=[MentorFormat(format="video")],
                topic_rows=[MentorTopic(topic=value) for value, _ in TOPICS[:8]],
                model_rows=[MentorModel(model=model) for model in models],
            )
        )
        for weeks_ago in range(2, 26, 3 + number % 3):
            db.session.add(
                SupervisionSession(
                    mentor_id=mentor.id,
                    held_on=today - timedelta(weeks=weeks_ago),
                    minutes=60 + 30 * (number % 2),
                    kind="supervision",
                )
            )
        mentors.append(mentor)
    db.session.flush()
    return mentors


def demo_uptake_create(
    people: dict[str, User], *, password_hash: str, today: date, seed: int = 9
) -> int:
    """Requests over the last `DAYS` days with their outcomes; returns how many were made."""
    rng = random.Random(seed)  # noqa: S311 - made-up demo data, not a secret
    # Sessions and endings draw from their own stream, so the requests stay as they were.
    story = random.Random(seed + 1)  # noqa: S311 - made-up demo data, not a secret
    organisations = current_app.config["ORGANISATIONS"]
    mentors = _pool_mentors(
        rng, password_hash=password_hash, reviewer=people["coordinator@demo.test"], today=today
    )
    active = dict.fromkeys((mentor.id for mentor in mentors[:9]), 0)
    topic_values = [value for value, _ in TOPICS]
    weights = [(len(topic_values) - index) ** 2 for index in range(len(topic_values))]
    for number in range(REQUESTS):
        stage, specialty, org, _ = rng.choices(REQUESTERS, [g[3] for g in REQUESTERS])[0]
        created_day = today - timedelta(days=rng.randint(1, DAYS))
        requester = User(
            email=f"requester{number}@demo.test",
            display_name=f"Demo requester {number}",
            password_hash=password_hash,
            email_confirmed_at=utcnow(),
            is_disabled=True,
            role_grants=[RoleGrant(role=Role.DOCTOR.value)],
        )
        db.session.add(requester)
        db.session.flush()
        request = MentoringRequest(
            requester_id=requester.id,
            career_stage=stage,
            specialty=specialty,
            organisation=organisations[org % len(organisations)],
            department="Demo",
            created_at=_at(created_day, rng.randint(7, 22)),
            topic_rows=[
                RequestTopic(topic=t)
                for t in set(rng.choices(topic_values, weights, k=rng.randint(1, 3)))
            ],
        )
        relationship = _outcome(rng, request, today=today, active=active)
        if relationship is not None:
            _sessions_and_ending(story, relationship, topics=request.topic_rows, today=today)
        db.session.add(request)
    db.session.flush()
    for mentor_id, count in active.items():
        db.session.get(MentorProfile, mentor_id).places_taken = count
    return REQUESTS


def _outcome(
    rng: random.Random, request: MentoringRequest, *, today: date, active: dict
) -> MentoringRelationship | None:
    """Matched (with a relationship, perhaps already ended), withdrawn, or still open."""
    waited = rng.randint(1, 25)
    matched_day = request.created_at.date() + timedelta(days=waited)
    roll = rng.random()
    free = [mentor_id for mentor_id, count in active.items() if count < 5]
    if roll < 0.15:
        request.status = "withdrawn"
        request.withdrawn_at = request.created_at + timedelta(days=rng.randint(1, 20))
        return
    if roll < 0.8 and matched_day < today and free:
        request.status = "matched"
        request.matched_at = _at(matched_day, 12)
        ended_day = matched_day + timedelta(days=rng.randint(30, 70))
        ended = ended_day < today
        mentor_id = rng.choice(free)
        if not ended:
            active[mentor_id] += 1
        db.session.add(request)
        db.session.flush()
        relationship = MentoringRelationship(
            mentor_id=mentor_id,
            mentee_id=request.requester_id,
            request_id=request.id,
            status="closed" if ended else "active",
            started_at=request.matched_at,
            ended_at=_at(ended_day, 12) if ended else None,
        )
        db.session.add(relationship)
        return relationship
    request.needs_coordinator = rng.random() < 0.4
    return None


def _sessions_and_ending(
    rng: random.Random, relationship: MentoringRelationship, *, topics: list, today: date
) -> None:
    """Sessions every two or three weeks until it ended (or today); why it ended; feedback."""
    model, fmt = rng.choice(MODELS), rng.choice(("video", "phone", "in_person"))
    relationship.model, relationship.meeting_format = model, fmt
    relationship.meeting_frequency = "fortnightly"
    relationship.agreed_at = relationship.started_at + timedelta(days=3)
    relationship.agreed_by_id = relationship.mentor_id
    brought = [row.topic for row in topics]
    kinds, weights = zip(*SIGNPOSTS, strict=True)
    last = relationship.ended_at.date() if relationship.ended_at else today
    day = relationship.started_at.date() + timedelta(days=rng.randint(4, 12))
    while day < last:
        signposts = rng.choices(kinds, weights) if rng.random() < 0.15 else []
        db.session.add(
            SessionLog(
                relationship_id=relationship.id,
                held_on=day,
                minutes=rng.choice((45, 50, 60, 75)),
                format=fmt,
                model=model,
                logged_at=_at(day, 19),
                updated_at=_at(day, 19),
                topic_rows=[
                    SessionTopic(topic=t) for t in rng.sample(brought, rng.randint(1, len(brought)))
                ],
                signpost_rows=[SessionSignpost(kind=k) for k in signposts],
            )
        )
        day += timedelta(days=rng.randint(14, 21))
    if relationship.ended_at is None:
        return
    relationship.ending_reason, relationship.ended_by, _ = rng.choices(
        ENDINGS, [weight for *_, weight in ENDINGS]
    )[0]
    if rng.random() < 0.75:
        relationship.feedback_given = True
        db.session.add(
            MenteeFeedback(
                month=relationship.ended_at.date().replace(day=1),
                helpfulness=rng.choices((5, 4, 3, 2, 1), (6, 5, 2, 1, 1))[0],
                would_recommend=rng.choices((True, False, None), (8, 1, 1))[0],
            )
        )
