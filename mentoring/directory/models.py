"""Support services in the directory, what they help with, and their weekly opening windows."""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, Uuid, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from mentoring.extensions import db


class Severity(StrEnum):
    """How bad things are when this service is the right one; ordered from most urgent."""

    URGENT = "urgent"
    STRUGGLING = "struggling"
    EVERYDAY = "everyday"

    @property
    def label(self) -> str:
        return SEVERITY_LABELS[self]

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


SEVERITY_LABELS = {
    Severity.URGENT: "Urgent: help now",
    Severity.STRUGGLING: "Struggling: help soon",
    Severity.EVERYDAY: "Everyday: support and development",
}

PROBLEM_KINDS: tuple[tuple[str, str], ...] = (
    ("emotional", "Emotional and mental well-being"),
    ("crisis", "Crisis and immediate safety"),
    ("health", "Physical health and fitness to work"),
    ("work", "Work, workload and career"),
    ("colleagues", "Conflict, bullying or harassment at work"),
    ("money_legal", "Money, legal or regulatory worries"),
)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MINUTES_PER_DAY = 24 * 60


class SupportService(db.Model):
    __tablename__ = "support_service"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(20))
    open_all_hours: Mapped[bool] = mapped_column(default=False)
    # Ways to reach it: at least one is given (checked by the service and the database).
    self_referral: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(254))
    is_internal: Mapped[bool] = mapped_column(default=False)
    confidentiality: Mapped[str] = mapped_column(Text)

    topics: Mapped[list[SupportServiceTopic]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="SupportServiceTopic.topic"
    )
    kinds: Mapped[list[SupportServiceKind]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="SupportServiceKind.kind"
    )
    openings: Mapped[list[OpeningWindow]] = relationship(
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="(OpeningWindow.day, OpeningWindow.start_minute)",
    )

    __table_args__ = (
        CheckConstraint(
            "severity IN (" + ", ".join(f"'{s.value}'" for s in Severity) + ")",
            name="known_severity",
        ),
        CheckConstraint(
            "self_referral IS NOT NULL OR phone IS NOT NULL OR website IS NOT NULL"
            " OR email IS NOT NULL",
            name="reachable",
        ),
    )

    @property
    def severity_enum(self) -> Severity:
        return Severity(self.severity)

    @property
    def topic_values(self) -> list[str]:
        return [row.topic for row in self.topics]

    @property
    def kind_values(self) -> list[str]:
        return [row.kind for row in self.kinds]

    def __repr__(self) -> str:
        return f"<SupportService {self.id}>"


class SupportServiceTopic(db.Model):
    __tablename__ = "support_service_topic"

    service_id: Mapped[int] = mapped_column(
        ForeignKey("support_service.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(60), primary_key=True)


class SupportServiceKind(db.Model):
    __tablename__ = "support_service_kind"

    service_id: Mapped[int] = mapped_column(
        ForeignKey("support_service.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(30), primary_key=True)


class OpeningWindow(db.Model):
    """Open on `day` (0 = Monday) from `start_minute` to `end_minute` after midnight, local time.

    A window never crosses midnight: overnight hours are two windows (to 24:00, and from 00:00 the
    next day), so "ends before it starts" is always a mistake.
    """

    __tablename__ = "support_service_opening"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("support_service.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[int]
    start_minute: Mapped[int]
    end_minute: Mapped[int]

    __table_args__ = (
        CheckConstraint("day BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint(
            f"start_minute >= 0 AND end_minute <= {MINUTES_PER_DAY} AND end_minute > start_minute",
            name="ends_after_start",
        ),
    )


class DirectoryVersion(db.Model):
    """One row whose token is written anew, at random, by every change to the directory.

    Each process keeps the directory it last read under the token it read with it, and reads the
    token (one row) on every request that shows services: a change made by any instance is seen by
    every other at its next request, and nothing has to be told. The token is random rather than
    counted, so a database restored from an older backup never matches a directory kept before.
    """

    __tablename__ = "directory_version"

    id: Mapped[int] = mapped_column(primary_key=True)  # always DIRECTORY_VERSION_ID
    token: Mapped[uuid.UUID] = mapped_column(Uuid)


DIRECTORY_VERSION_ID = 1
_DIRECTORY_TABLES = (SupportService, SupportServiceTopic, SupportServiceKind, OpeningWindow)
_VERSION = DirectoryVersion.__table__
_VERSION_WRITE = {
    name: dialect.insert(_VERSION).on_conflict_do_update(
        index_elements=[_VERSION.c.id], set_={"token": dialect.insert(_VERSION).excluded.token}
    )
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}


def directory_changed(connection) -> None:
    """Move the directory's version, in the transaction of the change (`connection`'s)."""
    connection.execute(
        _VERSION_WRITE[connection.dialect.name],
        {"id": DIRECTORY_VERSION_ID, "token": uuid.uuid4()},
    )


@event.listens_for(Session, "after_flush")
def _directory_changed_by_flush(session: Session, _context) -> None:
    """Every change to the directory through the ORM moves its version, in the same flush: a
    service added, changed or removed, or any of its topics, kinds or opening windows. (Bulk
    writers that go round the ORM call `directory_changed` themselves.)"""
    for changed in (session.new, session.dirty, session.deleted):
        if any(isinstance(item, _DIRECTORY_TABLES) for item in changed):
            directory_changed(session.connection())
            return
