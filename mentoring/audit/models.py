"""The audit log: an append-only record of who did what to which record, never the content."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentoring.auth.models import User, utcnow
from mentoring.extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(db.Integer, "sqlite"), primary_key=True
    )
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A plain number, not a foreign key: the trail must outlive the account it names.
    actor_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(64))
    record_type: Mapped[str | None] = mapped_column(String(64))
    record_id: Mapped[str | None] = mapped_column(String(64))
    # A short, non-confidential qualifier (a role name, a refused route), never a record's text.
    detail: Mapped[str | None] = mapped_column(String(200))

    actor: Mapped[User | None] = relationship(
        User,
        primaryjoin="foreign(AuditEvent.actor_id) == User.id",
        viewonly=True,
        lazy="joined",
    )

    __table_args__ = (
        Index("ix_audit_event_actor_time", "actor_id", "occurred_at"),
        Index("ix_audit_event_record", "record_type", "record_id", "occurred_at"),
        Index("ix_audit_event_time", "occurred_at"),
    )


class AuditLogIsAppendOnly(Exception):
    """Raised when code tries to change or delete an audit entry through the ORM."""


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(mapper, connection, target) -> None:
    raise AuditLogIsAppendOnly("audit entries cannot be changed")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(mapper, connection, target) -> None:
    raise AuditLogIsAppendOnly("audit entries cannot be deleted")
