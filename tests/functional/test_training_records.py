"""Mentors add, change and remove training records; bad input is refused with nothing saved."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mentoring.permissions import Role
from mentoring.training.models import TrainingRecord
from tests.factories import JPEG_BYTES, PDF_BYTES, PNG_BYTES, make_training_record, make_user


def form(**overrides) -> dict:
    data = {
        "title": "Mentoring skills for clinicians",
        "provider": "Regional deanery",
        "completed_on": (date.today() - timedelta(days=30)).isoformat(),
        "hours": "7.5",
        "models": ["grow", "egan"],
        "other_model_name": "",
    }
    data.update(overrides)
    return data


def records(db) -> list[TrainingRecord]:
    db.session.expire_all()
    return list(db.session.scalars(select(TrainingRecord)))


def stored_files(app) -> set[str]:
    folder = Path(app.config["UPLOAD_FOLDER"]) / "training"
    return {path.name for path in folder.glob("*")} if folder.exists() else set()


def test_a_mentor_adds_training_with_evidence(app, db, login_as):
    mentor = login_as(Role.MENTOR)
    before = stored_files(app)
    data = form(evidence=(io.BytesIO(PDF_BYTES), "certificate.pdf"))
    response = mentor.post("/training/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    [record] = records(db)
    assert record.mentor_id == mentor.user.id
    assert record.title == "Mentoring skills for clinicians"
    assert record.minutes == 450
    assert record.models == ["egan", "grow"]
    assert record.status == "awaiting"
    assert record.evidence_type == "application/pdf"
    assert record.evidence_name == "certificate.pdf"
    # Stored under a random name, outside static/.
    assert record.evidence_file not in ("certificate.pdf",)
    assert stored_files(app) - before == {record.evidence_file}
    page = mentor.get("/training/").get_data(as_text=True)
    assert "Mentoring skills for clinicians" in page
    assert "Awaiting verification" in page


@pytest.mark.parametrize(("content", "name"), [(PNG_BYTES, "scan.png"), (JPEG_BYTES, "photo.jpeg")])
def test_images_are_accepted_as_evidence(db, login_as, content, name):
    mentor = login_as(Role.MENTOR)
    data = form(evidence=(io.BytesIO(content), name))
    assert mentor.post("/training/new", data=data).status_code == 302
    assert records(db)[0].evidence_type.startswith("image/")


def test_another_model_needs_its_name(db, login_as):
    mentor = login_as(Role.MENTOR)
    response = mentor.post("/training/new", data=form(models=["other"]))
    assert response.status_code == 400
    assert "Enter the name of the other model" in response.get_data(as_text=True)
    response = mentor.post(
        "/training/new", data=form(models=["other"], other_model_name="Solution focus")
    )
    assert response.status_code == 302
    assert records(db)[0].model_labels == ["Solution focus"]


BAD_INPUT = [
    (
        {"completed_on": (date.today() + timedelta(days=1)).isoformat()},
        "The completion date must be today or in the past",
    ),
    ({"completed_on": "2025-02-30"}, "Enter a real date"),
    ({"completed_on": ""}, "Enter the date you completed the course"),
    ({"hours": "0.4"}, "Hours must be between 0.5 and 500"),
    ({"hours": "500.5"}, "Hours must be between 0.5 and 500"),
    ({"hours": "-3"}, "Hours must be between 0.5 and 500"),
    ({"hours": "lots"}, "Enter a number, like 1.5"),
    ({"hours": "NaN"}, "Enter a number, like 1.5"),
    ({"models": ["grow", "nlp"]}, "Choose only from the options shown"),
    ({"models": []}, "Choose at least one model the course taught"),
    ({"title": ""}, "Enter the course title"),
    ({"title": "   "}, "Enter the course title"),
    ({"provider": ""}, "Enter who provided the course"),
]


@pytest.mark.parametrize(("overrides", "message"), BAD_INPUT)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(
    app, db, login_as, overrides, message
):
    mentor = login_as(Role.MENTOR)
    before = stored_files(app)
    data = form(**overrides, evidence=(io.BytesIO(PDF_BYTES), "certificate.pdf"))
    response = mentor.post("/training/new", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert "There is a problem" in page
    assert records(db) == []
    assert stored_files(app) == before


def test_a_file_that_is_not_really_a_pdf_is_refused(app, db, login_as):
    mentor = login_as(Role.MENTOR)
    before = stored_files(app)
    fake = (io.BytesIO(b"<html><script>alert(1)</script></html>"), "certificate.pdf")
    response = mentor.post("/training/new", data=form(evidence=fake))
    assert response.status_code == 400
    assert "The evidence file must be a PDF, PNG or JPEG" in response.get_data(as_text=True)
    assert records(db) == []
    assert stored_files(app) == before
    # The typed values are kept.
    assert 'value="Mentoring skills for clinicians"' in response.get_data(as_text=True)


def test_a_file_that_is_too_big_is_refused(app, db, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "TRAINING_EVIDENCE_MAX_BYTES", 1024)
    mentor = login_as(Role.MENTOR)
    big = (io.BytesIO(PDF_BYTES + b"0" * 2000), "certificate.pdf")
    response = mentor.post("/training/new", data=form(evidence=big))
    assert response.status_code == 400
    assert "The evidence file must be smaller than 1 KB" in response.get_data(as_text=True)
    assert records(db) == []


def test_a_request_far_beyond_the_limit_is_refused_outright(app, db, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4096)
    mentor = login_as(Role.MENTOR)
    huge = (io.BytesIO(PDF_BYTES + b"0" * 10_000), "certificate.pdf")
    response = mentor.post("/training/new", data=form(evidence=huge))
    assert response.status_code == 413
    assert "The file you chose is too big" in response.get_data(as_text=True)
    assert records(db) == []


def test_evidence_is_served_to_its_owner_and_coordinators_only(app, db, login_as):
    mentor = login_as(Role.MENTOR)
    coordinator = login_as(Role.COORDINATOR)
    other = login_as(Role.MENTOR)
    record = make_training_record(mentor.user, status="awaiting", evidence=PDF_BYTES)
    db.session.commit()
    url = f"/training/{record.id}/evidence"
    for client in (mentor, coordinator):
        response = client.get(url)
        assert response.status_code == 200
        assert response.data == PDF_BYTES
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.mimetype == "application/pdf"
        assert "no-store" in response.headers["Cache-Control"]
    assert other.get(url).status_code == 403
    # A record without evidence has nothing to serve.
    bare = make_training_record(mentor.user)
    db.session.commit()
    assert mentor.get(f"/training/{bare.id}/evidence").status_code == 404


def test_another_mentors_record_cannot_be_changed_or_removed(db, login_as):
    owner = make_user(roles=[Role.MENTOR])
    record = make_training_record(owner)
    db.session.commit()
    other = login_as(Role.MENTOR)
    assert other.get(f"/training/{record.id}/edit").status_code == 403
    assert other.post(f"/training/{record.id}/edit", data=form()).status_code == 403
    assert other.post(f"/training/{record.id}/delete").status_code == 403
    assert other.get("/training/999999/edit").status_code == 404
    assert records(db)[0].title == "Mentoring skills"
    assert "Mentoring skills" not in other.get("/training/").get_data(as_text=True)


def test_changing_a_verified_record_sends_it_back_for_verification(app, db, login_as):
    mentor = login_as(Role.MENTOR)
    record = make_training_record(mentor.user, status="verified", evidence=PDF_BYTES)
    db.session.commit()
    old_file = record.evidence_file
    page = mentor.get(f"/training/{record.id}/edit").get_data(as_text=True)
    assert 'value="Mentoring skills"' in page
    new_evidence = (io.BytesIO(PNG_BYTES), "new.png")
    response = mentor.post(
        f"/training/{record.id}/edit", data=form(title="Renamed", evidence=new_evidence)
    )
    assert response.status_code == 302
    [saved] = records(db)
    assert saved.title == "Renamed"
    assert saved.status == "awaiting"
    assert saved.evidence_type == "image/png"
    assert old_file not in stored_files(app)
    assert saved.evidence_file in stored_files(app)


def test_bad_input_on_edit_changes_nothing(db, login_as):
    mentor = login_as(Role.MENTOR)
    record = make_training_record(mentor.user, status="verified")
    db.session.commit()
    response = mentor.post(f"/training/{record.id}/edit", data=form(hours="600"))
    assert response.status_code == 400
    [saved] = records(db)
    assert (saved.minutes, saved.status, saved.title) == (600, "verified", "Mentoring skills")


def test_evidence_can_be_removed_without_a_replacement(app, db, login_as):
    mentor = login_as(Role.MENTOR)
    record = make_training_record(mentor.user, evidence=PDF_BYTES)
    db.session.commit()
    old_file = record.evidence_file
    response = mentor.post(f"/training/{record.id}/edit", data=form(remove_evidence="y"))
    assert response.status_code == 302
    assert records(db)[0].evidence_file is None
    assert old_file not in stored_files(app)


def test_removing_a_record_deletes_its_file(app, db, login_as):
    mentor = login_as(Role.MENTOR)
    record = make_training_record(mentor.user, evidence=PDF_BYTES)
    db.session.commit()
    file = record.evidence_file
    assert "Remove Mentoring skills?" in mentor.get(f"/training/{record.id}/delete").get_data(
        as_text=True
    )
    assert mentor.post(f"/training/{record.id}/delete").status_code == 302
    assert records(db) == []
    assert file not in stored_files(app)
    assert db.session.scalar(select(func.count()).select_from(TrainingRecord)) == 0


def test_a_returned_record_shows_the_coordinators_reason(db, login_as):
    mentor = login_as(Role.MENTOR)
    record = make_training_record(mentor.user, status="returned")
    record.return_reason = "Please attach the certificate"
    db.session.commit()
    page = mentor.get("/training/").get_data(as_text=True)
    assert "Returned" in page
    assert "Please attach the certificate" in page


@pytest.mark.parametrize(
    ("years_ago_days", "expected"),
    [
        (100, "Your next refresher is due on"),
        (3 * 365 - 30, "Refresher training due soon"),
        (3 * 365 + 30, "Refresher training is due"),
    ],
)
def test_the_mentor_sees_the_refresher_coming(db, login_as, years_ago_days, expected):
    mentor = login_as(Role.MENTOR)
    make_training_record(mentor.user, completed_on=date.today() - timedelta(days=years_ago_days))
    make_training_record(
        mentor.user,
        status="awaiting",
        completed_on=date.today() - timedelta(days=5),
        title="Unverified training does not reset the clock",
    )
    db.session.commit()
    assert expected in mentor.get("/training/").get_data(as_text=True)


def test_the_refresher_interval_is_configurable(app, db, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "TRAINING_REFRESHER_YEARS", 1)
    mentor = login_as(Role.MENTOR)
    make_training_record(mentor.user, completed_on=date.today() - timedelta(days=400))
    db.session.commit()
    assert "Refresher training is due" in mentor.get("/training/").get_data(as_text=True)


def test_evidence_names_and_return_reasons_are_escaped(db, login_as):
    mentor = login_as(Role.MENTOR)
    record = make_training_record(mentor.user, status="returned", evidence=PDF_BYTES)
    record.evidence_name = "<script>alert(1)</script>.pdf"
    record.return_reason = "<b>bold</b> reason"
    db.session.commit()
    page = mentor.get("/training/").get_data(as_text=True)
    assert f'<a href="/training/{record.id}/evidence">&lt;script&gt;' in page
    assert "<script>alert(1)" not in page
    assert "&lt;b&gt;bold&lt;/b&gt; reason" in page
    assert "<strong>Returned by a coordinator:</strong>" in page
