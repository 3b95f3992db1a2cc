"""Opening hours: reading what coordinators write, and 'open now' / 'out of hours'."""

from __future__ import annotations

from datetime import datetime

import pytest

from mentoring.directory.opening import (
    OpeningHoursError,
    Window,
    describe,
    is_open_at,
    is_open_out_of_hours,
    parse_opening_hours,
)


def test_reads_ranges_groups_and_single_days():
    windows = parse_opening_hours("Mon-Fri 09:00-17:00\nsat 10.00 to 14:00\n\nWeekends 18:00-24:00")
    assert Window(0, 540, 1020) in windows and Window(4, 540, 1020) in windows
    assert Window(5, 600, 840) in windows
    assert Window(6, 1080, 1440) in windows
    assert len(windows) == 5 + 1 + 2


def test_every_day_and_comma_lists():
    assert len(parse_opening_hours("Every day 00:00-24:00")) == 7
    assert [w.day for w in parse_opening_hours("Mon, Wed, Fri 08:00-09:00")] == [0, 2, 4]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Mon 17:00-09:00", "end (09:00) before they start (17:00)"),
        ("Mon 09:00-09:00", "before they start"),
        ("Funday 09:00-17:00", "is not a day"),
        ("Mon 25:00-26:00", "not a time between 00:00 and 24:00"),
        ("Mon 09:75-10:00", "not a time"),
        ("whenever", "is not in the form"),
        ("Fri-Mon 09:00-10:00", "from Monday to Sunday"),
    ],
)
def test_refuses_what_it_cannot_read_with_a_message(text, message):
    with pytest.raises(OpeningHoursError, match="Line 1") as error:
        parse_opening_hours(text)
    assert message in str(error.value)


def test_overnight_hours_are_two_lines():
    windows = parse_opening_hours("Fri 20:00-24:00\nSat 00:00-08:00")
    assert is_open_at(windows, False, datetime(2026, 11, 27, 23, 30))  # a Friday
    assert is_open_at(windows, False, datetime(2026, 11, 28, 7, 59))  # the Saturday
    assert not is_open_at(windows, False, datetime(2026, 11, 28, 8, 0))


def test_describe_joins_days_and_reads_back():
    windows = parse_opening_hours("Mon-Fri 09:00-17:00\nSat 10:00-12:00")
    assert describe(windows) == ["Monday-Friday 09:00-17:00", "Saturday 10:00-12:00"]
    assert parse_opening_hours("\n".join(describe(windows, short=True))) == windows
    assert describe(parse_opening_hours("Daily 08:00-20:00")) == ["Every day 08:00-20:00"]


def test_open_now_respects_the_day_and_the_end_of_the_window():
    windows = parse_opening_hours("Mon-Fri 09:00-17:00")
    monday = datetime(2026, 11, 23, 9, 0)
    assert is_open_at(windows, False, monday)
    assert not is_open_at(windows, False, monday.replace(hour=17))
    assert not is_open_at(windows, False, datetime(2026, 11, 28, 12, 0))  # Saturday
    assert is_open_at([], True, monday.replace(hour=3))


@pytest.mark.parametrize(
    ("hours", "all_hours", "expected"),
    [
        ("Mon-Fri 09:00-17:00", False, False),
        ("Mon-Fri 08:00-17:00", False, True),
        ("Mon-Fri 09:00-20:00", False, True),
        ("Sat 10:00-12:00", False, True),
        ("", True, True),
    ],
)
def test_out_of_hours_is_anything_beyond_weekday_office_hours(hours, all_hours, expected):
    assert is_open_out_of_hours(parse_opening_hours(hours), all_hours) is expected
