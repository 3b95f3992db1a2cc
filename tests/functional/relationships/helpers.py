"""Set-up for relationship and session tests: a pair already matched, and a valid session form."""

from __future__ import annotations

from datetime import timedelta

from mentoring.auth.models import utcnow
from mentoring.extensions import db
from mentoring.mentors.models import MentorProfile
from mentoring.permissions import Role
from mentoring.relationships.models import MentoringRelationship
from mentoring.requests_.models import MentoringRequest
from tests.factories import make_user


def make_relationship(*, mentor=None, mentee=None, days_ago: int = 30, **fields):
    """A relationship as `offer_accept` leaves it, begun `days_ago`; the mentor holds one place."""
    mentor = mentor or make_user(roles=[Role.MENTOR, Role.DOCTOR])
    mentee = mentee or make_user(roles=[Role.DOCTOR])
    request = MentoringRequest(
        requester_id=mentee.id,
        status="matched",
        career_stage="core",
        specialty="surgery",
        organisation="Hillside Trust",
        department="Surgery",
    )
    db.session.add(request)
    db.session.flush()
    profile = db.session.get(MentorProfile, mentor.id)
    if profile is None:
        profile = MentorProfile(
            mentor_id=mentor.id,
            career_stage="consultant",
            specialty="surgery",
            organisation="Riverside Hospitals",
            bio="Consultant surgeon.",
            capacity=2,
            places_taken=1,
        )
        db.session.add(profile)
    relationship = MentoringRelationship(
        mentor_id=mentor.id,
        mentee_id=mentee.id,
        request_id=request.id,
        started_at=utcnow() - timedelta(days=days_ago),
        **fields,
    )
    db.session.add(relationship)
    db.session.commit()
    return relationship


def session_form(model: str = "grow", **changes) -> dict:
    today = utcnow().date()
    data = {
        "held_on": (today - timedelta(days=1)).isoformat(),
        "minutes": "50",
        "format": "video",
        "topics": ["career_development", "workload"],
        "signposts": ["occupational_health"],
        "summary": "We looked at options for less-than-full-time training.",
        "reflection": "I noticed I wanted to advise; held back.",
        "action_0_text": "Talk to the training programme director",
        "action_0_due": (today + timedelta(days=14)).isoformat(),
    }
    if model == "grow":
        data.update(
            stage_goal="Decide about part-time training",
            stage_reality="Rota is heavy; childcare changes in spring",
            stage_options="LTFT, career break, swap rotation",
            stage_will="Speak to TPD",
        )
    if model == "oskar":
        data.update(stage_outcome="Feel confident in clinic", stage_scaling_rating="4")
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
