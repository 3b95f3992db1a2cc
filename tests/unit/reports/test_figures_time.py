"""The dashboard says when its figures were worked out, as the NHS writes times."""

from __future__ import annotations

from datetime import datetime

import pytest

from mentoring.reports.views import _clock


@pytest.mark.parametrize(
    ("hour", "minute", "text"),
    [
        (0, 0, "midnight"),
        (0, 5, "12:05am"),
        (9, 0, "9am"),
        (9, 30, "9:30am"),
        (12, 0, "midday"),
        (12, 45, "12:45pm"),
        (17, 3, "5:03pm"),
    ],
)
def test_times_read_as_the_nhs_writes_them(hour, minute, text):
    assert _clock(datetime(2026, 11, 30, hour, minute)) == text
