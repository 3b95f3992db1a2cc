"""Health check, and the demo scheme `make run` loads."""

from __future__ import annotations

from sqlalchemy import func, select

from mentoring.auth.models import User
from mentoring.demo import DEMO_ACCOUNTS
from mentoring.permissions import Role


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_says_when_the_database_is_unreachable(tmp_path):
    from mentoring import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "degraded", "database": "unavailable"}


def test_demo_data_creates_the_four_demo_accounts_that_can_sign_in(app, db, client):
    result = app.test_cli_runner().invoke(args=["demo-data", "--password", "demo-pass-phrase-ok"])
    assert result.exit_code == 0, result.output
    for email, _name, _roles in DEMO_ACCOUNTS:
        assert email in result.output
    assert "password: demo-pass-phrase-ok" in result.output

    roles = {
        user.email: user.roles
        for user in db.session.scalars(select(User).where(User.email.like("%@demo.test")))
    }
    assert roles["doctor@demo.test"] == {Role.DOCTOR}
    assert Role.MENTOR in roles["mentor@demo.test"]
    assert roles["coordinator@demo.test"] == {Role.COORDINATOR}
    assert roles["admin@demo.test"] == {Role.ADMIN}
    assert len(roles) > 4  # other doctors and mentors too

    for email, *_ in DEMO_ACCOUNTS:
        response = client.post(
            "/auth/login", data={"email": email, "password": "demo-pass-phrase-ok"}
        )
        assert response.status_code == 302, email
        client.post("/auth/logout")


def test_demo_data_again_sets_a_new_password_and_duplicates_nothing(app, db):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo-data", "--password", "first-pass-phrase-x"])
    count = db.session.scalar(select(func.count()).select_from(User))
    result = runner.invoke(args=["demo-data", "--if-empty"])
    assert result.exit_code == 0
    assert "already loaded" in result.output
    assert "password: " in result.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(User)) == count


def test_demo_data_if_empty_leaves_a_real_database_alone(app, db):
    from tests.factories import make_user

    make_user(email="real.person@nhs.net")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["demo-data", "--if-empty"])
    assert result.exit_code == 0
    assert "no demo data loaded" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
