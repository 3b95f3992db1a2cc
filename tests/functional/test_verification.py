"""Coordinators verify training or return it with a reason the mentor sees."""

from __future__ import annotations

from mentoring.permissions import Role
from mentoring.training.models import TrainingRecord
from tests.factories import make_training_record, make_user


def status_of(db, record_id: int) -> TrainingRecord:
    db.session.expire_all()
    return db.session.get(TrainingRecord, record_id)


def test_the_queue_lists_records_awaiting_verification_only(db, login_as):
    coordinator = login_as(Role.COORDINATOR)
    mentor = make_user(roles=[Role.MENTOR], display_name="Dr Waiting")
    make_training_record(mentor, status="awaiting", title="Course to check")
    make_training_record(mentor, status="verified", title="Already verified")
    make_training_record(mentor, status="returned", title="Sent back")
    db.session.commit()
    page = coordinator.get("/training/verification").get_data(as_text=True)
    assert "Course to check" in page
    assert "Dr Waiting" in page
    assert "Already verified" not in page
    assert "Sent back" not in page
    assert "1 record awaiting verification" in page


def test_a_coordinator_verifies_a_record(db, login_as):
    coordinator = login_as(Role.COORDINATOR)
    record = make_training_record(make_user(roles=[Role.MENTOR]), status="awaiting")
    db.session.commit()
    assert coordinator.get(f"/training/verification/{record.id}").status_code == 200
    response = coordinator.post(f"/training/verification/{record.id}", data={"decision": "verify"})
    assert response.status_code == 302
    saved = status_of(db, record.id)
    assert saved.status == "verified"
    assert saved.reviewed_by_id == coordinator.user.id
    assert saved.reviewed_at is not None


def test_returning_needs_a_reason_which_the_mentor_then_sees(db, login_as):
    coordinator = login_as(Role.COORDINATOR)
    mentor = login_as(Role.MENTOR)
    record = make_training_record(mentor.user, status="awaiting")
    db.session.commit()
    url = f"/training/verification/{record.id}"
    response = coordinator.post(url, data={"decision": "return", "return_reason": "  "})
    assert response.status_code == 400
    assert "Enter a reason, so the mentor knows what to change" in response.get_data(as_text=True)
    assert status_of(db, record.id).status == "awaiting"

    response = coordinator.post(
        url, data={"decision": "return", "return_reason": "The hours do not match the letter"}
    )
    assert response.status_code == 302
    assert status_of(db, record.id).status == "returned"
    assert "The hours do not match the letter" in mentor.get("/training/").get_data(as_text=True)


def test_a_decision_must_be_chosen(db, login_as):
    coordinator = login_as(Role.COORDINATOR)
    record = make_training_record(make_user(roles=[Role.MENTOR]), status="awaiting")
    db.session.commit()
    response = coordinator.post(f"/training/verification/{record.id}", data={})
    assert response.status_code == 400
    assert "Choose verify or return" in response.get_data(as_text=True)


def test_a_record_is_reviewed_once(db, login_as):
    coordinator = login_as(Role.COORDINATOR)
    record = make_training_record(make_user(roles=[Role.MENTOR]), status="verified")
    db.session.commit()
    response = coordinator.post(
        f"/training/verification/{record.id}", data={"decision": "return", "return_reason": "x"}
    )
    assert response.status_code == 400
    assert "not awaiting verification" in response.get_data(as_text=True)
    assert status_of(db, record.id).status == "verified"


def test_a_coordinator_who_mentors_cannot_verify_their_own_training(db, login_as):
    both = login_as(Role.COORDINATOR, Role.MENTOR)
    record = make_training_record(both.user, status="awaiting")
    db.session.commit()
    response = both.post(f"/training/verification/{record.id}", data={"decision": "verify"})
    assert response.status_code == 403
    assert status_of(db, record.id).status == "awaiting"
