"""Disclosure settings that reports would refuse stop the app at start, not at a report."""

import pytest

from config import ConfigurationError
from mentoring import create_app


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            {"REPORT_SUPPRESSION_THRESHOLD": 13, "REPORT_MIN_GROUP_FOR_SUMMARY": 14},
            "smallest number that rounds up",
        ),
        ({"REPORT_ROUNDING_BASE": 2}, "rounding base must be at least 5"),
        ({"REPORT_MIN_GROUP_FOR_SUMMARY": 7}, "below the minimum group"),
        ({"REPORT_SUPPRESSION_THRESHOLD": "seven"}, "REPORT_SUPPRESSION_THRESHOLD"),
    ],
)
def test_unsafe_or_unreadable_report_settings_refuse_to_start(settings, message):
    with pytest.raises(ConfigurationError, match=message):
        create_app({"TESTING": True, **settings})


def test_the_default_settings_start():
    app = create_app({"TESTING": True})
    assert app.config["REPORT_SUPPRESSION_THRESHOLD"] == 7
