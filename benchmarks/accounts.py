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
