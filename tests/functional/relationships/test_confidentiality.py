"""Encryption at rest, key rotation, who may read what, and the record of every read."""

from __future__ import annotations

import base64
import os

import pytest
from sqlalchemy import select, text

from mentoring.audit.models import AuditEvent
from mentoring.extensions import db
from mentoring.notes_rotation import rotate_note_keys
from mentoring.permissions import Role
from mentoring.relationships.session_models import ActionItem, SessionLog, SessionStageNote
from mentoring.sealing import SealError, key_id_of, sealed_fields, sealed_key_id
from tests.conftest import sign_in
from tests.factories import make_user
from tests.functional.relationships.helpers import make_relationship, session_form

SECRETS = {
    "stage_goal": "GOALSECRET decide about part-time",
    "summary": "SUMMARYSECRET shared words",
    "reflection": "REFLECTIONSECRET only mine",
    "action_0_text": "ACTIONSECRET call the TPD",
}


@pytest.fixture
def logged(app, db):
    mentor = make_user(roles=[Role.MENTOR, Role.DOCTOR])
    mentee = make_user(roles=[Role.DOCTOR])
    relationship = make_relationship(mentor=mentor, mentee=mentee)
    as_mentor = sign_in(app.test_client(), mentor)
    as_mentee = sign_in(app.test_client(), mentee)
    response = as_mentor.post(
        f"/relationships/{relationship.id}/sessions/new", data=session_form(**SECRETS)
    )
    assert response.status_code == 302
    log = db.session.scalars(select(SessionLog)).one()
    action = db.session.scalars(select(ActionItem)).one()
    as_mentee.post(
        f"/relationships/{relationship.id}/actions/{action.id}",
        data={"status": "open", "reflection": "MENTEEREFLECTIONSECRET"},
    )
    return relationship, log, action, as_mentor, as_mentee


SEALED_COLUMNS = [
    ("session_log", "summary_sealed"),
    ("session_log", "reflection_sealed"),
    ("session_stage_note", "notes_sealed"),
    ("action_item", "text_sealed"),
    ("action_item", "mentee_reflection_sealed"),
]


def test_raw_columns_hold_no_plaintext(logged):
    raw = b""
    for table, column in SEALED_COLUMNS:
        for (value,) in db.session.execute(text(f"SELECT {column} FROM {table}")):  # noqa: S608
            assert value is not None
            raw += bytes(value)
    for secret in [*SECRETS.values(), "MENTEEREFLECTIONSECRET"]:
        assert secret.split()[0].encode() not in raw
    # And every other column of these tables is plain structure, not text.
    row = db.session.execute(text("SELECT * FROM session_log")).mappings().one()
    assert not any("SECRET" in str(value) for value in row.values())


def test_a_ciphertext_swapped_into_another_row_is_refused(logged):
    relationship, log, action, as_mentor, _ = logged
    other = SessionLog(
        relationship_id=relationship.id,
        held_on=log.held_on,
        minutes=30,
        format="phone",
        model="grow",
    )
    db.session.add(other)
    db.session.flush()
    other.summary_sealed = log.summary_sealed  # copied bytes, bound to the first row
    db.session.commit()
    db.session.expire_all()
    with pytest.raises(SealError):
        _ = db.session.get(SessionLog, other.id).summary
    # Moving a value between fields of the same row is refused too.
    again = db.session.get(SessionLog, log.id)
    again.reflection_sealed = again.summary_sealed
    with pytest.raises(SealError):
        _ = again.reflection
    db.session.rollback()


def test_a_tampered_ciphertext_is_refused(logged):
    _, _, action, _, _ = logged
    sealed = bytearray(action.text_sealed)
    sealed[-1] ^= 1
    action.text_sealed = bytes(sealed)
    with pytest.raises(SealError):
        _ = action.text
    db.session.rollback()


def test_rotation_reseals_every_session_field(app, logged):
    registered = {(model.__tablename__, column) for model, column, _ in sealed_fields()}
    assert set(SEALED_COLUMNS) | {("mentoring_relationship", "agreement_notes_sealed")} <= (
        registered
    )
    old_keys = app.config["NOTE_ENCRYPTION_KEYS"]
    new_key = base64.urlsafe_b64encode(os.urandom(32)).decode()
    app.config["NOTE_ENCRYPTION_KEYS"] = [new_key, *old_keys]
    try:
        rotate_note_keys(batch_size=1, progress=lambda _line: None)
        db.session.expire_all()
        new_id = key_id_of(base64.urlsafe_b64decode(new_key))
        for table, column in SEALED_COLUMNS:
            for (value,) in db.session.execute(text(f"SELECT {column} FROM {table}")):  # noqa: S608
                assert sealed_key_id(value) == new_id, (table, column)
        app.config["NOTE_ENCRYPTION_KEYS"] = [new_key]  # the old key is gone: still readable
        log = db.session.scalars(select(SessionLog)).one()
        assert log.summary == SECRETS["summary"]
        note = db.session.scalars(
            select(SessionStageNote).where(SessionStageNote.stage == "goal")
        ).one()
        assert note.notes == SECRETS["stage_goal"]
    finally:
        app.config["NOTE_ENCRYPTION_KEYS"] = old_keys


