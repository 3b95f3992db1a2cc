"""An anonymous check-in, and the separate receipt that says only "this person has done this week".

Nothing joins the two. The check-in holds no user id, address, agent, session or time finer than the
ISO week; its key is random. The receipt holds no key of its own, no time and nothing of the
answers. Neither table has a rowid on SQLite (rows are stored in key order, not insert order).

A check-in is first stored sealed, as a `PendingCheckIn` of one fixed size, and becomes a `CheckIn`
only when its week closes, together with the whole week's, in one transaction and in random order
(README, "Check-in threat model").
"""

from __future__ import annotations

import uuid

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    SmallInteger,
    String,
    Uuid,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentoring.extensions import db
from mentoring.sealing import SealedText

WHO5_ITEM_COUNT = 5


class CheckIn(db.Model):
    __tablename__ = "wellbeing_check_in"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    iso_year: Mapped[int] = mapped_column(SmallInteger)
    iso_week: Mapped[int] = mapped_column(SmallInteger)
    career_stage_group: Mapped[str] = mapped_column(String(40))
    specialty_group: Mapped[str] = mapped_column(String(40))
    organisation: Mapped[str] = mapped_column(String(120))
    # WHO-5: each item 0 ("At no time") to 5 ("All of the time"); raw score 0-25.
    item_1: Mapped[int] = mapped_column(SmallInteger)
    item_2: Mapped[int] = mapped_column(SmallInteger)
    item_3: Mapped[int] = mapped_column(SmallInteger)
    item_4: Mapped[int] = mapped_column(SmallInteger)
    item_5: Mapped[int] = mapped_column(SmallInteger)
    raw_score: Mapped[int] = mapped_column(SmallInteger)

    topics: Mapped[list[CheckInTopic]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    __table_args__ = (
        *(
            CheckConstraint(f"item_{n} BETWEEN 0 AND 5", name=f"item_{n}_range")
            for n in range(1, WHO5_ITEM_COUNT + 1)
        ),
        CheckConstraint(
            "raw_score = item_1 + item_2 + item_3 + item_4 + item_5", name="raw_score_sum"
        ),
        CheckConstraint("iso_week BETWEEN 1 AND 53", name="iso_week_range"),
        # Reports read check-ins by week; on PostgreSQL from the index alone.
        Index(
            "ix_wellbeing_check_in_week",
            "iso_year",
            "iso_week",
            postgresql_include=[
                "raw_score",
                "career_stage_group",
                "specialty_group",
                "organisation",
                "id",
            ],
        ),
        {"sqlite_with_rowid": False},
    )

    @property
    def score(self) -> int:
        """The WHO-5 percentage score, 0-100."""
        return self.raw_score * 4


def _check_in_week(column: str):
    """A topic's week, when not given, read from its check-in (already written: it is the
    parent). The week-close writer, demo and synthetic data give it; tests may not."""

    def default(context) -> int:
        check_in_id = context.get_current_parameters()["check_in_id"]
        return context.connection.scalar(
            select(CheckIn.__table__.c[column]).where(CheckIn.__table__.c.id == check_in_id)
        )

    return default


class CheckInTopic(db.Model):
    """A topic the person said affects their well-being at work.

    It carries its check-in's ISO week, so reports read a period's topics by the week index
    instead of every topic ever named. That says nothing new: the check-in it points to holds the
    week, and topics are written once, with their check-in, when the week closes.
    """

    __tablename__ = "wellbeing_check_in_topic"

    check_in_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("wellbeing_check_in.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(60), primary_key=True)
    iso_year: Mapped[int] = mapped_column(SmallInteger, default=_check_in_week("iso_year"))
    iso_week: Mapped[int] = mapped_column(SmallInteger, default=_check_in_week("iso_week"))

    __table_args__ = (
        # Reports count a period's topics by week; on PostgreSQL from the index alone.
        Index(
            "ix_wellbeing_check_in_topic_week",
            "iso_year",
            "iso_week",
            postgresql_include=["topic", "check_in_id"],
        ),
        {"sqlite_with_rowid": False},
    )


class CheckInReceipt(db.Model):
    """This person has checked in this ISO week. Nothing else: no time, no answer, no key."""

    __tablename__ = "wellbeing_check_in_receipt"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    iso_year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    iso_week: Mapped[int] = mapped_column(SmallInteger, primary_key=True)

    __table_args__ = ({"sqlite_with_rowid": False},)


class PendingCheckIn(db.Model):
    """A check-in of a week that has not closed yet: its week and, sealed, everything else.

    Written in the same transaction as the receipt, so it shares the receipt's transaction id
    (`xmin` on PostgreSQL); that is why it holds nothing readable. Every sealed value has the same
    length whatever was answered. When the week closes, the week's pending check-ins become
    `CheckIn` rows with new random keys, all in one transaction, and these rows are deleted.
    """

    __tablename__ = "wellbeing_check_in_pending"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    iso_year: Mapped[int] = mapped_column(SmallInteger)
    iso_week: Mapped[int] = mapped_column(SmallInteger)
    content_sealed: Mapped[bytes] = mapped_column(LargeBinary)

    content = SealedText("content_sealed")

    __table_args__ = (
        Index("ix_wellbeing_check_in_pending_week", "iso_year", "iso_week"),
        {"sqlite_with_rowid": False},
    )


class ClosedCheckInWeek(db.Model):
    """A week whose check-ins have been released: no check-in can join it any more."""

    __tablename__ = "wellbeing_check_in_week_closed"

    iso_year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    iso_week: Mapped[int] = mapped_column(SmallInteger, primary_key=True)

    __table_args__ = ({"sqlite_with_rowid": False},)
