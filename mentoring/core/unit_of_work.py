"""One commit per use case: services flush, the caller commits here, then queued emails go out."""

from mentoring import outbox
from mentoring.extensions import db


def commit() -> None:
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        outbox.discard_queued()
        raise
    outbox.send_queued()


def rollback() -> None:
    db.session.rollback()
    outbox.discard_queued()
