"""`flask --app mentoring synthetic-data --scale S`: a synthetic scheme for benchmarks."""

from __future__ import annotations

import secrets

import click
from flask import Flask, current_app

from mentoring.synthetic.plan import SYNTHETIC_DOMAIN


def register(app: Flask) -> None:
    @app.cli.command("synthetic-data")
    @click.option(
        "--scale",
        type=click.FloatRange(0.0001, 10),
        default=0.01,
        show_default=True,
        help="1 is a national scheme: 60,000 doctors, 1,000,000 check-ins.",
    )
    @click.option("--seed", type=int, default=6, show_default=True)
    @click.option(
        "--password",
        envvar="SYNTHETIC_PASSWORD",
        help="Password for every synthetic account (random and printed if not given).",
    )
    @click.option(
        "--totp-secret",
        envvar="SYNTHETIC_TOTP_SECRET",
        help="Base32 authenticator secret of the synthetic coordinators and admin.",
    )
    @click.option(
        "--force",
        is_flag=True,
        help="Add synthetic data to a database that already holds accounts.",
    )
    def synthetic_data_command(scale, seed, password, totp_secret, force) -> None:
        """Fill the database with a synthetic scheme (never in production)."""
        import pyotp

        from mentoring.core import unit_of_work
        from mentoring.directory.queries import local_now
        from mentoring.synthetic.build import synthetic_data_create
        from mentoring.synthetic.people import has_accounts
        from mentoring.synthetic.writer import vacuum_analyze

        if current_app.config["ENV_NAME"] == "production":
            raise click.ClickException(
                "Synthetic data is never loaded into a production database (MENTORING_ENV is "
                "production)."
            )
        if has_accounts() and not force:
            raise click.ClickException(
                "This database already holds accounts, so no synthetic data was loaded. Point "
                "DATABASE_URL at an empty database, or add --force to load alongside them."
            )
        password = password or secrets.token_urlsafe(12)
        totp_secret = totp_secret or pyotp.random_base32()
        counts = synthetic_data_create(
            scale=scale,
            seed=seed,
            password=password,
            totp_secret=totp_secret,
            today=local_now().date(),
            progress=click.echo,
        )
        unit_of_work.commit()
        click.echo("Updating planner statistics (VACUUM ANALYZE)")
        vacuum_analyze()
        for table, count in sorted(counts.items()):
            click.echo(f"{count:>10,}  {table}")
        click.echo(f"Accounts: doctor-<id>@{SYNTHETIC_DOMAIN}, coordinator-<id>@{SYNTHETIC_DOMAIN}")
        click.echo(f"Password: {password}")
        click.echo(f"Coordinators' authenticator secret: {totp_secret}")
