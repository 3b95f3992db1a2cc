"""Pooled database connections: checked before use only when they have been idle a while.

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

import time

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

_LAST_USED = "mentoring_last_used"


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
