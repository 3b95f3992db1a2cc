"""What the relationship page shows, shaped for the template (and for one viewer)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app

from mentoring.core.vocabulary import FORMATS, label
from mentoring.relationships import queries
from mentoring.relationships.frameworks import model_label
from mentoring.relationships.models import MentoringRelationship
from mentoring.relationships.session_models import ActionItem
from mentoring.relationships.vocabulary import ENDING_REASONS, MEETING_FREQUENCIES


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
    sessions: list  # rows of id, held_on and minutes
    minutes: int
    actions: list[ActionItem]
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


def relationship_page(relationship: MentoringRelationship, *, viewer_id: int) -> RelationshipPage:
    party = relationship.party_of(viewer_id) or ""
    other = queries.contact_of(
        relationship.mentee_id if party == "mentor" else relationship.mentor_id
    )
    sessions = queries.session_dates(relationship.id)
    return RelationshipPage(
        party=party,
        other_name=other.display_name,
        other_email=other.email,
        status=relationship.status,
        started_on=relationship.started_at.strftime("%-d %B %Y"),
        ended_on=relationship.ended_at.strftime("%-d %B %Y") if relationship.ended_at else None,
        ended_by=relationship.ended_by,
        ending_reason=label(ENDING_REASONS, relationship.ending_reason)
        if relationship.ending_reason
        else None,
        agreed=relationship.is_agreed,
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
        actions=queries.actions_of(relationship.id),
        review_due=relationship.is_active and len(sessions) >= relationship.planned_sessions,
        next_session=local_time(relationship.next_session_at),
        next_session_format=label(FORMATS, relationship.next_session_format)
        if relationship.next_session_format
        else None,
        feedback_given=relationship.feedback_given,
    )
