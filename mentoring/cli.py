"""`flask --app mentoring ...` commands for operators."""

from __future__ import annotations

import click
from flask import Flask, current_app


def register(app: Flask) -> None:
    from mentoring.privacy.cli import register as register_retention_commands
    from mentoring.synthetic.cli import register as register_synthetic_commands

    _register_note_commands(app)
    _register_matching_commands(app)
    _register_outbox_commands(app)
    register_retention_commands(app)
    register_synthetic_commands(app)

    @app.cli.command("demo-data")
    @click.option("--password", envvar="DEMO_PASSWORD", help="Password for every demo account.")
    @click.option(
        "--if-empty",
        is_flag=True,
        help="Create nothing in a database that already holds accounts other than the demo ones.",
    )
    def demo_data_command(password: str | None, if_empty: bool) -> None:
        """Create a small example scheme and print its demo accounts."""
        from mentoring.core import unit_of_work
        from mentoring.demo import (
            demo_accounts_reset_password,
            demo_data_create,
            has_accounts,
            has_demo_accounts,
        )

        if current_app.config["ENV_NAME"] == "production":
            raise click.ClickException("Demo data is never loaded into a production database.")
        if has_demo_accounts():
            password = demo_accounts_reset_password(password=password)
            click.echo("Demo data is already loaded; the demo accounts' password has been set.")
        elif if_empty and has_accounts():
            click.echo("The database already holds accounts; no demo data loaded.")
            return
        else:
            password = demo_data_create(password=password)
        unit_of_work.commit()
        _print_demo_accounts(password)

    @app.cli.group("checkins")
    def checkins_group() -> None:
        """Anonymous well-being check-ins."""

    @checkins_group.command("close-weeks")
    def checkins_close_weeks_command() -> None:
        """Release the check-ins of every week that is over (run early each Monday, or hourly)."""
        click.echo(_check_in_weeks_closed())

    @checkins_group.command("scramble")
    def checkins_scramble_command() -> None:
        """Close finished weeks, then rewrite stored check-ins in random-key order (nightly)."""
        from mentoring.checkins.services import check_in_storage_scramble

        click.echo(_check_in_weeks_closed())
        click.echo(check_in_storage_scramble())


def _register_outbox_commands(app: Flask) -> None:
    @app.cli.group("outbox")
    def outbox_group() -> None:
        """Emails committed for sending."""

    @outbox_group.command("send")
    def outbox_send_command() -> None:
        """Send emails the mail server refused earlier (run from cron every few minutes)."""
        from mentoring.outbox import outbox_send

        result = outbox_send()
        line = f"Sent {result.sent}; {result.waiting} still waiting"
        if result.oldest_waiting:
            line += f", the oldest since {result.oldest_waiting:%Y-%m-%d %H:%M} UTC"
        click.echo(line + ".")
        if result.waiting:
            raise SystemExit(1)  # cron mails the operator: the mail server is still refusing


def _check_in_weeks_closed() -> str:
    from mentoring.checkins.services import check_in_weeks_close
    from mentoring.core import unit_of_work
    from mentoring.directory.queries import local_now

    released = check_in_weeks_close(today=local_now().date())
    unit_of_work.commit()
    return f"{released} check-ins released from weeks that are over."


def _register_matching_commands(app: Flask) -> None:
    matching = click.Group("matching", help="Requests and offers: housekeeping for cron.")

    @matching.command("expire-offers")
    def expire_offers_command() -> None:
        """End offers no mentor answered in time; the doctors are asked to choose again."""
        from mentoring.core import unit_of_work
        from mentoring.requests_.services import offers_expire_due

        with current_app.test_request_context(base_url=current_app.config["SERVICE_URL"]):
            expired = offers_expire_due()
            unit_of_work.commit()
        click.echo(f"{expired} offer(s) expired.")

    app.cli.add_command(matching)

    sessions = click.Group("sessions", help="Mentoring sessions: housekeeping for cron.")

    @sessions.command("send-reminders")
    def send_reminders_command() -> None:
        """Email both people a day before their next session (each session once). Run hourly."""
        from mentoring.core import unit_of_work
        from mentoring.relationships.services import reminders_send_due

        with current_app.test_request_context(base_url=current_app.config["SERVICE_URL"]):
            sent = reminders_send_due()
            unit_of_work.commit()
        click.echo(f"{sent} reminder(s) sent.")

    app.cli.add_command(sessions)


def _register_note_commands(app: Flask) -> None:
    notes = click.Group("notes", help="Encrypted notes: key rotation.")

    @notes.command("rotate-key")
    @click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 10_000))
    def rotate_key_command(batch_size: int) -> None:
        """Re-seal every note under the newest key in NOTE_ENCRYPTION_KEYS, in batches.

        Put the new key first in NOTE_ENCRYPTION_KEYS, keep the old ones after it, run this, then
        remove the old keys. It can be stopped and run again: finished rows are skipped.
        """
        from mentoring.notes_rotation import rotate_note_keys

        total = rotate_note_keys(batch_size=batch_size, progress=click.echo)
        click.echo(f"Re-sealed {total} value(s) under the newest key.")

    app.cli.add_command(notes)


def _print_demo_accounts(password: str) -> None:
    from mentoring.demo import DEMO_ACCOUNTS

    click.echo("")
    click.echo("Demo accounts (all share one password):")
    for email, _name, roles in DEMO_ACCOUNTS:
        click.echo(f"  {email:<26} {', '.join(role.label for role in roles)}")
    click.echo(f"  password: {password}")
    click.echo("")
