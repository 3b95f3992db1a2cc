"""The one way the scheme sends email.

Services queue messages with `queue_email`. A queued message is a row of `outgoing_email`, written
in the same transaction as the change it tells someone about, so nobody is told of something that
was rolled back and nothing that was committed goes untold. After the commit,
`core.unit_of_work.commit` sends the request's messages and deletes each row once its message has
gone. If the mail server is down the person still sees their change succeed: the row stays, and
`flask outbox send` (run from cron) tries again. Development prints messages to the console, tests
keep them in memory (`mail.outbox`), production speaks SMTP: all through Flask-Mailman's backends,
chosen by `MAIL_BACKEND`. Emails carry nothing confidential: they say that something happened and
link to the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, g, render_template
from flask_mailman import EmailMessage
from sqlalchemy import BigInteger, Index, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column

from mentoring.auth.models import utcnow
from mentoring.extensions import db


class OutgoingEmail(db.Model):
    """A message committed for sending and not yet handed to the mail server."""

    __tablename__ = "outgoing_email"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(db.Integer, "sqlite"), primary_key=True
    )
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    failed_attempts: Mapped[int] = mapped_column(default=0)
    last_failed_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_outgoing_email_recipient", "recipient"),)

    def message(self) -> EmailMessage:
        return EmailMessage(subject=self.subject, body=self.body, to=[self.recipient])


def queue_email(*, to: str, subject: str, template: str, **context: object) -> None:
    body = render_template(
        f"email/{template}.txt", service_name=current_app.config["SERVICE_NAME"], **context
    )
    email = OutgoingEmail(
        recipient=to, subject=f"{current_app.config['SERVICE_NAME']}: {subject}", body=body
    )
    db.session.add(email)
    g.setdefault("queued_emails", []).append(email)


def _deliver(emails: list[OutgoingEmail]) -> int:
    """Hand each email to the mail server; delete the sent, count the refused. Returns sent."""
    sent = 0
    for email in emails:
        try:
            email.message().send()
        except Exception:  # any backend failure: the row stays for `flask outbox send`
            email.failed_attempts += 1
            email.last_failed_at = utcnow()
            current_app.logger.warning(
                "Email %s could not be sent; it waits for `flask outbox send`", email.id
            )
        else:
            db.session.delete(email)
            sent += 1
    return sent


def send_queued() -> None:
    """Send what this request committed. A mail failure never undoes or hides the change."""
    emails = g.pop("queued_emails", [])
    if not emails:
        return
    _deliver(emails)
    try:
        db.session.commit()
    except Exception:  # the rows stay as they were: at worst a message is sent twice
        db.session.rollback()
        current_app.logger.exception("Could not record which emails were sent")


def discard_queued() -> None:
    # Rolling back the transaction removed the rows; forget the objects.
    g.pop("queued_emails", None)


@dataclass(frozen=True)
class OutboxResult:
    sent: int
    waiting: int
    oldest_waiting: datetime | None


def outbox_send(*, batch_size: int = 100) -> OutboxResult:
    """Send every email still waiting, oldest first, committing after each batch.

    On PostgreSQL, rows another `outbox send` is working on are skipped, so two instances' cron
    jobs never send one message twice.
    """
    sent = 0
    last_id = 0
    while True:
        batch = db.session.scalars(
            select(OutgoingEmail)
            .where(OutgoingEmail.id > last_id)
            .order_by(OutgoingEmail.id)
            .limit(batch_size)
            .with_for_update(skip_locked=True)
        ).all()
        if not batch:
            break
        last_id = batch[-1].id
        sent += _deliver(batch)
        db.session.commit()
    waiting, oldest = db.session.execute(
        select(func.count(), func.min(OutgoingEmail.queued_at))
    ).one()
    return OutboxResult(sent=sent, waiting=waiting, oldest_waiting=oldest)
