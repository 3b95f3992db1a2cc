"""A week-by-week spread of anonymous check-ins for the demo scheme.

Created directly as anonymous rows, with no receipts: they stand for doctors who are not demo
accounts. Some group-week cells hold 8 or more check-ins and others 1 to 7, so reports have both
cells to show and cells to suppress.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from flask import current_app

from mentoring.checkins.models import CheckIn, CheckInTopic
from mentoring.core.vocabulary import TOPICS
from mentoring.extensions import db

WEEKS = 12

# (career stage group, specialty group, organisation index, check-ins per week at most)
_GROUPS = [
    ("training", "medical", 0, 14),  # large: usually 8 or more
    ("consultant", "surgical", 0, 11),
    ("foundation", "medical", 1, 9),
    ("sas", "anaesthetics_icu", 0, 5),  # small: always 1 to 7, suppressed in reports
    ("locally_employed_fellow", "emergency", 2, 4),
    ("gp", "general_practice", 3, 6),
    ("not_said", "not_said", -1, 3),
]


def demo_check_ins_create(*, today: date, seed: int = 8) -> int:
    rng = random.Random(seed)  # noqa: S311 - made-up demo answers, not a secret
    organisations = [*current_app.config["ORGANISATIONS"], "not_said"]
    topics = [value for value, _label in TOPICS]  # most frequent first
    created = 0
    for weeks_ago in range(1, WEEKS + 1):
        year, week, _ = (today - timedelta(weeks=weeks_ago)).isocalendar()
        for stage, specialty, org_index, most in _GROUPS:
            organisation = organisations[org_index % len(organisations)]
            for _ in range(rng.randint(max(1, most - 6), most)):
                mood = rng.choice((1, 2, 3, 3, 4))
                answers = [max(0, min(5, mood + rng.randint(-1, 1))) for _ in range(5)]
                chosen = rng.sample(topics[:14], k=rng.randint(0, 3))
                db.session.add(
                    CheckIn(
                        iso_year=year,
                        iso_week=week,
                        career_stage_group=stage,
                        specialty_group=specialty,
                        organisation=organisation,
                        **{f"item_{n}": answer for n, answer in enumerate(answers, start=1)},
                        raw_score=sum(answers),
                        topics=[
                            CheckInTopic(topic=topic, iso_year=year, iso_week=week)
                            for topic in chosen
                        ],
                    )
                )
                created += 1
    db.session.flush()
    return created
