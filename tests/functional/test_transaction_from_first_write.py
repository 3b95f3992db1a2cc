"""On PostgreSQL a request's transaction begins at its first write (mentoring/core/connections.py).

What others can see is checked from a second connection, as an operator or another request would
see it: `pg_stat_activity` says whether the request's backend holds a transaction open, and rows
written are visible to others only once committed. The statement rule itself is checked on its
own, on any database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from psycopg.pq import Trace
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import OperationalError

from mentoring.audit.models import AuditEvent
from mentoring.audit.services import AuditAction, audit_record_committed, audit_record_now
from mentoring.auth.models import User
from mentoring.core.connections import only_reads
from mentoring.extensions import db as _db
from mentoring.permissions import Role
from tests.conftest import IsolatedClient, is_postgresql, sign_in
from tests.factories import make_user
from tests.functional.relationships.helpers import make_relationship
from tests.functional.test_checkins import check_in_data

NO_TRANSACTION = ("idle", False)
IN_TRANSACTION = ("idle in transaction", True)


@pytest.fixture
def on_postgresql(app):
    if not is_postgresql(app):
        pytest.skip("SQLite is left as it is: it has no round trips to save")


@pytest.fixture
def observer(on_postgresql, database_url) -> Iterator:
    """Another connection to the same database, outside the app, each look in its own snapshot."""
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


def _activity(observer, pid: int) -> tuple[str, bool]:
    """The backend's state and whether it has a transaction open, as others see it."""
    with observer.connect() as connection:
        state, in_transaction = connection.execute(
            text("SELECT state, xact_start IS NOT NULL FROM pg_stat_activity WHERE pid = :pid"),
            {"pid": pid},
        ).one()
    return state, in_transaction


def _entries_seen_by_others(observer) -> int:
    with observer.connect() as connection:
        return connection.scalar(select(func.count()).select_from(AuditEvent))


def _pid() -> int:
    return _db.session.scalar(text("SELECT pg_backend_pid()"))


def _entry(detail: str) -> AuditEvent:
    return AuditEvent(action=AuditAction.NOTE_READ.value, detail=detail)


PARSED = re.compile(r'\s*"[^"]*" "(.*)" \d+', re.DOTALL)


class SentToDatabase:
    """What an instance sends PostgreSQL, from libpq's own trace of its one pooled connection."""

    def __init__(self, instance: Flask, path) -> None:
        self.path = path
        self.file = path.open("w")
        with instance.app_context():
            pooled = _db.engine.raw_connection()
            connection = pooled.driver_connection.pgconn
            connection.trace(self.file.fileno())
            connection.set_trace_flags(Trace.SUPPRESS_TIMESTAMPS | Trace.REGRESS_MODE)
            pooled.close()  # back to the pool, where every request below takes it from
        self.read_to = 0

    def since_last(self) -> list[str]:
        """Each statement sent since the last call: simple queries, and those parsed to run."""
        self.file.flush()
        messages: list[str] = []
        for line in self.path.read_text().splitlines():
            if line.startswith(("F\t", "B\t")) or not messages:
                messages.append(line)
            else:  # statement text runs over several lines
                messages[-1] += "\n" + line
        new, self.read_to = messages[self.read_to :], len(messages)
        sent = []
        for message in new:
            direction, _length, kind, *rest = message.split("\t", 3)
            if direction == "F" and kind == "Query":
                sent.append(rest[0].strip().strip('"'))
            elif direction == "F" and kind == "Parse":  # "name" "text" parameter count, types
                sent.append(PARSED.match(rest[0]).group(1))
        return sent


@pytest.fixture
def traced(on_postgresql, make_instance, tmp_path) -> Iterator[tuple[Flask, SentToDatabase]]:
    instance = make_instance()
    instance.test_client_class = IsolatedClient
    sent = SentToDatabase(instance, tmp_path / "sent.log")
    yield instance, sent
    sent.file.close()


TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "ROLLBACK"}


def test_a_page_that_only_reads_sends_no_begin_and_no_rollback(traced, db):
    instance, sent = traced
    doctor = make_user(roles=[Role.DOCTOR], display_name="Dr Amara Osei")
    db.session.commit()
    client = sign_in(instance.test_client(), doctor)

    response = client.get("/home")

    assert response.status_code == 200
    assert "Amara Osei" in response.get_data(as_text=True)
    statements = sent.since_last()
    assert statements, "the page read the person from the database"
    assert not TRANSACTION_CONTROL & set(statements)
    assert all(only_reads(statement) for statement in statements)


