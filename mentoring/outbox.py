"""The one way the scheme sends email.

Services queue messages with `queue_email`; `core.unit_of_work.commit` sends them only after the
database commit succeeds, so nobody is told of something that was rolled back. Development prints
messages to the console, tests keep them in memory (`mail.outbox`), production speaks SMTP: all
through Flask-Mailman's backends, chosen by `MAIL_BACKEND`. Emails carry nothing confidential:
they say that something happened and link to the service.
"""

from __future__ import annotations

from flask import current_app, g, render_template
from flask_mailman import EmailMessage


def queue_email(*, to: str, subject: str, template: str, **context: object) -> None:
    body = render_template(
        f"email/{template}.txt", service_name=current_app.config["SERVICE_NAME"], **context
    )
    message = EmailMessage(
        subject=f"{current_app.config['SERVICE_NAME']}: {subject}", body=body, to=[to]
    )
    g.setdefault("queued_emails", []).append(message)


def send_queued() -> None:
    for message in g.pop("queued_emails", []):
        message.send()


def discard_queued() -> None:
    g.pop("queued_emails", None)
