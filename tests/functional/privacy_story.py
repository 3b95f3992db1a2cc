"""A small scheme with something in every domain, built through the app's own pages where it can be.

Dr Dee Mentee asked for a mentor in her own words and is mentored by Dr Mary Mentor, who logged a
session (shared summary, stage notes, a private reflection, an action) and holds training with an
evidence file, a profile, supervision, a support request and a declared conflict. Dr Otto Other
mentors someone else and keeps his own notes. Every text is distinct, so a test can look for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask.testing import FlaskClient
from sqlalchemy import select

from mentoring.extensions import db
from mentoring.permissions import Role
from mentoring.relationships.models import MentoringRelationship
from mentoring.relationships.session_models import ActionItem
from mentoring.requests_.models import MentoringRequest, RequestTopic
from tests.conftest import sign_in
from tests.factories import (
    PDF_BYTES,
    make_conflict,
    make_supervision,
    make_support_request,
    make_training_record,
    make_user,
)
from tests.functional.relationships.helpers import make_relationship, session_form

WISHES = "Dee's own words: should I go part time?"
SUMMARY = "Shared summary: Dee weighed up part-time training."
STAGE_NOTE = "Stage note: rota heavy, childcare changes."
REFLECTION = "Mary's private reflection: I wanted to advise."
ACTION = "Action: speak to the training programme director."
MENTEE_REFLECTION = "Dee's reflection: booked the meeting."
AGREEMENT = "Agreement note: we meet after clinic."
OTHER_REFLECTION = "Otto's private reflection about his own mentee."
OTHER_SUMMARY = "Otto's shared summary with his mentee."
BIO = "Mary's bio: consultant surgeon, evenings suit me."


@dataclass
class Story:
    mentee: FlaskClient
    mentor: FlaskClient
    other_mentor: FlaskClient
    relationship: MentoringRelationship
    other_relationship: MentoringRelationship
    evidence_file: str


def _log_session(client: FlaskClient, relationship_id: str, **changes) -> None:
    base = f"/relationships/{relationship_id}"
    response = client.post(f"{base}/sessions/new", data=session_form(**changes))
    assert response.status_code == 302, response.get_data(as_text=True)


def build_story(app) -> Story:
    mentor_user = make_user(
        roles=[Role.MENTOR, Role.DOCTOR], display_name="Dr Mary Mentor", email="mary@nhs.net"
    )
    mentee_user = make_user(roles=[Role.DOCTOR], display_name="Dr Dee Mentee", email="dee@nhs.net")
    other_user = make_user(roles=[Role.MENTOR, Role.DOCTOR], display_name="Dr Otto Other")
    record = make_training_record(mentor_user, evidence=PDF_BYTES)
    make_supervision(mentor_user, minutes=90)
    make_support_request(mentor_user)
    make_conflict(
        mentor_email="mary@nhs.net",
        doctor_email="trainee@nhs.net",
        declared_by=mentor_user,
        declared_as="mentor",
    )
    relationship = make_relationship(mentor=mentor_user, mentee=mentee_user)
    other_relationship = make_relationship(mentor=other_user)
    request = db.session.get(MentoringRequest, relationship.request_id)
    request.wishes = WISHES
    request.topic_rows = [RequestTopic(topic="career_development"), RequestTopic(topic="stress")]
    from mentoring.mentors.models import MentorProfile

    db.session.get(MentorProfile, mentor_user.id).bio = BIO
    db.session.commit()

    mentor = sign_in(app.test_client(), mentor_user)
    mentee = sign_in(app.test_client(), mentee_user)
    other = sign_in(app.test_client(), other_user)
    _log_session(
        mentor,
        relationship.id,
        summary=SUMMARY,
        stage_reality=STAGE_NOTE,
        reflection=REFLECTION,
        action_0_text=ACTION,
    )
    _log_session(
        other,
        other_relationship.id,
        summary=OTHER_SUMMARY,
        reflection=OTHER_REFLECTION,
        action_0_text="Otto's mentee's action.",
    )
    action = db.session.scalars(
        select(ActionItem).where(ActionItem.relationship_id == relationship.id)
    ).one()
    base = f"/relationships/{relationship.id}"
    reflected = mentee.post(
        f"{base}/actions/{action.id}", data={"status": "open", "reflection": MENTEE_REFLECTION}
    )
    assert reflected.status_code == 302
    agreement = {
        "model": "grow",
        "meeting_frequency": "monthly",
        "meeting_format": "video",
        "planned_sessions": "6",
        "notes": AGREEMENT,
        "confidentiality_understood": "y",
    }
    assert mentee.post(f"{base}/agreement", data=agreement).status_code == 302
    mentee.user, mentor.user, other.user = mentee_user, mentor_user, other_user
    return Story(
        mentee=mentee,
        mentor=mentor,
        other_mentor=other,
        relationship=relationship,
        other_relationship=other_relationship,
        evidence_file=record.evidence_file,
    )
