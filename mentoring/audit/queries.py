"""Reading the audit log: admins search it by person and date."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, select

from mentoring.audit.models import AuditEvent


def audit_search(
    *, actor_id: int | None = None, date_from: date | None = None, date_to: date | None = None
) -> Select:
    """Newest first; each entry's actor comes in the same query (joined), not one per row."""
    query = select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    if actor_id is not None:
        query = query.where(AuditEvent.actor_id == actor_id)
    if date_from is not None:
        query = query.where(AuditEvent.occurred_at >= datetime.combine(date_from, time(), UTC))
    if date_to is not None:
        end = datetime.combine(date_to + timedelta(days=1), time(), UTC)
        query = query.where(AuditEvent.occurred_at < end)
    return query
