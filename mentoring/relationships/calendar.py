"""An iCalendar (RFC 5545) invitation for the next session that carries nothing sensitive.

Only the time, the length and a neutral title: no names, no topics, no notes, and a link to the
relationship page (which needs signing in). Each side gets their own file.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mentoring.core.vocabulary import FORMATS, label

DEFAULT_LENGTH = timedelta(hours=1)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def session_invitation(
    *,
    relationship_id: str,
    starts_at: datetime,
    format: str,
    link: str,
    now: datetime,
    side: str,
) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//mentoring//session invitation//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{relationship_id}-{_stamp(starts_at)}-{side}@mentoring",
        f"DTSTAMP:{_stamp(now)}",
        f"DTSTART:{_stamp(starts_at)}",
        f"DTEND:{_stamp(starts_at + DEFAULT_LENGTH)}",
        "SUMMARY:" + _escape("Development conversation"),
        "DESCRIPTION:" + _escape(f"{label(FORMATS, format)}. Details: {link}"),
        "CLASS:PRIVATE",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    raw = line.encode()
    if len(raw) <= 75:
        return line
    parts = []
    while len(raw) > 75:
        cut = 75
        while (raw[cut] & 0xC0) == 0x80:  # never split a UTF-8 character
            cut -= 1
        parts.append(raw[:cut].decode())
        raw = raw[cut:]
    parts.append(raw.decode())
    return "\r\n ".join(parts)
