"""Demo relationships: every lifecycle stage, all four models, and pages that render."""

from __future__ import annotations

from sqlalchemy import select

from mentoring.auth.models import User
from mentoring.mentors.models import MentorProfile
from mentoring.relationships.models import MenteeFeedback, MentoringRelationship
from mentoring.relationships.services import review_due
from mentoring.relationships.session_models import ActionItem, SessionLog
from tests.conftest import sign_in


def test_demo_relationships_cover_the_lifecycle_and_render(app, db):
    result = app.test_cli_runner().invoke(args=["demo-data", "--password", "demo-pass-phrase-ok"])
    assert result.exit_code == 0, result.output
    # The reports' demo adds relationships for disabled stand-in requesters; these are the rest.
    relationships = db.session.scalars(
        select(MentoringRelationship)
        .join(User, User.id == MentoringRelationship.mentee_id)
        .where(User.is_disabled.is_(False))
    ).all()
    assert len(relationships) == 5
    assert {r.status for r in relationships} == {"active", "closed"}
    assert any(not r.is_agreed for r in relationships)
    assert any(review_due(r) for r in relationships)
    assert any(r.next_session_at for r in relationships)
    assert {r.ended_by for r in relationships if not r.is_active} == {"mentor", "mentee"}
    assert {log.model for log in db.session.scalars(select(SessionLog))} >= {
        "grow",
        "egan",
        "clear",
        "oskar",
    }
    statuses = {a.status for a in db.session.scalars(select(ActionItem))}
    assert {"open", "done"} <= statuses
    assert db.session.scalars(select(MenteeFeedback)).all()
    # Places held match active relationships.
    everyone = db.session.scalars(select(MentoringRelationship)).all()
    for profile in db.session.scalars(select(MentorProfile)):
        active = sum(1 for r in everyone if r.is_active and r.mentor_id == profile.mentor_id)
        assert profile.places_taken == active, profile.mentor_id
    # Every relationship page, and every session page, renders for both people.
    for rel in relationships:
        for person_id in (rel.mentor_id, rel.mentee_id):
            client = sign_in(app.test_client(), db.session.get(User, person_id))
            assert client.get(f"/relationships/{rel.id}").status_code == 200
            for log in db.session.scalars(
                select(SessionLog).where(SessionLog.relationship_id == rel.id)
            ):
                assert client.get(f"/relationships/{rel.id}/sessions/{log.id}").status_code == 200
