"""WHO-5 as published, its score, and which support a score calls for."""

from __future__ import annotations

import pytest

from mentoring.checkins import who5
from mentoring.core.vocabulary import TOPICS
from mentoring.directory.models import Severity


def test_items_and_answers_are_exactly_as_published():
    assert who5.TIMEFRAME == "Over the last two weeks"
    assert who5.ITEMS == (
        "I have felt cheerful and in good spirits",
        "I have felt calm and relaxed",
        "I have felt active and vigorous",
        "I woke up feeling fresh and rested",
        "My daily life has been filled with things that interest me",
    )
    assert who5.ANSWERS == (
        (5, "All of the time"),
        (4, "Most of the time"),
        (3, "More than half of the time"),
        (2, "Less than half of the time"),
        (1, "Some of the time"),
        (0, "At no time"),
    )


def test_score_is_the_sum_times_four():
    assert who5.raw_score([5, 5, 5, 5, 5]) == 25
    assert who5.percentage(who5.raw_score([5, 5, 5, 5, 5])) == 100
    assert who5.percentage(who5.raw_score([0, 1, 2, 3, 1])) == 28


@pytest.mark.parametrize("answers", [[1, 2, 3, 4], [1, 2, 3, 4, 6], [1, 2, 3, 4, -1]])
def test_refuses_missing_or_out_of_range_answers(answers):
    with pytest.raises(ValueError):
        who5.raw_score(answers)


@pytest.mark.parametrize(
    ("score", "band"),
    [(0, "very_low"), (28, "very_low"), (32, "poor"), (50, "poor"), (52, "good"), (100, "good")],
)
def test_bands_at_the_published_cut_offs(score, band):
    assert who5.band(score) == band


def test_signposting_by_score_and_topic():
    assert who5.severities_to_show(28, []) == [Severity.URGENT, Severity.STRUGGLING]
    assert who5.severities_to_show(50, []) == [Severity.STRUGGLING, Severity.URGENT]
    assert who5.severities_to_show(52, ["stress"]) == [Severity.EVERYDAY]
    # Negative thoughts or suicidal ideation always brings urgent help first.
    urgent = ["negative_thoughts"]
    assert who5.severities_to_show(88, urgent) == [Severity.URGENT, Severity.EVERYDAY]
    assert who5.severities_to_show(40, urgent) == [Severity.URGENT, Severity.STRUGGLING]


def test_topics_follow_the_domain_order():
    assert TOPICS[0][0] == "career_development"
    assert TOPICS[-1][0] == "dealing_with_injury"
    assert len(TOPICS) == 24
