"""Pages read the database a fixed number of times, however many rows they show (no N+1).

Counts SQL statements sent while a page is served (`before_cursor_execute`), never time.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event

from mentoring.auth.models import utcnow
from mentoring.extensions import db
from mentoring.permissions import Role
from tests.conftest import sign_in
from tests.factories import make_user
from tests.functional.relationships.helpers import make_relationship, session_form


@contextmanager
def counting_statements(app):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def statements_for(app, client, path: str) -> int:
    with counting_statements(app) as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements)


def log_sessions(client, relationship_id: str, count: int, start: int) -> None:
    for day in range(start, start + count):
        held_on = (utcnow().date() - timedelta(days=day)).isoformat()
        response = client.post(
            f"/relationships/{relationship_id}/sessions/new?model=grow",
            data=session_form(held_on=held_on),
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]


def test_the_relationship_page_reads_the_same_however_many_sessions(app, db):
    mentor = make_user(roles=[Role.MENTOR, Role.DOCTOR])
    relationship = make_relationship(mentor=mentor, days_ago=60)
    client = app.test_client()
    sign_in(client, mentor)
    path = f"/relationships/{relationship.id}"

    log_sessions(client, relationship.id, 1, start=1)
    with_one = statements_for(app, client, path)
    log_sessions(client, relationship.id, 4, start=2)
    with_five = statements_for(app, client, path)

    assert with_five == with_one
    page = client.get(path).get_data(as_text=True)
    assert page.count("Talk to the training programme director") >= 5


def test_the_relationship_page_is_one_read_and_its_audit_insert(app, db):
    """Besides the signed-in person: one statement reads the relationship, the other person, the
    sessions and the actions; one inserts the `note.read` record. For either of the two."""
    mentor = make_user(roles=[Role.MENTOR, Role.DOCTOR])
    relationship = make_relationship(mentor=mentor, days_ago=60)
    mentee = relationship.mentee
    client = app.test_client()
    sign_in(client, mentor)
    log_sessions(client, relationship.id, 2, start=1)
    path = f"/relationships/{relationship.id}"

    for person in (mentor, mentee):
        client = sign_in(app.test_client(), person)
        with counting_statements(app) as statements:
            assert client.get(path).status_code == 200
        page = [s for s in statements if not _reads_the_person_only(s)]
        assert len(page) == 2, page
        read, write = page
        for table in ("mentoring_relationship", "user_account", "session_log", "action_item"):
            assert f"FROM {table}" in read or f"JOIN {table}" in read, table
        assert write.startswith("INSERT INTO audit_event")


def _reads_the_person_only(statement: str) -> bool:
    return "FROM user_account" in statement and "mentoring_relationship" not in statement


def test_a_person_and_all_their_roles_load_in_one_statement(app, db):
    client = app.test_client()
    person = make_user(roles=[Role.MENTOR, Role.DOCTOR, Role.COORDINATOR])
    db.session.commit()
    sign_in(client, person)

    with counting_statements(app) as statements:
        response = client.get("/auth/account")
    assert response.status_code in {200, 302}
    person_reads = [s for s in statements if "FROM user_account" in s]
    role_reads = [s for s in statements if "FROM role_grant" in s]
    assert len(person_reads) == 1
    assert role_reads == [] or role_reads == person_reads  # the roles come with the person

    # Every role survives the one-statement load: each role's own page opens.
    for role_page in ("/mentor/profile", "/requests/mine"):
        assert client.get(role_page).status_code == 200


def test_the_relationship_page_writes_its_read_in_one_insert_without_returning(app, db):
    """The `note.read` record is one plain insert, committed before the page is sent: nothing is
    read back from it (no `RETURNING`, no second statement)."""
    from sqlalchemy import select

    from mentoring.audit.models import AuditEvent

    mentor = make_user(roles=[Role.MENTOR, Role.DOCTOR])
    relationship = make_relationship(mentor=mentor, days_ago=60)
    client = app.test_client()
    sign_in(client, mentor)
    with counting_statements(app) as statements:
        assert client.get(f"/relationships/{relationship.id}").status_code == 200
    writes = [s for s in statements if "audit_event" in s]
    assert len(writes) == 1
    assert writes[0].startswith("INSERT INTO audit_event") and "RETURNING" not in writes[0]
    db.session.rollback()
    recorded = db.session.scalars(
        select(AuditEvent).where(AuditEvent.record_id == relationship.id)
    ).all()
    assert [(e.action, e.actor_id, e.detail) for e in recorded] == [
        ("note.read", mentor.id, "relationship page")
    ]


def test_a_coordinators_second_factor_comes_with_the_person(app, db):
    """Roles that need a second factor are checked for one on every request: in the statement that
    reads the person, not in one of its own (which read the sealed secret too)."""
    client = app.test_client()
    person = make_user(roles=[Role.COORDINATOR])
    db.session.commit()
    sign_in(client, person)

    with counting_statements(app) as statements:
        response = client.get("/home")
    assert response.status_code == 200
    (person_read,) = [s for s in statements if "FROM user_account" in s]
    assert [s for s in statements if "second_factor" in s] == [person_read]
    assert "secret_sealed" not in " ".join(statements)


def test_the_reports_dashboard_once_kept_reads_only_the_signed_in_person(app, login_as):
    """Its figures and their page block are kept (mentoring/reports/cache.py): a second request
    for the same view sends one statement, the signed-in person's, whatever the figures."""
    client = login_as(Role.COORDINATOR)
    for path in ("/reports/", "/reports/?period=2026-Q3&group=all"):
        assert statements_for(app, client, path) > 1  # worked out, then kept
        assert statements_for(app, client, path) == 1


def test_the_new_session_log_form_is_one_read_kept_or_not(app, db):
    """Besides the signed-in person, the form reads the relationship alone, whether its fields are
    rendered or were kept (mentoring/relationships/session_views.py); nothing is written."""
    mentor = make_user(roles=[Role.MENTOR, Role.DOCTOR])
    relationship = make_relationship(mentor=mentor, days_ago=60, meeting_format="video")
    client = sign_in(app.test_client(), mentor)
    path = f"/relationships/{relationship.id}/sessions/new"
    app.extensions.pop("session_log_fields", None)
    for _kept in (False, True):
        with counting_statements(app) as statements:
            assert client.get(path).status_code == 200
        page = [s for s in statements if not _reads_the_person_only(s)]
        assert len(page) == 1, page
        assert "FROM mentoring_relationship" in page[0] and "INSERT" not in page[0]
    assert len(app.extensions["session_log_fields"]) == 1
