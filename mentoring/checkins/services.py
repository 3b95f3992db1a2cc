"""Recording a check-in without recording who made it.

The submit path writes a receipt (person, week) and an anonymous check-in in one transaction and
logs nothing. On PostgreSQL every row carries the id of the transaction that wrote it (`xmin`),
which the receipt and the check-in would share; so the same transaction rewrites every check-in of
that week, giving them all one `xmin`. The order rows sit in on disk is dealt with by
`check_in_storage_scramble` (the `flask checkins scramble` command).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask import current_app
from sqlalchemy import exists, select, text, update
from sqlalchemy.exc import IntegrityError

from mentoring.auth.models import User
from mentoring.checkins import who5
from mentoring.checkins.models import CheckIn, CheckInReceipt, CheckInTopic
from mentoring.core.errors import ServiceError
from mentoring.core.vocabulary import (
    CAREER_STAGE_GROUPS,
    NOT_SAID,
    SPECIALTY_GROUPS,
    TOPICS,
    values,
)
from mentoring.extensions import db

ALREADY_CHECKED_IN = (
    "You have already checked in this week. Thank you: you can check in again from Monday."
)


class AlreadyCheckedIn(ServiceError):
    """One check-in per person per ISO week."""

    def __init__(self) -> None:
        super().__init__(ALREADY_CHECKED_IN)


def iso_week_of(day: date) -> tuple[int, int]:
    year, week, _weekday = day.isocalendar()
    return year, week


def has_checked_in(*, user: User, day: date) -> bool:
    year, week = iso_week_of(day)
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    CheckInReceipt.user_id == user.id,
                    CheckInReceipt.iso_year == year,
                    CheckInReceipt.iso_week == week,
                )
            )
        )
    )


def check_in_submit(
    *,
    user: User,
    day: date,
    answers: list[int],
    topics: Iterable[str],
    career_stage_group: str,
    specialty_group: str,
    organisation: str,
) -> int:
    """Record this week's check-in for `user` and return its WHO-5 percentage score.

    The check-in row itself names nobody; the receipt only stops a second check-in this week.
    """
    topics = sorted(set(topics))
    _check_groups(career_stage_group, specialty_group, organisation, topics)
    try:
        raw = who5.raw_score(answers)
    except ValueError:
        raise ServiceError("Answer all five statements, each with one of the six answers") from None
    if has_checked_in(user=user, day=day):
        raise AlreadyCheckedIn()
    year, week = iso_week_of(day)
    db.session.add(CheckInReceipt(user_id=user.id, iso_year=year, iso_week=week))
    db.session.add(
        CheckIn(
            iso_year=year,
            iso_week=week,
            career_stage_group=career_stage_group,
            specialty_group=specialty_group,
            organisation=organisation,
            **{f"item_{n}": answer for n, answer in enumerate(answers, start=1)},
            raw_score=raw,
            topics=[CheckInTopic(topic=topic) for topic in topics],
        )
    )
    try:
        db.session.flush()
    except IntegrityError:
        # Two submissions at once: the receipt's key lets only one through. The caller rolls back.
        raise AlreadyCheckedIn() from None
    _blend_into_week(year, week)
    return who5.percentage(raw)


def _check_groups(stage: str, specialty: str, organisation: str, topics: list[str]) -> None:
    if stage not in {*values(CAREER_STAGE_GROUPS), NOT_SAID}:
        raise ServiceError(
            "Choose your career stage from the list shown", field="career_stage_group"
        )
    if specialty not in {*values(SPECIALTY_GROUPS), NOT_SAID}:
        raise ServiceError(
            "Choose your specialty group from the list shown", field="specialty_group"
        )
    if organisation not in {*current_app.config["ORGANISATIONS"], NOT_SAID}:
        raise ServiceError("Choose your organisation from the list shown", field="organisation")
    if set(topics) - set(values(TOPICS)):
        raise ServiceError("Choose only from the topics shown", field="topics")


# Namespace of the advisory lock that lets one check-in at a time rewrite its week (PostgreSQL).
_WEEK_LOCK_NAMESPACE = 5_0505


def _blend_into_week(year: int, week: int) -> None:
    """Rewrite every check-in of the week in this transaction, so none stands out by its writer.

    On PostgreSQL, check-ins of the same week take turns: two transactions rewriting the same rows
    at once could each lock some rows the other needs (a deadlock, which the benchmark met as
    failed check-ins). The lock is released at commit or rollback.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            text("SELECT pg_advisory_xact_lock(:namespace, :week)"),
            {"namespace": _WEEK_LOCK_NAMESPACE, "week": year * 100 + week},
        )
    in_week = (CheckIn.iso_year == year) & (CheckIn.iso_week == week)
    db.session.execute(
        update(CheckIn).where(in_week).values(iso_week=CheckIn.iso_week),
        execution_options={"synchronize_session": False},
    )
    db.session.execute(
        update(CheckInTopic)
        .where(CheckInTopic.check_in_id.in_(select(CheckIn.id).where(in_week)))
        .values(topic=CheckInTopic.topic),
        execution_options={"synchronize_session": False},
    )


SCRAMBLED_TABLES = (
    ("wellbeing_check_in", "pk_wellbeing_check_in"),
    ("wellbeing_check_in_topic", "pk_wellbeing_check_in_topic"),
)


def check_in_storage_scramble() -> str:
    """Store check-ins in the order of their random keys, with no trace of the order they came in.

    PostgreSQL keeps new rows roughly in insert order, and a dump lists them in that order. This
    rewrites every check-in in one transaction (one shared `xmin`), then rewrites the tables in
    random-key order (CLUSTER), which also drops the old row versions. SQLite tables without rowid
    are already stored in key order; VACUUM rebuilds the file so no freed page keeps old order.
    Runs outside the request's unit of work: CLUSTER and VACUUM take their own locks.
    """
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("UPDATE wellbeing_check_in SET iso_week = iso_week"))
            connection.execute(text("UPDATE wellbeing_check_in_topic SET topic = topic"))
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table, index in SCRAMBLED_TABLES:
                connection.execute(text(f"CLUSTER {table} USING {index}"))
                connection.execute(text(f"ANALYZE {table}"))
        return "Check-ins rewritten in random-key order (PostgreSQL CLUSTER)."
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM"))
    return "SQLite database rebuilt (VACUUM); check-in tables are stored in key order."
