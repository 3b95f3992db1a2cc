"""One commit per use case: services flush, the caller commits here, then queued emails go out.

Work that cannot be rolled back (removing a stored file) is queued with `after_commit` and runs
only once the commit has succeeded, like the emails.
"""

from collections.abc import Callable

from flask import g

from mentoring import outbox
from mentoring.extensions import db


def after_commit(action: Callable[[], None]) -> None:
    g.setdefault("after_commit", []).append(action)


def _discard() -> None:
    outbox.discard_queued()
    g.pop("after_commit", None)


def commit() -> None:
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        _discard()
        raise
    try:
        outbox.send_queued()
    finally:
        # Committed is committed: a mail server that is down must not leave removed rows' files.
        for action in g.pop("after_commit", []):
            action()


def rollback() -> None:
    db.session.rollback()
    _discard()
