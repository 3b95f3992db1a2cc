"""What the relationship page shows, shaped for the template (and for one viewer)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask import current_app

from mentoring.core.vocabulary import FORMATS, label
from mentoring.relationships import queries
from mentoring.relationships.frameworks import model_label
from mentoring.relationships.models import MentoringRelationship, RelationshipStatus
from mentoring.relationships.session_models import ActionItem
from mentoring.relationships.vocabulary import ENDING_REASONS, MEETING_FREQUENCIES
from mentoring.sealing import SealedText


@dataclass(frozen=True)
class RelationshipPage:
    party: str  # "mentor" or "mentee": who is looking
    other_name: str
    other_email: str
    status: str
    started_on: str
    ended_on: str | None
    ended_by: str | None
    ending_reason: str | None
    agreed: bool
    model: str | None
    frequency: str | None
    meeting_format: str | None
    planned_sessions: int
    sessions: list[SessionLine]
    minutes: int
    actions: list[ActionLine]
    review_due: bool
    next_session: str | None
    next_session_format: str | None
    feedback_given: bool

    @property
    def is_mentor(self) -> bool:
        return self.party == "mentor"

    @property
    def is_mentee(self) -> bool:
        return self.party == "mentee"

    @property
    def is_active(self) -> bool:
        return self.status == "active"


def local_time(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    local = moment.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
    return local.strftime("%A %-d %B %Y at %H:%M")


class SessionLine(NamedTuple):
    """A session as the page lists it: its date and minutes (no notes)."""

    id: str
    held_on: date
    minutes: int


class ActionLine(NamedTuple):
    """An action as the page shows it, read as values: its text and the mentee's reflection are
    opened only where the page shows them, as `ActionItem`'s attributes are."""

    id: str
    due_on: date | None
    status: str
    text_sealed: bytes
    mentee_reflection_sealed: bytes | None

    @property
    def text(self) -> str:
        return _ACTION_TEXT.opened(self.id, self.text_sealed)

    @property
    def mentee_reflection(self) -> str | None:
        return _ACTION_REFLECTION.opened(self.id, self.mentee_reflection_sealed)


_ACTION_TEXT: SealedText = ActionItem.text  # the attributes themselves (read from the class)
_ACTION_REFLECTION: SealedText = ActionItem.mentee_reflection


def relationship_page(rows: list, *, viewer_id: int) -> RelationshipPage:
    """The page for `viewer_id` from `queries.relationship_page_rows` (the viewer may read it)."""
    relationship = rows[0]
    party = MentoringRelationship.party_of(relationship, viewer_id) or ""
    sessions = [
        SessionLine(row.line_id, row.day, row.minutes)
        for row in rows
        if row.what == queries.SESSION_LINE
    ]
    actions = [
        ActionLine(row.line_id, row.day, row.line_status, row.text_sealed, row.reflection_sealed)
        for row in rows
        if row.what == queries.ACTION_LINE
    ]
    is_active = relationship.status == RelationshipStatus.ACTIVE.value
    return RelationshipPage(
        party=party,
        other_name=relationship.other_name,
        other_email=relationship.other_email,
        status=relationship.status,
        started_on=relationship.started_at.strftime("%-d %B %Y"),
        ended_on=relationship.ended_at.strftime("%-d %B %Y") if relationship.ended_at else None,
        ended_by=relationship.ended_by,
        ending_reason=label(ENDING_REASONS, relationship.ending_reason)
        if relationship.ending_reason
        else None,
        agreed=relationship.agreed_at is not None,
        model=model_label(relationship.model) if relationship.model else None,
        frequency=label(MEETING_FREQUENCIES, relationship.meeting_frequency)
        if relationship.meeting_frequency
        else None,
        meeting_format=label(FORMATS, relationship.meeting_format)
        if relationship.meeting_format
        else None,
        planned_sessions=relationship.planned_sessions,
        sessions=sessions,
        minutes=sum(s.minutes for s in sessions),
        actions=actions,
        review_due=is_active and len(sessions) >= relationship.planned_sessions,
        next_session=local_time(relationship.next_session_at),
        next_session_format=label(FORMATS, relationship.next_session_format)
        if relationship.next_session_format
        else None,
        feedback_given=relationship.feedback_given,
    )