def test_the_relationship_page_commits_its_read_record_in_one_statement(traced, db, observer):
    instance, sent = traced
    relationship = make_relationship()
    client = sign_in(instance.test_client(), db.session.get(User, relationship.mentor_id))

    response = client.get(f"/relationships/{relationship.id}")

    assert response.status_code == 200
    statements = sent.since_last()
    assert not TRANSACTION_CONTROL & set(statements)
    assert statements[-1].startswith("INSERT INTO audit_event")
    with observer.connect() as connection:
        reads = connection.scalars(
            select(AuditEvent.record_id).where(AuditEvent.action == AuditAction.NOTE_READ.value)
        ).all()
    assert reads == [relationship.id]  # committed before the page was sent


def test_a_check_in_begins_its_transaction_at_its_week_lock_and_commits_it_whole(
    traced, db, observer
):
    instance, sent = traced
    doctor = make_user(roles=[Role.DOCTOR])
    db.session.commit()
    client = sign_in(instance.test_client(), doctor)

    response = client.post("/check-in", data=check_in_data())

    assert response.status_code == 200
    statements = sent.since_last()
    begun = statements.index("BEGIN")
    assert all(only_reads(statement) for statement in statements[:begun])
    assert "pg_advisory_xact_lock_shared" in statements[begun + 1]
    assert statements[-1] == "COMMIT"
    writes = [s for s in statements if s.startswith("INSERT")]
    assert writes and all(statements.index(w) > begun for w in writes)
    with observer.connect() as connection:
        receipts = connection.scalar(text("SELECT count(*) FROM wellbeing_check_in_receipt"))
    assert receipts == 1


def test_a_request_that_only_reads_holds_no_transaction_open(app, db, observer):
    make_user()
    db.session.commit()
    with app.test_request_context("/"):
        pid = _pid()
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
        assert _activity(observer, pid) == NO_TRANSACTION
        db.session.commit()  # as a view that only read would end: nothing to send
        assert _activity(observer, pid) == NO_TRANSACTION
        db.session.remove()


def test_from_the_first_write_everything_is_one_transaction_and_a_rollback_undoes_it_all(
    app, db, observer
):
    with app.test_request_context("/"):
        pid = _pid()
        db.session.add(_entry("first"))
        db.session.flush()
        assert _activity(observer, pid) == IN_TRANSACTION
        assert _entries_seen_by_others(observer) == 0  # not committed yet

        # A read after the write is in the same transaction: it sees the request's own write.
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 1
        assert _activity(observer, pid) == IN_TRANSACTION
        db.session.add(_entry("second"))
        db.session.flush()

        db.session.rollback()
        assert _activity(observer, pid) == NO_TRANSACTION
        assert _entries_seen_by_others(observer) == 0  # neither write survives
        db.session.remove()


def test_writes_after_reads_are_committed_together(app, db, observer):
    with app.test_request_context("/"):
        db.session.scalar(select(func.count()).select_from(User))
        db.session.add(_entry("first"))
        db.session.flush()
        db.session.scalar(select(func.count()).select_from(User))
        db.session.add(_entry("second"))
        db.session.flush()
        assert _entries_seen_by_others(observer) == 0
        db.session.commit()
        assert _entries_seen_by_others(observer) == 2
        db.session.remove()


def test_a_read_that_locks_rows_holds_its_lock_until_the_transaction_ends(app, db, observer):
    person_id = make_user().id
    db.session.commit()
    with app.test_request_context("/"):
        pid = _pid()
        locked = db.session.scalar(select(User.id).where(User.id == person_id).with_for_update())
        assert locked == person_id
        assert _activity(observer, pid) == IN_TRANSACTION
        other_lock = text("SELECT id FROM user_account WHERE id = :id FOR UPDATE NOWAIT")
        with observer.connect() as other, pytest.raises(OperationalError, match="lock"):
            other.execute(other_lock, {"id": person_id})

        db.session.rollback()
        with observer.connect() as other:
            assert other.scalar(other_lock, {"id": person_id}) == person_id
        db.session.remove()


