"""The demo scheme has verified and unverified mentors with varied profiles."""

from __future__ import annotations

from sqlalchemy import select

from mentoring.auth.models import User
from mentoring.mentors.queries import available_mentors
from mentoring.training.models import TrainingRecord


def test_demo_data_has_verified_and_unverified_trained_mentors(app, db):
    result = app.test_cli_runner().invoke(args=["demo-data", "--password", "demo-pass-phrase-ok"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    statuses = {
        (record.mentor.email, record.status)
        for record in db.session.scalars(select(TrainingRecord))
    }
    assert ("mentor@demo.test", "awaiting") in statuses
    assert ("grace.chen@demo.test", "verified") in statuses
    assert ("kwame.mensah@demo.test", "returned") in statuses
    available = {user.email for user, _profile in db.session.execute(available_mentors())}
    # The demo mentor waits for the demo coordinator; Owen is paused; Kwame's training was returned.
    # The four mentors of the requests demo are available too, so doctors get a real shortlist.
    assert available == {
        "grace.chen@demo.test",
        "hannah.lewis@demo.test",
        "aisha.rahman@demo.test",
        "ben.carter@demo.test",
        "chloe.martin@demo.test",
        "dev.sharma@demo.test",
    }
    emails = set(db.session.scalars(select(User.email)))
    assert "mentor@demo.test" in emails
