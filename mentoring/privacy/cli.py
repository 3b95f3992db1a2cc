"""`flask retention purge`: delete what has been kept long enough. Run it daily from cron."""

from __future__ import annotations

import click
from flask import Flask


def register(app: Flask) -> None:
    @app.cli.group("retention")
    def retention_group() -> None:
        """Retention of closed relationships' text and of the audit log."""

    @retention_group.command("purge")
    def retention_purge_command() -> None:
        """Delete everything older than its retention period (see README, 'Retention')."""
        from mentoring.core import unit_of_work
        from mentoring.privacy.services import retention_purge

        report = retention_purge()
        unit_of_work.commit()
        for item in report:
            click.echo(
                f"{item['rule']}: {item['count']} purged "
                f"(kept {item['months']} months, older than {item['cutoff']:%Y-%m-%d})"
            )
