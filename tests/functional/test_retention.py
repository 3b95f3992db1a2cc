"""`flask retention purge`: the audit log and other domains' text are kept only as configured."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from mentoring.audit.models import AuditEvent
from mentoring.privacy import registry
from mentoring.privacy.services import months_before


def add_event(db, *, days_ago: int, action: str = "sign_in.succeeded") -> None:
    db.session.execute(
        insert(AuditEvent).values(
            occurred_at=datetime.now(UTC) - timedelta(days=days_ago), actor_id=1, action=action
        )
    )
    db.session.commit()


def test_purge_removes_audit_entries_older_than_the_retention_period(app, db):
    add_event(db, days_ago=800, action="old.one")  # over 24 months
    add_event(db, days_ago=700, action="recent.one")  # under 24 months
    result = app.test_cli_runner().invoke(args=["retention", "purge"])
    assert result.exit_code == 0, result.output
    assert "audit log: 1 purged (kept 24 months" in result.output
    db.session.expire_all()
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["recent.one", "retention.purged"]
    assert (
        db.session.scalar(select(AuditEvent.detail).where(AuditEvent.action == "retention.purged"))
        == "audit log: 1; withdrawn requests' words: 0; closed relationships' text: 0"
    )


def test_the_retention_period_is_configuration(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "AUDIT_LOG_RETENTION_MONTHS", 1)
    add_event(db, days_ago=40)
    add_event(db, days_ago=10)
    app.test_cli_runner().invoke(args=["retention", "purge"])
    db.session.expire_all()
    assert len(db.session.scalars(select(AuditEvent)).all()) == 2  # the recent one and the purge


def test_a_domain_registers_its_own_rule_with_its_own_setting(app, db, monkeypatch):
    monkeypatch.setattr(registry, "RETENTION_RULES", list(registry.RETENTION_RULES))
    registry.load_providers()
    cutoffs = []

    @registry.retention_rule("closed relationships' text", "CLOSED_RELATIONSHIP_RETENTION_MONTHS")
    def _purge(cutoff):
        cutoffs.append(cutoff)
        return 3

    result = app.test_cli_runner().invoke(args=["retention", "purge"])
    assert "closed relationships' text: 3 purged (kept 12 months" in result.output
    assert datetime.now(UTC) - cutoffs[0] > timedelta(days=364)


def test_months_before_keeps_the_day_or_takes_the_months_last():
    assert months_before(datetime(2026, 3, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 24) == datetime(2024, 1, 15, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 1) == datetime(2025, 12, 15, tzinfo=UTC)
