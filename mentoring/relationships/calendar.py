"""An iCalendar (RFC 5545) invitation for the next session that carries nothing sensitive.

Only the time, the length and a neutral title: no names, no topics, no notes, and a link to the
relationship page (which needs signing in). Each side gets their own file. The `icalendar` package
writes the file (escaping, line folding, UTC times), so calendar apps read it as they expect.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from mentoring.core.vocabulary import FORMATS, label

DEFAULT_LENGTH = timedelta(hours=1)


def session_invitation(
    *,
    relationship_id: str,
    starts_at: datetime,
    format: str,
    link: str,
    now: datetime,
    side: str,
) -> str:
    starts_at = starts_at.astimezone(UTC)
    event = Event()
    event.add("uid", f"{relationship_id}-{starts_at:%Y%m%dT%H%M%SZ}-{side}@mentoring")
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", starts_at)
    event.add("dtend", starts_at + DEFAULT_LENGTH)
    event.add("summary", "Development conversation")
    event.add("description", f"{label(FORMATS, format)}. Details: {link}")
    event.add("class", "PRIVATE")
    event.add("transp", "OPAQUE")
    calendar = Calendar()
    calendar.add("prodid", "-//mentoring//session invitation//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    return calendar.to_ical().decode()
