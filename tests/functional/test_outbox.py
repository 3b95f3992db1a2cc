"""Emails are committed with the change they tell of, and a mail outage delays them, never loses
them or turns a saved change into an error page."""

from __future__ import annotations

from sqlalchemy import func, select

from mentoring.extensions import db
from mentoring.outbox import OutgoingEmail
from tests.factories import FACTORY_PASSWORD, make_user


class MailServerDown:
    """A mail server that refuses every message, as SMTP does during an outage."""

    def __init__(self, **_kwargs):
        pass

    def send_messages(self, _messages):
        raise ConnectionRefusedError("mail server unreachable")


def waiting() -> list[tuple[str, int]]:
    db.session.expire_all()
    return [
        tuple(row)
        for row in db.session.execute(
            select(OutgoingEmail.recipient, OutgoingEmail.failed_attempts).order_by(
                OutgoingEmail.id
            )
        )
    ]


def ask_for_reset(client, email: str):
    return client.post("/auth/forgot-password", data={"email": email})


def test_a_sent_email_leaves_nothing_waiting(app, client, db, outbox):
    make_user(email="ada@nhs.net")
    db.session.commit()
    ask_for_reset(client, "ada@nhs.net")
    assert [message.to for message in outbox] == [["ada@nhs.net"]]
    assert waiting() == []


def test_an_outage_keeps_the_email_and_the_command_sends_it_later(
    app, client, db, outbox, monkeypatch
):
    make_user(email="ada@nhs.net")
    db.session.commit()
    monkeypatch.setattr(app.extensions["mailman"], "backend", MailServerDown)
    response = ask_for_reset(client, "ada@nhs.net")
    assert response.status_code in (200, 302)  # the page the person expects, not an error
    assert waiting() == [("ada@nhs.net", 1)]

    runner = app.test_cli_runner()
    still_down = runner.invoke(args=["outbox", "send"])
    assert still_down.exit_code == 1  # cron tells the operator
    assert "Sent 0; 1 still waiting, the oldest since" in still_down.output
    assert waiting() == [("ada@nhs.net", 2)]

    monkeypatch.undo()
    back = runner.invoke(args=["outbox", "send"])
    assert back.exit_code == 0 and "Sent 1; 0 still waiting." in back.output
    assert [message.to for message in outbox] == [["ada@nhs.net"]]
    assert "reset" in outbox[0].body.lower()
    assert waiting() == []
    assert runner.invoke(args=["outbox", "send"]).output.strip() == "Sent 0; 0 still waiting."


def test_a_change_that_is_refused_queues_nothing(app, login_as, db, outbox):
    doctor = login_as("doctor")
    response = doctor.post(
        "/account/delete", data={"understood": "y", "password": "not the password"}
    )
    assert response.status_code == 400
    assert outbox == [] and waiting() == []


def test_emails_waiting_for_someone_who_leaves_are_shown_to_them_then_destroyed(
    app, db, outbox, monkeypatch
):
    leaving = make_user(email="lee@nhs.net")
    db.session.commit()
    monkeypatch.setattr(app.extensions["mailman"], "backend", MailServerDown)
    ask_for_reset(app.test_client(), "lee@nhs.net")
    monkeypatch.undo()
    assert waiting() == [("lee@nhs.net", 1)]

    client = app.test_client()
    client.post("/auth/login", data={"email": "lee@nhs.net", "password": FACTORY_PASSWORD})
    export = client.get("/account/my-data").get_data(as_text=True)
    assert "Emails to you that the mail server has not taken yet" in export
    assert "reset" in export.lower()

    client.post("/account/delete", data={"understood": "y", "password": FACTORY_PASSWORD})
    assert db.session.scalar(select(func.count()).select_from(OutgoingEmail)) == 0
    assert db.session.get(type(leaving), leaving.id).email != "lee@nhs.net"
