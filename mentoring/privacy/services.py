"""Data rights and retention use cases, built on the registries every domain fills."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import func, select

from mentoring.audit.services import AuditAction, audit_record
from mentoring.auth.models import RoleGrant, User
from mentoring.auth.passwords import verify_password
from mentoring.core.errors import ServiceError
from mentoring.extensions import db
from mentoring.permissions import Role
from mentoring.privacy import registry

ERASED_NAME = "Deleted account"


def personal_data_export(*, user: User) -> list[dict]:
    """Every registered domain's rows about `user`: [{"key", "title", "rows"}], in order."""
    registry.load_providers()
    return [
        {"key": source.key, "title": source.title, "rows": source.collect(user)}
        for source in registry.EXPORTERS
    ]


def erased_email(user_id: int) -> str:
    return f"deleted-{user_id}@deleted.invalid"


def is_erased(user: User) -> bool:
    return user.email == erased_email(user.id)


def _other_active_admins(user: User) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(RoleGrant)
        .join(User, User.id == RoleGrant.user_id)
        .where(
            RoleGrant.role == Role.ADMIN.value,
            User.id != user.id,
            User.is_disabled.is_(False),
            User.email_confirmed_at.is_not(None),
        )
    )


def account_delete(*, user: User, password: str) -> None:
    """Erase a person at their own request.

    Every domain's eraser runs first (private text destroyed, open things closed kindly); then the
    account row is emptied rather than removed, so its number stays taken: audit entries keep that
    number, and nobody new can ever be mistaken for the person who left.
    """
    if not verify_password(user.password_hash, password):
        raise ServiceError("Your password is not right", field="password")
    if user.has_role(Role.ADMIN) and _other_active_admins(user) == 0:
        raise ServiceError(
            "You are the only administrator. Make someone else an administrator first",
            field="password",
        )
    registry.load_providers()
    # Disabled first, so no shortlist refreshed while the domains erase can offer this person.
    user.is_disabled = True
    db.session.flush()
    for source in registry.ERASERS:
        source.erase(user)
    user.email = erased_email(user.id)
    user.display_name = ERASED_NAME
    # Not a hash of anything: no password opens it.
    user.password_hash = "erased:" + secrets.token_hex(16)
    user.email_confirmed_at = None
    user.role_grants.clear()
    user.rotate_session_token()
    audit_record(
        action=AuditAction.ACCOUNT_DELETED,
        actor_id=user.id,
        record_type="user_account",
        record_id=user.id,
        detail="at the person's request",
    )
    db.session.flush()


def months_before(moment: datetime, months: int) -> datetime:
    """The same day `months` calendar months earlier (the month's last day if it is shorter)."""
    year, month = divmod(moment.year * 12 + (moment.month - 1) - months, 12)
    month += 1
    day = moment.day
    while True:
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            day -= 1


def retention_purge(*, now: datetime | None = None) -> list[dict]:
    """Run every retention rule: what was due, per rule. Audited; the caller commits."""
    registry.load_providers()
    now = now or datetime.now(UTC)
    report = []
    for rule in registry.RETENTION_RULES:
        months = current_app.config[rule.months_setting]
        cutoff = months_before(now, months)
        count = rule.purge(cutoff)
        report.append({"rule": rule.name, "months": months, "cutoff": cutoff, "count": count})
    audit_record(
        action=AuditAction.RETENTION_PURGED,
        actor_id=None,
        detail="; ".join(f"{item['rule']}: {item['count']}" for item in report),
    )
    db.session.flush()
    return report
