"""`flask synthetic-data`: the benchmark scheme is complete, consistent and still confidential."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import func, inspect, select

from mentoring.auth.models import RoleGrant, User
from mentoring.auth.second_factor import SecondFactor
from mentoring.checkins.models import CheckIn, CheckInReceipt
from mentoring.directory.models import SupportService
from mentoring.mentors.models import MentorProfile
from mentoring.relationships.models import MentoringRelationship
from mentoring.relationships.session_models import ActionItem, SessionLog, SessionStageNote
from mentoring.requests_.models import MentoringRequest, RequestTopic
from mentoring.training.models import TrainingRecord
from tests.factories import make_user

PASSWORD = "synthetic-bench-password-42"
SECRET = pyotp.random_base32()


@pytest.fixture
def scheme(app, db):
    result = app.test_cli_runner().invoke(
        args=["synthetic-data", "--scale", "0.001", "--password", PASSWORD, "--totp-secret", SECRET]
    )
    assert result.exit_code == 0, result.output
    db.session.remove()
    return result.output


def _count(db, statement) -> int:
    return db.session.scalar(select(func.count()).select_from(statement.subquery()))


def _holders(db, role: str) -> set[int]:
    return set(db.session.scalars(select(RoleGrant.user_id).where(RoleGrant.role == role)))


def test_scale_sets_how_much_of_everything_there_is(scheme, db):
    assert len(_holders(db, "doctor")) == 60
    assert len(_holders(db, "mentor")) == 6
    assert len(_holders(db, "coordinator")) == 3
    assert _count(db, select(MentoringRelationship)) == 20
    assert _count(db, select(SessionLog)) == 150
    assert _count(db, select(CheckIn)) == 1000
    assert _count(db, select(SupportService)) == 200
    statuses = set(db.session.scalars(select(MentoringRelationship.status)))
    assert statuses == {"active", "closed"}


def test_every_relationship_has_a_trained_mentor_and_a_request_with_topics(scheme, db):
    mentors = _holders(db, "mentor")
    verified = set(
        db.session.scalars(
            select(TrainingRecord.mentor_id).where(TrainingRecord.status == "verified")
        )
    )
    for relationship in db.session.scalars(select(MentoringRelationship)):
        assert relationship.mentor_id in mentors & verified
        assert relationship.mentee_id != relationship.mentor_id
        request = db.session.get(MentoringRequest, relationship.request_id)
        assert request.requester_id == relationship.mentee_id
        assert request.status == "matched"
        assert _count(db, select(RequestTopic).where(RequestTopic.request_id == request.id)) >= 1


def test_places_taken_are_the_active_relationships(scheme, db):
    for profile in db.session.scalars(select(MentorProfile)):
        active = _count(
            db,
            select(MentoringRelationship).where(
                MentoringRelationship.mentor_id == profile.mentor_id,
                MentoringRelationship.status == "active",
            ),
        )
        assert profile.places_taken == active <= profile.capacity


def test_sessions_fall_within_their_relationship_and_follow_its_model(scheme, db):
    for log in db.session.scalars(select(SessionLog)):
        relationship = log.relationship_
        assert log.model == relationship.model
        assert relationship.started_at.date() <= log.held_on
        if relationship.ended_at is not None:
            assert log.held_on <= relationship.ended_at.date()


def test_notes_are_sealed_and_open_with_the_scheme_keys(scheme, db):
    log = db.session.scalars(select(SessionLog)).first()
    assert log.summary and log.reflection
    assert log.summary.encode() not in log.summary_sealed
    note = db.session.scalars(select(SessionStageNote)).first()
    assert note.notes
    action = db.session.scalars(select(ActionItem)).first()
    assert action.text
    factor = db.session.scalars(select(SecondFactor)).first()
    assert factor.secret == SECRET


def test_check_ins_name_nobody(scheme, db):
    columns = {column["name"] for column in inspect(db.engine).get_columns("wellbeing_check_in")}
    assert not {name for name in columns if "user" in name or "account" in name}
    assert _count(db, select(CheckInReceipt)) == 0
    for check_in in db.session.scalars(select(CheckIn).limit(50)):
        assert check_in.raw_score == sum(getattr(check_in, f"item_{n}") for n in range(1, 6))


def test_synthetic_doctors_sign_in_with_the_shared_password(scheme, client, db):
    email = db.session.scalars(
        select(User.email).join(RoleGrant).where(RoleGrant.role == "doctor")
    ).first()
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/home").status_code == 200


def test_refuses_a_database_that_already_has_accounts(app, db):
    make_user()
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["synthetic-data", "--scale", "0.001"])
    assert result.exit_code != 0
    assert "already holds accounts" in result.output
    assert _count(db, select(User)) == 1


def test_never_runs_in_production(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    result = app.test_cli_runner().invoke(args=["synthetic-data", "--scale", "0.001"])
    assert result.exit_code != 0
    assert "never loaded into a production database" in result.output
    assert _count(db, select(User)) == 0
