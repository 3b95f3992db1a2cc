"""Weekly opening hours: read them as a coordinator writes them, say them back, test a moment.

Coordinators write one window per line, such as "Mon-Fri 09:00-17:00", "Sat 10:00-14:00" or
"Every day 18:00-24:00". A window ends after it starts on the same day; overnight hours are two
lines ("Fri 20:00-24:00" and "Sat 00:00-08:00"), so an end before the start is always a mistake.
"Out of hours" is anything outside Monday to Friday, 09:00 to 17:00.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import NamedTuple

from mentoring.directory.models import MINUTES_PER_DAY, WEEKDAYS

WORKING_DAYS = range(0, 5)
WORKING_START = 9 * 60
WORKING_END = 17 * 60

_DAY_NAMES = {name.lower(): index for index, name in enumerate(WEEKDAYS)} | {
    name[:3].lower(): index for index, name in enumerate(WEEKDAYS)
}
_DAY_GROUPS = {
    "every day": list(range(7)),
    "daily": list(range(7)),
    "weekdays": list(range(5)),
    "weekends": [5, 6],
}
_TIME = r"\d{1,2}[:.]\d{2}"
_LINE = re.compile(
    rf"^(?P<days>[A-Za-z ,\-–]+?)\s+(?P<start>{_TIME})\s*(?:-|–|to)\s*(?P<end>{_TIME})$"
)


class Window(NamedTuple):
    day: int
    start_minute: int
    end_minute: int


class OpeningHoursError(ValueError):
    """A line of opening hours that cannot be read, with a message saying how to write it."""


def parse_opening_hours(text: str) -> list[Window]:
    windows: list[Window] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = " ".join(raw.split())
        if not line:
            continue
        match = _LINE.match(line)
        if not match:
            raise OpeningHoursError(
                f"Line {number} ({line!r}) is not in the form 'Mon-Fri 09:00-17:00'"
            )
        days = _parse_days(match["days"], number)
        start = _parse_time(match["start"], number)
        end = _parse_time(match["end"], number)
        if end <= start:
            raise OpeningHoursError(
                f"Line {number}: the hours end ({match['end']}) before they start "
                f"({match['start']}). For overnight hours write two lines, for example "
                "'Fri 20:00-24:00' and 'Sat 00:00-08:00'"
            )
        windows.extend(Window(day, start, end) for day in days)
    return sorted(set(windows))


def _parse_days(text: str, number: int) -> list[int]:
    text = text.strip().lower().replace("–", "-")
    if text in _DAY_GROUPS:
        return _DAY_GROUPS[text]
    days: list[int] = []
    for part in (piece.strip() for piece in text.split(",")):
        first, _, last = (end.strip() for end in part.partition("-"))
        if first not in _DAY_NAMES or (last and last not in _DAY_NAMES):
            raise OpeningHoursError(
                f"Line {number}: {part!r} is not a day. Use Mon, Tue, Wed, Thu, Fri, Sat, Sun, "
                "a range such as Mon-Fri, 'Weekdays', 'Weekends' or 'Every day'"
            )
        start, stop = _DAY_NAMES[first], _DAY_NAMES[last or first]
        if stop < start:
            raise OpeningHoursError(f"Line {number}: write day ranges from Monday to Sunday")
        days.extend(range(start, stop + 1))
    return days


def _parse_time(text: str, number: int) -> int:
    hours, minutes = (int(piece) for piece in re.split(r"[:.]", text))
    minute = hours * 60 + minutes
    if minutes > 59 or minute > MINUTES_PER_DAY:
        raise OpeningHoursError(f"Line {number}: {text} is not a time between 00:00 and 24:00")
    return minute


def format_minute(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def describe(windows: list[Window], *, short: bool = False) -> list[str]:
    """Windows as lines a person reads, consecutive days with the same hours joined."""
    by_hours: dict[tuple[int, int], list[int]] = {}
    for window in sorted(windows):
        by_hours.setdefault((window.start_minute, window.end_minute), []).append(window.day)
    lines = []
    for (start, end), days in sorted(by_hours.items(), key=lambda item: (item[1][0], item[0])):
        names = [name[:3] if short else name for name in WEEKDAYS]
        lines.append(f"{_day_ranges(days, names)} {format_minute(start)}-{format_minute(end)}")
    return lines


def _day_ranges(days: list[int], names: list[str]) -> str:
    if days == list(range(7)):
        return "Every day"
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(
        names[run[0]] if len(run) == 1 else f"{names[run[0]]}-{names[run[-1]]}" for run in runs
    )


def is_open_at(windows: list[Window], all_hours: bool, moment: datetime) -> bool:
    """Whether the service is open at `moment`, a local time."""
    if all_hours:
        return True
    minute = moment.hour * 60 + moment.minute
    return any(
        window.day == moment.weekday() and window.start_minute <= minute < window.end_minute
        for window in windows
    )


def is_open_out_of_hours(windows: list[Window], all_hours: bool) -> bool:
    """Open some time outside Monday to Friday 09:00-17:00: evenings, nights or weekends."""
    if all_hours:
        return True
    return any(
        window.day not in WORKING_DAYS
        or window.start_minute < WORKING_START
        or window.end_minute > WORKING_END
        for window in windows
    )
