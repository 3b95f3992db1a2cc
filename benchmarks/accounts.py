"""Which synthetic people the benchmark signs in as, read from the benchmark database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, text

DOCTORS_WITH_A_MENTOR = text(
    "SELECT u.email FROM mentoring_relationship r JOIN user_account u ON u.id = r.mentee_id"
    " WHERE r.status = 'active' AND r.model IS NOT NULL ORDER BY u.id LIMIT :n"
)
MENTORS_WITH_A_MENTEE = text(
    "SELECT u.email, MIN(r.id) FROM mentoring_relationship r"
    " JOIN user_account u ON u.id = r.mentor_id"
    " WHERE r.status = 'active' AND r.model IS NOT NULL"
    " GROUP BY u.id, u.email ORDER BY u.id LIMIT :n"
)
COORDINATORS = text(
    "SELECT u.email FROM user_account u JOIN role_grant g ON g.user_id = u.id"
    " WHERE g.role = 'coordinator' ORDER BY u.id"
)
# Doctors who have not checked in this week: each can check in once, so each is used once.
NOT_CHECKED_IN = text(
    "SELECT u.email FROM user_account u JOIN role_grant g ON g.user_id = u.id"
    " WHERE g.role = 'doctor' AND NOT EXISTS (SELECT 1 FROM wellbeing_check_in_receipt c"
    "  WHERE c.user_id = u.id AND c.iso_year = :year AND c.iso_week = :week)"
    " ORDER BY u.id DESC LIMIT :n"
)
USER_COUNT = text("SELECT COUNT(*) FROM user_account")


@dataclass
class Accounts:
    doctors: list[str]
    mentors: list[tuple[str, str]]  # (email, an active relationship of theirs)
    coordinators: list[str]
    check_in_doctors: list[str]


def user_count(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(USER_COUNT)
    except Exception:  # noqa: BLE001 - no schema yet means no users
        return 0
    finally:
        engine.dispose()


def accounts_for(url: str, *, connections: int, check_ins: int, timezone: str) -> Accounts:
    year, week, _ = datetime.now(ZoneInfo(timezone)).isocalendar()
    engine = create_engine(url)
    with engine.connect() as connection:
        accounts = Accounts(
            doctors=list(connection.scalars(DOCTORS_WITH_A_MENTOR, {"n": connections})),
            mentors=[
                tuple(row) for row in connection.execute(MENTORS_WITH_A_MENTEE, {"n": connections})
            ],
            coordinators=list(connection.scalars(COORDINATORS)),
            check_in_doctors=list(
                connection.scalars(NOT_CHECKED_IN, {"year": year, "week": week, "n": check_ins})
            ),
        )
    engine.dispose()
    return accounts


def forget_bench_check_ins(url: str) -> int:
    """Remove what earlier benchmark runs' check-ins wrote: every receipt of this ISO week and every
    pending (not yet released) check-in. Synthetic data writes neither (its check-ins are released
    ones, without receipts), so these rows are the benchmark's own; without this, each run would
    use up doctors who can still check in this week, and a week left pending would be closed by the
    next run's first check-in. Returns how many receipts were removed."""
    engine = create_engine(url)
    year, week, _ = datetime.now(ZoneInfo("Europe/London")).isocalendar()
    with engine.begin() as connection:
        removed = connection.execute(
            text("DELETE FROM wellbeing_check_in_receipt WHERE iso_year = :y AND iso_week = :w"),
            {"y": year, "w": week},
        ).rowcount
        connection.execute(text("DELETE FROM wellbeing_check_in_pending"))
    engine.dispose()
    return removed


def signed_in_cookies(app, emails: list[str]) -> dict[str, dict[str, str]]:
    """The session cookie each of these people would have after signing in, made by the app's own
    `start_session` and signed with its key, as the test suite signs people in: each is a real
    signed session for a real account, without the password's deliberately slow hash (argon2,
    about 0.3 s each here). Used for the check-in doctors, who each check in once, so there are
    thousands of them; the pages' other visitors sign in through the sign-in form."""
    from mentoring.auth.models import User
    from mentoring.auth.session_policy import start_session
    from mentoring.extensions import db

    serializer = app.session_interface.get_signing_serializer(app)
    name = app.config["SESSION_COOKIE_NAME"]
    cookies = {}
    with app.app_context():
        people = db.session.scalars(db.select(User).where(User.email.in_(emails))).all()
        for person in people:
            with app.test_request_context("/auth/login", method="POST"):
                from flask import session

                start_session(person)
                cookies[person.email] = {name: serializer.dumps(dict(session))}
    return cookies