def test_private_reflection_is_for_its_mentor_only(logged):
    relationship, log, _, as_mentor, as_mentee = logged
    url = f"/relationships/{relationship.id}/sessions/{log.id}"
    mentor_page = as_mentor.get(url).get_data(as_text=True)
    mentee_page = as_mentee.get(url).get_data(as_text=True)
    assert "REFLECTIONSECRET" in mentor_page
    assert "REFLECTIONSECRET" not in mentee_page
    assert "SUMMARYSECRET" in mentee_page and "GOALSECRET" in mentee_page
    assert as_mentee.get(f"{url}/edit").status_code == 403


def test_nobody_else_reads_or_writes_anything(app, logged, login_as):
    relationship, log, action, _, _ = logged
    base = f"/relationships/{relationship.id}"
    outsiders = [
        login_as(Role.MENTOR, Role.DOCTOR),
        login_as(Role.COORDINATOR),
        login_as(Role.ADMIN),
        login_as(Role.DOCTOR),
    ]
    for client in outsiders:
        for url in (base, f"{base}/sessions/{log.id}", f"{base}/actions/{action.id}"):
            response = client.get(url)
            assert response.status_code == 403, url
            assert b"SECRET" not in response.data
        assert client.post(f"{base}/sessions/new", data=session_form()).status_code == 403
        assert client.post(f"{base}/end", data={"reason": "other"}).status_code == 403
    assert db.session.scalars(select(SessionLog)).all() == [log]
    # Someone else's relationship id with a real session id: 404, nothing leaks.
    other = make_relationship()
    mentor_b = sign_in(app.test_client(), other.mentor)
    assert mentor_b.get(f"/relationships/{other.id}/sessions/{log.id}").status_code in (403, 404)


def test_the_relationship_pages_read_gives_an_outsider_the_relationship_only(logged):
    """The page's one statement joins the other person, the sessions and the actions only for
    one of the two: anyone else gets the relationship's columns (for the policy to refuse)."""
    from mentoring.relationships.queries import relationship_page_rows

    relationship, log, action, _, _ = logged
    outsider = make_user(roles=[Role.MENTOR, Role.DOCTOR])
    db.session.commit()
    (row,) = relationship_page_rows(relationship.id, outsider.id)
    assert (row.mentor_id, row.mentee_id) == (relationship.mentor_id, relationship.mentee_id)
    assert row.other_name is row.other_email is row.what is row.text_sealed is None
    assert "agreement_notes_sealed" not in row._fields

    for viewer, other in (
        (relationship.mentor, relationship.mentee),
        (relationship.mentee, relationship.mentor),
    ):
        rows = relationship_page_rows(relationship.id, viewer.id)
        assert {(r.other_name, r.other_email) for r in rows} == {(other.display_name, other.email)}
        assert [r.line_id for r in rows] == [log.id, action.id]
    assert relationship_page_rows("no-such-relationship", relationship.mentor_id) == []


def test_action_text_read_as_values_is_bound_to_its_row(logged):
    from mentoring.relationships.presentation import ActionLine

    _, _, action, _, _ = logged
    db.session.refresh(action)  # with the mentee's reflection
    line = ActionLine(action.id, None, "open", action.text_sealed, action.mentee_reflection_sealed)
    assert line.text == SECRETS["action_0_text"]
    assert line.mentee_reflection == "MENTEEREFLECTIONSECRET"
    moved = line._replace(id="another-row")
    with pytest.raises(SealError):
        _ = moved.text
    swapped = line._replace(mentee_reflection_sealed=action.text_sealed)
    with pytest.raises(SealError):
        _ = swapped.mentee_reflection


def test_coordinators_see_figures_and_never_text(logged, login_as):
    coordinator = login_as(Role.COORDINATOR)
    page = coordinator.get("/relationships/figures").get_data(as_text=True)
    assert "50" in page  # the session's minutes
    assert "SECRET" not in page
    assert logged[0].mentee.display_name not in page


def test_every_read_is_audited_and_the_mentee_sees_who_read(logged):
    relationship, log, _, as_mentor, as_mentee = logged
    before = db.session.scalar(
        select(db.func.count(AuditEvent.id)).where(AuditEvent.action == "note.read")
    )
    as_mentor.get(f"/relationships/{relationship.id}/sessions/{log.id}")
    reads = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "note.read").order_by(AuditEvent.id)
    ).all()
    assert len(reads) == before + 1
    last = reads[-1]
    assert (last.actor_id, last.record_id) == (relationship.mentor_id, relationship.id)
    assert "SECRET" not in (last.detail or "")
    page = as_mentee.get(f"/relationships/{relationship.id}/reads").get_data(as_text=True)
    assert "Your mentor" in page and relationship.mentor.display_name in page
    assert as_mentor.get(f"/relationships/{relationship.id}/reads").status_code == 403


def test_each_view_of_the_relationship_page_is_recorded_for_the_mentee(logged):
    relationship, _, _, as_mentor, as_mentee = logged
    other = relationship.mentee.display_name

    def reads() -> list[AuditEvent]:
        return db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "note.read", AuditEvent.record_id == relationship.id)
            .order_by(AuditEvent.id)
        ).all()

    before = len(reads())
    for _ in range(2):
        page = as_mentor.get(f"/relationships/{relationship.id}")
        assert page.status_code == 200 and other in page.get_data(as_text=True)
    after = reads()
    assert len(after) == before + 2
    assert {(e.actor_id, e.detail) for e in after[before:]} == {
        (relationship.mentor_id, "relationship page")
    }
    listed = as_mentee.get(f"/relationships/{relationship.id}/reads").get_data(as_text=True)
    assert "Your mentor" in listed
