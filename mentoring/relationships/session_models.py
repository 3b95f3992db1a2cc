"""Session logs and the mentee's action plan.

Every free-text note is sealed (AES-GCM bound to its row and field): stage notes, the shared
summary, the mentor's private reflection, action text and the mentee's reflection on an action.
Figures (date, minutes, format, model, topics, signposting kinds, OSKAR's scaling) are plain
columns so reports and the appraisal record can aggregate them in SQL.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentoring.auth.models import utcnow
from mentoring.extensions import db
from mentoring.relationships.models import MentoringRelationship
from mentoring.requests_.models import new_uuid
from mentoring.sealing import SealedText

MIN_MINUTES = 5
MAX_MINUTES = 240
MAX_NOTE_CHARS = 5000


class SessionLog(db.Model):
    __tablename__ = "session_log"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_uuid)
    relationship_id: Mapped[str] = mapped_column(
        ForeignKey("mentoring_relationship.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date]
    minutes: Mapped[int] = mapped_column(SmallInteger)
    format: Mapped[str] = mapped_column(String(20))
    model: Mapped[str] = mapped_column(String(20))
    logged_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    summary_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    summary = SealedText("summary_sealed")  # shared: the mentee reads it
    reflection_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    reflection = SealedText("reflection_sealed")  # private: only the mentor reads it

    version: Mapped[int] = mapped_column(Integer, default=1)

    relationship_: Mapped[MentoringRelationship] = relationship(
        "MentoringRelationship", foreign_keys=[relationship_id]
    )
    stage_notes: Mapped[list[SessionStageNote]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        order_by="SessionStageNote.position",
    )
    topic_rows: Mapped[list[SessionTopic]] = relationship(cascade="all, delete-orphan")
    signpost_rows: Mapped[list[SessionSignpost]] = relationship(cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    __table_args__ = (
        CheckConstraint(f"minutes BETWEEN {MIN_MINUTES} AND {MAX_MINUTES}", name="minutes_range"),
        Index("ix_session_log_held_on", "held_on"),
    )

    def __init__(self, **fields) -> None:
        # The id first: sealed text is bound to it, and keyword arguments are set in order.
        super().__init__(id=fields.pop("id", None) or new_uuid(), **fields)

    @property
    def topics(self) -> list[str]:
        return [row.topic for row in self.topic_rows]

    @property
    def signposts(self) -> list[str]:
        return [row.kind for row in self.signpost_rows]

    def note_for(self, stage_key: str) -> SessionStageNote | None:
        return next((n for n in self.stage_notes if n.stage == stage_key), None)


class SessionStageNote(db.Model):
    """Notes for one stage of the session's model, and that stage's numbers (OSKAR's scaling)."""

    __tablename__ = "session_stage_note"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_uuid)
    session_id: Mapped[str] = mapped_column(
        ForeignKey("session_log.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(SmallInteger)
    notes_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    notes = SealedText("notes_sealed")
    # A stage-specific number (OSKAR: 0-10 rating); its field key says which.
    number_field: Mapped[str | None] = mapped_column(String(40))
    number_value: Mapped[int | None] = mapped_column(SmallInteger)

    session: Mapped[SessionLog] = relationship(back_populates="stage_notes")

    __table_args__ = (
        db.UniqueConstraint("session_id", "stage", name="uq_session_stage_note_session_stage"),
    )

    def __init__(self, **fields) -> None:
        # The id first: sealed text is bound to it, and keyword arguments are set in order.
        super().__init__(id=fields.pop("id", None) or new_uuid(), **fields)


class SessionTopic(db.Model):
    __tablename__ = "session_topic"

    session_id: Mapped[str] = mapped_column(
        ForeignKey("session_log.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(40), primary_key=True)


class SessionSignpost(db.Model):
    """A kind of service the mentee was pointed towards (never which one, never why)."""

    __tablename__ = "session_signpost"

    session_id: Mapped[str] = mapped_column(
        ForeignKey("session_log.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class ActionItem(db.Model):
    """Something the mentee will do. It belongs to the mentee and carries across sessions."""

    __tablename__ = "action_item"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_uuid)
    relationship_id: Mapped[str] = mapped_column(
        ForeignKey("mentoring_relationship.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[str | None] = mapped_column(
        ForeignKey("session_log.id", ondelete="SET NULL"), index=True
    )
    text_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    text = SealedText("text_sealed")
    due_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(10), default=ActionStatus.OPEN.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status_changed_at: Mapped[datetime | None]
    mentee_reflection_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    mentee_reflection = SealedText("mentee_reflection_sealed")

    __table_args__ = (
        CheckConstraint("status IN ('open', 'done', 'dropped')", name="status_known"),
    )

    def __init__(self, **fields) -> None:
        # The id first: sealed text is bound to it, and keyword arguments are set in order.
        super().__init__(id=fields.pop("id", None) or new_uuid(), **fields)
