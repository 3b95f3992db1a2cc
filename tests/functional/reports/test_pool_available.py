"""The pool's "available for a new mentee" is the matching rule's, for each period's last day.

The pool reads mentors who are available but for a pause once, and tests each day's pause on the
mentor's profile, instead of running `available_mentors(on=day)` for every day of the family. The
counts must be those of `available_mentors` itself, however mentors are paused.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from mentoring.auth.models import User
from mentoring.extensions import db as _db
from mentoring.mentors.models import MentorProfile
from mentoring.mentors.queries import available_mentors
from mentoring.permissions import Role
from mentoring.reports.context import ReportContext
from mentoring.reports.disclosure import DisclosureRules
from mentoring.reports.filters import Group, Period, ReportQuery
from mentoring.reports.pool import pool_figures
from tests.factories import make_profile, make_training_record, make_user
from tests.functional.reports.helpers import ACUTE, LONDON, ORGANISATIONS


def _mentor(*, profile: dict | None = None, training: str | None = "verified", **user):
    mentor = make_user(roles=[Role.MENTOR], **user)
    if training:
        make_training_record(mentor, status=training, completed_on=date(2025, 1, 10))
    if profile is not None:
        places_taken = profile.pop("places_taken", 0)
        organisation = profile.pop("organisation", ACUTE)
        made = make_profile(mentor, **profile)
        made.organisation = organisation
        made.places_taken = places_taken
    return mentor


@pytest.fixture
def mentors(db):
    for organisation in (ACUTE, ORGANISATIONS[3], "Riverside Hospitals"):
        _mentor(profile={"organisation": organisation})
        _mentor(profile={"organisation": organisation, "paused": True})  # no return date
        # Back on 5 November: paused on October's last day, not on November's.
        _mentor(
            profile={
                "organisation": organisation,
                "paused": True,
                "paused_until": date(2026, 11, 5),
            }
        )
        # Back after the quarter.
        _mentor(
            profile={"organisation": organisation, "paused": True, "paused_until": date(2027, 1, 4)}
        )
        # Not paused, an old return date left behind.
        _mentor(
            profile={
                "organisation": organisation,
                "paused": False,
                "paused_until": date(2026, 12, 1),
            }
        )
    # Back on a period's last day (October's; November's while it runs, on the 18th), or the day
    # after it.
    for back in (date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 18), date(2026, 11, 19)):
        _mentor(profile={"paused": True, "paused_until": back})
    _mentor(profile={"capacity": 1, "places_taken": 1})  # no place left
    _mentor(profile={}, training="awaiting")  # training not verified
    _mentor(profile={"windows": ()})  # profile not complete
    _mentor(profile={}, disabled=True)
    _mentor(profile={}, confirmed=False)
    _mentor(profile=None)
    _mentor(profile={"paused": True, "paused_until": date(2026, 10, 31)}, training=None)
    _db.session.commit()


def _available_on(day: date, organisation: str | None = None) -> int:
    """`available_mentors(on=day)` counted as matching reads it."""
    query = available_mentors(on=day).with_only_columns(User.id).order_by(None)
    if organisation is not None:
        query = query.where(MentorProfile.organisation == organisation)
    return _db.session.scalar(select(func.count()).select_from(query.subquery()))


@pytest.mark.parametrize(
    "today", [date(2026, 11, 18), date(2026, 11, 5), date(2026, 12, 31), date(2027, 1, 20)]
)
def test_available_mentors_are_the_matching_rules_on_each_periods_last_day(mentors, app, today):
    quarter = Period(today.year, quarter=(today.month - 1) // 3 + 1)
    ctx = ReportContext(
        query=ReportQuery(period=quarter, group=None),
        rules=DisclosureRules(),
        today=today,
        organisations=ORGANISATIONS,
        zone=LONDON,
    )
    figures = pool_figures(ctx)
    seen = set()
    for period in ctx.family.periods:
        day = period.last_day_for(today)
        seen.add(_available_on(day))
        assert figures.true(None, period, "available") == _available_on(day)
        for organisation in (ACUTE, ORGANISATIONS[3]):
            group = Group("organisation", organisation)
            assert figures.true(group, period, "available") == _available_on(day, organisation)
    assert seen - {0}
