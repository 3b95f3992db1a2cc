"""Recording a check-in without recording who made it.

The submit path writes a receipt (person, week) and the check-in in one transaction and logs
nothing. On PostgreSQL every row carries the id of the transaction that wrote it (`xmin`), which
the receipt and anything written with it share. So the check-in is not written as itself: it is
written as a `PendingCheckIn`, its content sealed (AES-GCM, the note keys) and padded to one fixed
size, so the row the receipt points to says nothing. When the ISO week is over,
`check_in_weeks_close` turns all of that week's pending check-ins into `CheckIn` rows in one
transaction, with new random keys, in the order of those keys, and deletes the pending rows: every
check-in of the week then has the same writer, which wrote no receipt. The cost of a submission
does not depend on how many came before it in the week; closing a week is done once.

A week, once closed, takes no more check-ins (one still on its way when the week closed, or sent
from an instance whose clock is behind, is refused and asked again, so it counts in the new week):
otherwise it would be released later on its own.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import NamedTuple

from flask import current_app
from sqlalchemy import (
    Integer,
    TextClause,
    bindparam,
    delete,
    exists,
    false,
    func,
    insert,
    or_,
    select,
    text,
    tuple_,
)

from mentoring.auth.models import User
from mentoring.checkins import who5
from mentoring.checkins.models import (
    CheckIn,
    CheckInReceipt,
    CheckInTopic,
    ClosedCheckInWeek,
    PendingCheckIn,
)
from mentoring.core.errors import ServiceError
from mentoring.core.vocabulary import (
    CAREER_STAGE_GROUPS,
    NOT_SAID,
    SPECIALTY_GROUPS,
    TOPICS,
    values,
)
from mentoring.directory.queries import directory_version_column
from mentoring.extensions import db

ALREADY_CHECKED_IN = (
    "You have already checked in this week. Thank you: you can check in again from Monday."
)


WEEK_JUST_CLOSED = (
    "This week's check-ins closed just as you sent yours. Please send it again: it will count in "
    "the new week."
)


class AlreadyCheckedIn(ServiceError):
    """One check-in per person per ISO week."""

    def __init__(self) -> None:
        super().__init__(ALREADY_CHECKED_IN)


class WeekClosed(ServiceError):
    """The week was closed (its check-ins released) while this check-in was on its way."""

    def __init__(self) -> None:
        super().__init__(WEEK_JUST_CLOSED)


def iso_week_of(day: date) -> tuple[int, int]:
    year, week, _weekday = day.isocalendar()
    return year, week


# A submission's statements, built once (values are bound at each execution), on the tables
# rather than the models: plain Core statements, without the ORM's work on each execution.
_RECEIPTS = CheckInReceipt.__table__.c
_PENDING = PendingCheckIn.__table__.c
_CLOSED = ClosedCheckInWeek.__table__.c
_YEAR, _WEEK = bindparam("iso_year"), bindparam("iso_week")

# Whether a week before this one still has pending check-ins: the earliest pending week, the first
# entry of the week index, compared with this week (false if nothing is pending). One index entry
# however many check-ins this week already holds: `EXISTS` on "week before this one" was planned as
# a scan of the table (a prepared statement's plan cannot know the week, and expects many rows
# to match), which read every pending check-in of the week to find none.
_WEEKS_DUE = func.coalesce(
    select(tuple_(_PENDING.iso_year, _PENDING.iso_week) < tuple_(_YEAR, _WEEK))
    .order_by(_PENDING.iso_year, _PENDING.iso_week)
    .limit(1)
    .scalar_subquery(),
    false(),
)

# With them, the directory's version (its one row): the result page shows the directory, so the
# page reads it in this round trip rather than one of its own; sent alike whatever is answered.
_STANDING = select(
    exists().where(
        _RECEIPTS.user_id == bindparam("user_id"),
        _RECEIPTS.iso_year == _YEAR,
        _RECEIPTS.iso_week == _WEEK,
    ),
    _WEEKS_DUE,
    directory_version_column(),
)


class Standing(NamedTuple):
    checked_in: bool  # this person has checked in this week
    weeks_due: bool  # a week before this one still has pending check-ins (is due to close)
    directory_version: object  # the directory's version, for `kept_directory(version_read=...)`
    week_joined: bool = False  # this transaction holds the week's shared lock (`_week_lock`)


_RECEIPT_COLUMNS = ("user_id", "iso_year", "iso_week")


@cache
def _receipt_insert() -> TextClause:
    """The receipt's `INSERT ... ON CONFLICT DO NOTHING`, as text with typed values.

    SQLAlchemy compiles an insert with `on_conflict_do_nothing()` again at every execution (the
    dialects' `Insert` is not cached); this text is compiled once, and sends what it sent, on both
    databases (tests/unit/checkins/test_statements.py compares the two). Built on first use, once
    the foreign key has given `user_id` its type.
    """
    return text(
        "INSERT INTO wellbeing_check_in_receipt (user_id, iso_year, iso_week)"
        " VALUES (:user_id, :iso_year, :iso_week) ON CONFLICT DO NOTHING"
    ).bindparams(*(bindparam(name, type_=_RECEIPTS[name].type) for name in _RECEIPT_COLUMNS))


# The sealed check-in, written only if its week is still open: a week closed while this check-in
# was on its way writes nothing (`WeekClosed`). On PostgreSQL it runs once the week's shared lock
# is held, so it sees any close committed before, and no close can start until this commits.
_PENDING_COLUMNS = ("id", "iso_year", "iso_week", "content_sealed")
_PENDING_INSERT = insert(PendingCheckIn.__table__).from_select(
    _PENDING_COLUMNS,
    select(*(bindparam(name, type_=_PENDING[name].type) for name in _PENDING_COLUMNS)).where(
        ~exists().where(_CLOSED.iso_year == _YEAR, _CLOSED.iso_week == _WEEK)
    ),
)
_COUNTED = {"preserve_rowcount": True}  # an INSERT's row count is kept only if asked for


def check_in_standing(*, user: User, day: date, join_week: bool = False) -> Standing:
    """Whether `user` has checked in in `day`'s week, whether any week before it still has
    pending check-ins (is due to close), and the directory's version: in one statement, for the
    check-in page.

    With `join_week`, for a check-in on its way, the same statement takes the week's shared lock
    too on PostgreSQL (`week_joined`), which `check_in_submit` would otherwise take in a round trip
    of its own. What it reads is then read as the lock is asked for, not once it is held; nothing
    depends on it being later: the receipt's key refuses a second check-in whatever was read, the
    sealed check-in's insert (a statement of its own, after the lock) sees any close of this week,
    and weeks due to close are closed in a transaction of their own, after this one ends.
    """
    year, week = iso_week_of(day)
    values = {"user_id": user.id, "iso_year": year, "iso_week": week}
    if join_week and _takes_week_locks():
        row = db.session.execute(
            _STANDING_JOINING, {**values, **_week_lock_values(year, week)}
        ).one()
        return Standing(bool(row[1]), bool(row[2]), row[3], week_joined=True)
    row = db.session.execute(_STANDING, values).one()
    return Standing(bool(row[0]), bool(row[1]), row[2])


def check_in_score(answers: list[int]) -> int:
    """The WHO-5 percentage score of five answers (`ServiceError` unless five of the six)."""
    try:
        return who5.percentage(who5.raw_score(answers))
    except ValueError:
        raise ServiceError("Answer all five statements, each with one of the six answers") from None


def check_in_submit(
    *,
    user: User,
    day: date,
    answers: list[int],
    topics: Iterable[str],
    career_stage_group: str,
    specialty_group: str,
    organisation: str,
    week_joined: bool = False,
) -> int:
    """Record this week's check-in for `user` and return its WHO-5 percentage score.

    The check-in names nobody, and is kept sealed, as a `PendingCheckIn`, until its week closes; the
    receipt only stops a second check-in this week. The receipt's key is what refuses a second one
    (`AlreadyCheckedIn`), whether or not the caller looked first (`check_in_standing`, as the
    page does): one look-up, not two, and two submissions at once still let one through. After
    either refusal (`AlreadyCheckedIn`, `WeekClosed`) the caller rolls back. `week_joined`: the
    caller's transaction already holds the week's shared lock (`check_in_standing(join_week=True)`).
    """
    topics = sorted(set(topics))
    _check_groups(career_stage_group, specialty_group, organisation, topics)
    score = check_in_score(answers)
    year, week = iso_week_of(day)
    if not week_joined:
        _week_lock(year, week, shared=True)
    if not _receipt_written(user.id, year, week):
        raise AlreadyCheckedIn()  # nothing written
    key = uuid.uuid4()
    content = _content_sealable(
        Content(
            answers=list(answers),
            topics=topics,
            career_stage_group=career_stage_group,
            specialty_group=specialty_group,
            organisation=organisation,
        )
    )
    # Sealed, bound to its row, as the model seals it (`SealedText`: setting `content` on a
    # `PendingCheckIn` with this id would store these bytes); inserted as its four columns.
    written = db.session.execute(
        _PENDING_INSERT,
        {
            "id": key,
            "iso_year": year,
            "iso_week": week,
            "content_sealed": PendingCheckIn.content.sealed_for(PendingCheckIn, key, content),
        },
        execution_options=_COUNTED,
    )
    if written.rowcount != 1:
        raise WeekClosed()
    return score


def _receipt_written(user_id: int, year: int, week: int) -> bool:
    """Insert this week's receipt; False, and nothing written, if there already is one.

    `ON CONFLICT DO NOTHING` rather than a failed insert: on PostgreSQL a second submission racing
    the first waits for it and then writes nothing, and no duplicate-key error (whose detail names
    the person and the week) reaches the server's log.
    """
    written = db.session.execute(
        _receipt_insert(),
        {"user_id": user_id, "iso_year": year, "iso_week": week},
        execution_options=_COUNTED,
    )
    return written.rowcount == 1


# What each group may be, and the topics: the same on every check-in, so worked out once.
_STAGES = values(CAREER_STAGE_GROUPS) | {NOT_SAID}
_SPECIALTIES = values(SPECIALTY_GROUPS) | {NOT_SAID}
_TOPICS = values(TOPICS)


def _check_groups(stage: str, specialty: str, organisation: str, topics: list[str]) -> None:
    if stage not in _STAGES:
        raise ServiceError(
            "Choose your career stage from the list shown", field="career_stage_group"
        )
    if specialty not in _SPECIALTIES:
        raise ServiceError(
            "Choose your specialty group from the list shown", field="specialty_group"
        )
    if organisation != NOT_SAID and organisation not in current_app.config["ORGANISATIONS"]:
        raise ServiceError("Choose your organisation from the list shown", field="organisation")
    if not _TOPICS.issuperset(topics):
        raise ServiceError("Choose only from the topics shown", field="topics")


# --- pending check-ins and closing a week ---------------------------------------------------------

# Every pending check-in's content, once sealed, is this many bytes before sealing, whatever was
# answered: 679 bytes at most with every topic and a 120-character ASCII organisation, and room for
# one written with four-byte characters.
CONTENT_BYTES = 1280


@dataclass(frozen=True)
class Content:
    answers: list[int]
    topics: list[str]
    career_stage_group: str
    specialty_group: str
    organisation: str


def _content_sealable(content: Content) -> str:
    text_ = json.dumps(
        {
            "answers": content.answers,
            "topics": content.topics,
            "career_stage_group": content.career_stage_group,
            "specialty_group": content.specialty_group,
            "organisation": content.organisation,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
    size = len(text_.encode())
    if size > CONTENT_BYTES:
        raise ValueError("a check-in's content is longer than a pending check-in holds")
    return text_ + " " * (CONTENT_BYTES - size)


def _content_opened(sealable: str) -> Content:
    return Content(**json.loads(sealable))


# Namespace of the advisory locks that keep a week from closing while a check-in joins it.
_WEEK_LOCK_NAMESPACE = 5_0505
_WEEK_LOCKS = {  # shared: the statement
    True: text("SELECT pg_advisory_xact_lock_shared(:namespace, :week)"),
    False: text("SELECT pg_advisory_xact_lock(:namespace, :week)"),
}


# `_STANDING`, with the week's shared lock asked for first, in the same statement.
_STANDING_JOINING = select(
    func.pg_advisory_xact_lock_shared(
        bindparam("namespace", type_=Integer), bindparam("week", type_=Integer)
    ),
    *_STANDING.selected_columns,
)


def _takes_week_locks() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _week_lock_values(year: int, week: int) -> dict[str, int]:
    return {"namespace": _WEEK_LOCK_NAMESPACE, "week": year * 100 + week}


def _week_lock(year: int, week: int, *, shared: bool) -> None:
    """On PostgreSQL: check-ins joining a week share its lock; closing the week takes it alone.

    Released at commit or rollback. SQLite lets one writer at a time anyway.
    """
    if not _takes_week_locks():
        return
    db.session.execute(_WEEK_LOCKS[shared], _week_lock_values(year, week))


def _is_closed(year: int, week: int) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    ClosedCheckInWeek.iso_year == year, ClosedCheckInWeek.iso_week == week
                )
            )
        )
    )


def _before(year: int, week: int):
    return or_(
        PendingCheckIn.iso_year < year,
        (PendingCheckIn.iso_year == year) & (PendingCheckIn.iso_week < week),
    )


def check_in_weeks_close(*, today: date) -> int:
    """Release the pending check-ins of every week before `today`'s; how many were released.

    Each week is released whole in the caller's transaction: its pending check-ins are opened,
    given new random keys and inserted in the order of those keys (so neither the order they came
    in nor their pending keys survive), the pending rows are deleted and the week is marked closed.
    """
    waiting = db.session.execute(
        select(PendingCheckIn.iso_year, PendingCheckIn.iso_week)
        .where(_before(*iso_week_of(today)))
        .distinct()
    ).all()
    # Last week is closed even if nobody checked in, so a late check-in cannot be its only one.
    weeks = sorted({*map(tuple, waiting), iso_week_of(today - timedelta(weeks=1))})
    return sum(_week_close(year, week) for year, week in weeks)


def _key(pair: tuple[uuid.UUID, Content]) -> uuid.UUID:
    return pair[0]


def _week_close(year: int, week: int) -> int:
    _week_lock(year, week, shared=False)  # waits for check-ins joining the week to commit
    in_week = (PendingCheckIn.iso_year == year) & (PendingCheckIn.iso_week == week)
    pending = db.session.scalars(select(PendingCheckIn).where(in_week)).all()
    if not _is_closed(year, week):
        db.session.add(ClosedCheckInWeek(iso_year=year, iso_week=week))
    released = sorted(((uuid.uuid4(), _content_opened(row.content)) for row in pending), key=_key)
    if released:
        db.session.execute(
            insert(CheckIn),
            [
                {
                    "id": key,
                    "iso_year": year,
                    "iso_week": week,
                    "career_stage_group": content.career_stage_group,
                    "specialty_group": content.specialty_group,
                    "organisation": content.organisation,
                    **{f"item_{n}": a for n, a in enumerate(content.answers, start=1)},
                    "raw_score": who5.raw_score(content.answers),
                }
                for key, content in released
            ],
        )
        topics = [
            {"check_in_id": key, "topic": topic, "iso_year": year, "iso_week": week}
            for key, content in released
            for topic in sorted(content.topics)
        ]
        if topics:
            db.session.execute(insert(CheckInTopic), topics)
    db.session.execute(delete(PendingCheckIn).where(in_week))
    db.session.flush()
    return len(released)


SCRAMBLED_TABLES = (
    ("wellbeing_check_in", "pk_wellbeing_check_in"),
    ("wellbeing_check_in_topic", "pk_wellbeing_check_in_topic"),
    ("wellbeing_check_in_pending", "pk_wellbeing_check_in_pending"),
)


def check_in_storage_scramble() -> str:
    """Store check-ins in the order of their random keys, with no trace of the order they came in.

    PostgreSQL keeps new rows roughly in insert order, and a dump lists them in that order. Each
    closed week is already released in random-key order with one writer; this makes the same true
    of the tables as a whole (check-ins stored before this release scheme, demo data, any later
    change): it rewrites every check-in in one transaction (one shared `xmin`), then rewrites the
    tables in random-key order (CLUSTER), which also drops old row versions, pending ones included.
    SQLite tables without rowid are already stored in key order; VACUUM rebuilds the file so no
    freed page keeps old order.
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
