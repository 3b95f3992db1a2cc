"""Conflicts of interest: declared by mentors and doctors, private, and answerable in one query."""

from __future__ import annotations

from sqlalchemy import select

from mentoring.auth.models import User
from mentoring.conflicts.models import ConflictOfInterest
from mentoring.conflicts.queries import conflict_between, conflicted_mentor_ids
from mentoring.permissions import Role
from tests.factories import make_user


def conflicts(db) -> list[ConflictOfInterest]:
    db.session.expire_all()
    return list(db.session.scalars(select(ConflictOfInterest)))


def test_a_mentor_names_someone_they_supervise_matched_to_their_account(db, login_as):
    mentor = login_as(Role.MENTOR)
    trainee = make_user(email="trainee@nhs.net")
    db.session.commit()
    response = mentor.post("/conflicts/people-you-supervise", data={"email": " Trainee@NHS.net "})
    assert response.status_code == 302
    [conflict] = conflicts(db)
    assert conflict.mentor_email == mentor.user.email
    assert conflict.mentor_id == mentor.user.id
    assert conflict.doctor_email == "trainee@nhs.net"
    assert conflict.doctor_id == trainee.id
    assert conflict.declared_as == "mentor"
    assert "trainee@nhs.net" in mentor.get("/conflicts/people-you-supervise").get_data(as_text=True)
    assert conflicted_mentor_ids(db.session.get(User, trainee.id)) == {mentor.user.id}


def test_a_declaration_holds_for_someone_who_registers_later(db, login_as):
    mentor = login_as(Role.MENTOR)
    mentor.post("/conflicts/people-you-supervise", data={"email": "newcomer@nhs.net"})
    assert conflicts(db)[0].doctor_id is None
    newcomer = make_user(email="newcomer@nhs.net")
    db.session.commit()
    assert conflicted_mentor_ids(newcomer) == {mentor.user.id}


def test_a_doctor_names_a_mentor_to_avoid(db, login_as):
    doctor = login_as(Role.DOCTOR)
    mentor = make_user(roles=[Role.MENTOR], email="senior@nhs.net")
    bystander = make_user(roles=[Role.MENTOR])
    db.session.commit()
    response = doctor.post("/conflicts/mentors-to-avoid", data={"email": "senior@nhs.net"})
    assert response.status_code == 302
    [conflict] = conflicts(db)
    assert (conflict.declared_as, conflict.mentor_id, conflict.doctor_id) == (
        "doctor",
        mentor.id,
        doctor.user.id,
    )
    ids = conflicted_mentor_ids(db.session.get(User, doctor.user.id))
    assert ids == {mentor.id}
    assert bystander.id not in ids
    # Matching excludes in one query.
    doctor_user = db.session.get(User, doctor.user.id)
    offered = set(
        db.session.scalars(
            select(User.id)
            .where(User.id.in_([mentor.id, bystander.id]))
            .where(~conflict_between(User, doctor_user))
        )
    )
    assert offered == {bystander.id}


def test_bad_emails_are_refused(db, login_as):
    mentor = login_as(Role.MENTOR)
    for email, message in [
        ("", "Enter your email address"),
        ("not an email", "Enter an email address in the correct format"),
        (mentor.user.email, "Enter someone else&#39;s email address, not your own"),
    ]:
        response = mentor.post("/conflicts/people-you-supervise", data={"email": email})
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    mentor.post("/conflicts/people-you-supervise", data={"email": "twice@nhs.net"})
    response = mentor.post("/conflicts/people-you-supervise", data={"email": "twice@nhs.net"})
    assert response.status_code == 400
    assert "You have already named this person" in response.get_data(as_text=True)
    assert len(conflicts(db)) == 1


def test_declarations_are_private_and_removable_only_by_their_author(db, login_as):
    mentor = login_as(Role.MENTOR)
    other = login_as(Role.MENTOR, Role.DOCTOR)
    mentor.post("/conflicts/people-you-supervise", data={"email": "secret@nhs.net"})
    [conflict] = conflicts(db)
    assert "secret@nhs.net" not in other.get("/conflicts/people-you-supervise").get_data(
        as_text=True
    )
    assert "secret@nhs.net" not in other.get("/conflicts/mentors-to-avoid").get_data(as_text=True)
    assert other.post(f"/conflicts/{conflict.id}/remove").status_code == 403
    assert len(conflicts(db)) == 1
    assert mentor.post(f"/conflicts/{conflict.id}/remove").status_code == 302
    assert conflicts(db) == []
