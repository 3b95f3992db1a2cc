"""The WHO-5 Well-Being Index (WHO, 1998 English version): its items, answers, score and meaning.

The five statements and six answer labels are part of the instrument and are shown exactly as
published. The raw score is the sum of the answers (0-25); times four it is the percentage score
(0-100). 50 or below indicates poor well-being; 28 or below suggests likely depression.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from mentoring.core.vocabulary import URGENT_TOPICS
from mentoring.directory.models import Severity

TIMEFRAME = "Over the last two weeks"

ITEMS: tuple[str, ...] = (
    "I have felt cheerful and in good spirits",
    "I have felt calm and relaxed",
    "I have felt active and vigorous",
    "I woke up feeling fresh and rested",
    "My daily life has been filled with things that interest me",
)

# Highest first, as the published form lays them out.
ANSWERS: tuple[tuple[int, str], ...] = (
    (5, "All of the time"),
    (4, "Most of the time"),
    (3, "More than half of the time"),
    (2, "Less than half of the time"),
    (1, "Some of the time"),
    (0, "At no time"),
)

POOR_WELL_BEING_AT_OR_BELOW = 50
LIKELY_DEPRESSION_AT_OR_BELOW = 28


class Band(StrEnum):
    GOOD = "good"
    POOR = "poor"
    VERY_LOW = "very_low"


def raw_score(answers: Iterable[int]) -> int:
    answers = list(answers)
    if len(answers) != len(ITEMS) or any(answer not in range(6) for answer in answers):
        raise ValueError("WHO-5 needs five answers, each 0 to 5")
    return sum(answers)


def percentage(raw: int) -> int:
    return raw * 4


def band(score: int) -> Band:
    if score <= LIKELY_DEPRESSION_AT_OR_BELOW:
        return Band.VERY_LOW
    if score <= POOR_WELL_BEING_AT_OR_BELOW:
        return Band.POOR
    return Band.GOOD


def severities_to_show(score: int, topics: Iterable[str]) -> list[Severity]:
    """Which kinds of service fit, in the order to show them.

    28 or below, or a topic that always calls for urgent help: urgent services first, then those
    for when you are struggling. 29 to 50: help for when you are struggling, with urgent help
    after it. Above 50: everyday support (with urgent help first if such a topic was chosen).
    """
    urgent_topic = bool(URGENT_TOPICS & set(topics))
    match band(score):
        case Band.VERY_LOW:
            return [Severity.URGENT, Severity.STRUGGLING]
        case Band.POOR:
            if urgent_topic:
                return [Severity.URGENT, Severity.STRUGGLING]
            return [Severity.STRUGGLING, Severity.URGENT]
        case _:
            if urgent_topic:
                return [Severity.URGENT, Severity.EVERYDAY]
            return [Severity.EVERYDAY]