def test_an_entry_committed_at_once_after_reads_is_kept_and_leaves_nothing_open(app, db, observer):
    """The relationship page's `note.read`: written and committed before the page is sent."""
    with app.test_request_context("/"):
        pid = _pid()
        audit_record_committed(action=AuditAction.NOTE_READ, actor_id=1, detail="page")
        assert _entries_seen_by_others(observer) == 1
        assert _activity(observer, pid) == NO_TRANSACTION
        db.session.remove()


def test_an_entry_committed_at_once_joins_the_changes_the_request_holds_unwritten(
    app, db, observer
):
    with app.test_request_context("/"):
        db.session.add(_entry("held"))  # not flushed yet
        audit_record_committed(action=AuditAction.NOTE_READ, actor_id=1, detail="page")
        assert _entries_seen_by_others(observer) == 2
        db.session.remove()


def test_an_entry_committed_at_once_after_a_write_commits_with_it_or_not_at_all(app, db, observer):
    with app.test_request_context("/"):
        pid = _pid()
        db.session.add(_entry("written"))
        db.session.flush()
        audit_record_committed(action=AuditAction.NOTE_READ, actor_id=1, detail="page")
        assert _entries_seen_by_others(observer) == 2
        assert _activity(observer, pid) == NO_TRANSACTION
        db.session.remove()


def test_an_entry_in_a_transaction_of_its_own_is_kept_whatever_the_request_does(app, db, observer):
    with app.test_request_context("/"):
        db.session.add(_entry("written"))
        db.session.flush()
        audit_record_now(action=AuditAction.ACCESS_REFUSED, actor_id=1, detail="/somewhere")
        db.session.rollback()
        with observer.connect() as connection:
            kept = connection.scalars(select(AuditEvent.action)).all()
        assert kept == [AuditAction.ACCESS_REFUSED.value]
        db.session.remove()


def test_a_connection_asked_for_autocommit_runs_what_needs_no_transaction(app, db, observer):
    with app.test_request_context("/"):
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            # VACUUM refuses to run inside a transaction block.
            connection.execute(text("VACUUM ANALYZE audit_event"))
        db.session.remove()


def test_outside_requests_connections_are_in_a_transaction_from_their_first_read(
    make_instance, observer
):
    """Commands and jobs are as before, on a connection a request has just used too."""
    instance = make_instance()
    with instance.app_context():
        with instance.test_request_context("/"):
            in_request = _pid()
            assert _activity(observer, in_request) == NO_TRANSACTION
            _db.session.remove()
        assert _db.engine.pool.checkedin() == 1  # the same connection comes back next

        outside = _pid()
        assert outside == in_request
        assert _activity(observer, outside) == IN_TRANSACTION
        _db.session.remove()


def test_turned_off_every_request_reads_in_a_transaction(make_instance, observer):
    instance = make_instance(DATABASE_TRANSACTION_FROM_FIRST_WRITE=False)
    with instance.app_context(), instance.test_request_context("/"):
        assert _activity(observer, _pid()) == IN_TRANSACTION
        _db.session.remove()


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT user_account.id FROM user_account WHERE user_account.id = %(id)s",
        "  select count(*) from audit_event",
        "SELECT 1",
    ],
)
def test_plain_reads_are_recognised(statement):
    assert only_reads(statement)


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT id FROM user_account WHERE id = %(id)s FOR UPDATE",
        "SELECT id FROM user_account FOR NO KEY UPDATE",
        "SELECT id FROM outbox_email FOR UPDATE SKIP LOCKED",
        "SELECT id FROM user_account FOR SHARE",
        "SELECT id FROM user_account FOR KEY SHARE",
        "SELECT pg_advisory_xact_lock_shared(%(namespace)s, %(week)s)",
        "SELECT id INTO TEMPORARY copied FROM user_account",
        "SELECT nextval('user_account_id_seq')",
        "SELECT setval(pg_get_serial_sequence('user_account', 'id'), 1)",
        "SELECT set_config('statement_timeout', '1s', true)",
        "INSERT INTO audit_event (action) VALUES (%(action)s)",
        "UPDATE user_account SET display_name = %(name)s",
        "DELETE FROM audit_event",
        "WITH gone AS (DELETE FROM audit_event RETURNING id) SELECT count(*) FROM gone",
        "SAVEPOINT sa_savepoint_1",
        "LOCK TABLE audit_event",
        "TRUNCATE audit_event",
    ],
)
def test_anything_more_than_a_read_begins_the_transaction(statement):
    assert not only_reads(statement)
