"""Pooled database connections: checked before use only when they have been idle a while, and
(PostgreSQL, during a request) in a transaction only from their first write.

SQLAlchemy's `pool_pre_ping` sends a statement on every checkout, so every request that touches the
database paid one more round trip to it before its own first statement. Here the pool pings a
connection only when it comes back into use after `seconds` idle (or after it was last pinged):
under load, connections are always in use and never pinged; after a quiet spell, or after the
database restarted (when every connection would be idle or broken), each is pinged before a
request gets it, and one found closed is replaced before the request sees it (SQLAlchemy's pool
does that when a checkout listener raises `DisconnectionError`). A connection broken within
`seconds` of its last use still fails its request, as it would if the database went away between
the ping and the request's statement.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from functools import lru_cache

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

_LAST_USED = "mentoring_last_used"
_READS_OUTSIDE_TRANSACTION = "mentoring_reads_outside_transaction"

# An execution option for a statement that is all its unit of work writes, with its commit right
# after it (an audit entry written and committed at once): when nothing has been written before it,
# it needs no transaction of its own, since one statement is atomic by itself.
WRITES_ALONE = "writes_alone"


def ping_when_idle(engine: Engine, seconds: float) -> None:
    """Ping `engine`'s connections on checkout when unused for `seconds` or more."""
    dialect = engine.dialect

    def returned(_dbapi_connection, record) -> None:
        record.info[_LAST_USED] = time.monotonic()

    def taken(dbapi_connection, record, _proxy) -> None:
        # A new connection (nothing recorded yet: `info` empties when a connection is replaced)
        # has just been opened, so there is nothing to check.
        last_used = record.info.get(_LAST_USED)
        if last_used is None or time.monotonic() - last_used < seconds:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                raise exc.DisconnectionError() from error  # the pool opens a new connection
            raise
        record.info[_LAST_USED] = time.monotonic()

    event.listen(engine, "checkin", returned)
    event.listen(engine, "checkout", taken)


# A statement that only reads: a SELECT that takes no row lock, no advisory lock (held until its
# transaction ends), creates nothing (SELECT ... INTO) and moves no sequence or setting. Anything
# else, or anything this does not recognise, begins the transaction first.
_STARTS_AS_READ = re.compile(r"\s*SELECT\b", re.IGNORECASE)
_MORE_THAN_A_READ = re.compile(
    r"\bFOR\s+(?:UPDATE|SHARE|NO\s+KEY|KEY\s+SHARE)\b|\bINTO\b|pg_advisory|nextval|setval"
    r"|set_config",
    re.IGNORECASE,
)


@lru_cache(maxsize=2048)
def only_reads(statement: str) -> bool:
    """Whether `statement` (SQL as sent to the database) reads and does nothing else."""
    return bool(_STARTS_AS_READ.match(statement)) and not _MORE_THAN_A_READ.search(statement)


def transaction_from_first_write(engine: Engine, in_scope: Callable[[], bool]) -> None:
    """On PostgreSQL, connections checked out while `in_scope()` (during a request) read outside any
    transaction, and begin one just before their first statement that is not `only_reads`: from
    there on, everything until the commit or rollback is one transaction, as before.

    A page that only reads then sends no `BEGIN` and no `ROLLBACK`, two of the home page's three
    round trips. What each read sees is unchanged: at PostgreSQL's READ COMMITTED level (the
    app's) each statement already sees the database as of its own start, in a transaction or
    not, and a plain read takes no lock that outlives it. Every write, and everything after it,
    is in the transaction, so a rollback still undoes all of a request's writes. A statement
    marked `WRITES_ALONE` (one write committed at once) runs as its own transaction when nothing
    was written before it. A connection asked for AUTOCOMMIT by its caller (VACUUM, CLUSTER) is
    left as asked. SQLite is left as it is: it has no round trips to save.
    """
    if engine.dialect.name != "postgresql":
        return
    listeners = _FromFirstWrite(in_scope)
    event.listen(engine, "checkout", listeners.taken)
    event.listen(engine, "checkin", listeners.returned)
    event.listen(engine, "before_cursor_execute", listeners.before_statement)


class _FromFirstWrite:
    """The pool and statement listeners of `transaction_from_first_write`."""

    def __init__(self, in_scope: Callable[[], bool]) -> None:
        self.in_scope = in_scope

    def taken(self, dbapi_connection, record, _proxy) -> None:
        if self.in_scope():
            dbapi_connection.autocommit = True  # no BEGIN before the first read
            record.info[_READS_OUTSIDE_TRANSACTION] = True

    def returned(self, dbapi_connection, record) -> None:
        # Back as the pool gives it outside requests (rolled back already: no transaction open).
        if not record.info.pop(_READS_OUTSIDE_TRANSACTION, False):
            return
        if dbapi_connection is not None and not dbapi_connection.closed:
            dbapi_connection.autocommit = False

    def before_statement(self, connection, cursor, statement, _parameters, context, _many) -> None:
        dbapi_connection = cursor.connection
        if not dbapi_connection.autocommit:
            return  # in its transaction already (or a connection from outside a request)
        if not connection.connection.info.get(_READS_OUTSIDE_TRANSACTION):
            return  # AUTOCOMMIT asked for by the caller, outside a request
        options = context.execution_options if context is not None else {}
        if options.get("isolation_level") == "AUTOCOMMIT" or options.get(WRITES_ALONE):
            return
        if not only_reads(statement):
            dbapi_connection.autocommit = False  # psycopg sends BEGIN before this statement
