"""Coordinators help with requests matching could not place, without ever reading their words."""

from __future__ import annotations

from sqlalchemy import func, select

from mentoring.audit.models import AuditEvent
from mentoring.mentors.models import MentorProfile
from mentoring.permissions import Role
from mentoring.requests_.models import MentoringRequest, Suggestion
from tests.functional.requests.helpers import make_available_mentor, request_form

WISHES = "I would like to think about whether to go part time."


def waiting_request(db, doctor, **form_changes) -> MentoringRequest:
    doctor.post("/requests/new", data=request_form(**form_changes))
    db.session.expire_all()
    return db.session.scalar(
        select(MentoringRequest).where(MentoringRequest.requester_id == doctor.user.id)
    )


def test_coordinator_sees_structured_fields_never_the_wishes_and_views_are_audited(db, login_as):
    doctor = login_as(Role.DOCTOR)
    request = waiting_request(db, doctor)
    assert request.needs_coordinator
    coordinator = login_as(Role.COORDINATOR)

    queue = coordinator.get("/coordinator/requests").get_data(as_text=True)
    assert "Career development" in queue
    assert WISHES not in queue and doctor.user.display_name not in queue
    detail = coordinator.get(f"/coordinator/requests/{request.id}")
    assert detail.status_code == 200
    page = detail.get_data(as_text=True)
    assert "Hillside Trust" in page
    assert WISHES not in page and "part time" not in page
    assert doctor.user.email not in page
    views = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "request.viewed")
    ).all()
    assert [(e.actor_id, e.record_id) for e in views] == [(coordinator.user.id, request.id)]


def test_requests_not_in_the_queue_are_not_open_to_coordinators(db, login_as):
    make_available_mentor()
    db.session.commit()
    doctor = login_as(Role.DOCTOR)
    request = waiting_request(db, doctor)
    assert not request.needs_coordinator
    assert login_as(Role.COORDINATOR).get(f"/coordinator/requests/{request.id}").status_code == 403


def test_widening_needs_the_doctors_agreement_then_finds_a_mentor(db, login_as, outbox):
    same_org = make_available_mentor(organisation="Hillside Trust")
    db.session.commit()
    doctor = login_as(Role.DOCTOR)
    request = waiting_request(db, doctor, outside_organisation="y")
    assert request.needs_coordinator and request.suggestions == []
    coordinator = login_as(Role.COORDINATOR)

    response = coordinator.post(
        f"/coordinator/requests/{request.id}/widen", data={"drop_outside_organisation": "y"}
    )
    assert response.status_code == 400
    assert "Confirm that the doctor has agreed" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(MentoringRequest, request.id).outside_organisation is True

    response = coordinator.post(
        f"/coordinator/requests/{request.id}/widen",
        data={"drop_outside_organisation": "y", "doctor_agreed": "y"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    widened = db.session.get(MentoringRequest, request.id)
    assert widened.outside_organisation is False
    assert [s.mentor_id for s in widened.suggestions] == [same_org.id]


def test_coordinator_suggests_a_mentor_and_the_doctor_still_chooses(db, login_as, outbox):
    doctor = login_as(Role.DOCTOR)
    request = waiting_request(db, doctor)
    mentor = make_available_mentor()  # joins the scheme after the request
    db.session.commit()
    coordinator = login_as(Role.COORDINATOR)
    bad = coordinator.post(f"/coordinator/requests/{request.id}/suggest", data={"mentor_id": "x"})
    assert bad.status_code == 400
    assert "Choose one of the mentors listed" in bad.get_data(as_text=True)
    response = coordinator.post(
        f"/coordinator/requests/{request.id}/suggest", data={"mentor_id": str(mentor.id)}
    )
    assert response.status_code == 302
    page = doctor.get("/requests/mine").get_data(as_text=True)
    assert "Suggested by the scheme" in page
    assert db.session.scalar(select(func.count()).select_from(Suggestion)) >= 1
    assert any("suggested" in m.subject for m in outbox)


def test_whole_pool_matching_proposes_within_capacity_and_doctors_confirm(db, login_as):
    mentors = [make_available_mentor(capacity=1) for _ in range(2)]
    db.session.commit()
    doctors = [login_as(Role.DOCTOR) for _ in range(3)]
    for doctor in doctors:
        doctor.post("/requests/new", data=request_form())
    coordinator = login_as(Role.COORDINATOR)
    assert coordinator.get("/coordinator/matching").status_code == 200
    page = coordinator.post("/coordinator/matching").get_data(as_text=True)
    assert "2 doctors have been sent a proposed mentor" in page

    db.session.expire_all()
    pool = db.session.scalars(select(Suggestion).where(Suggestion.source == "pool")).all()
    per_mentor = {}
    for suggestion in pool:
        per_mentor[suggestion.mentor_id] = per_mentor.get(suggestion.mentor_id, 0) + 1
    assert sorted(per_mentor.values()) == [1, 1]  # never beyond each mentor's one place
    # Nothing is matched until doctors choose: no place is taken yet.
    for mentor in mentors:
        assert db.session.get(MentorProfile, mentor.id).places_taken == 0


def test_only_coordinators_run_matching(login_as):
    for role in (Role.DOCTOR, Role.MENTOR, Role.ADMIN):
        assert login_as(role).post("/coordinator/matching").status_code == 403
