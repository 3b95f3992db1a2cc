"""Reporting periods and groups: fixed months and quarters, one coarse group, nothing else."""

from __future__ import annotations

from datetime import date

import pytest

from mentoring.reports.filters import (
    BadReportRequest,
    Group,
    Period,
    parse_report_query,
    recent_periods,
)

TODAY = date(2026, 11, 22)
ORGS = ("Example Acute Hospitals NHS Trust", "Example Primary Care Network")


def parse(**args):
    return parse_report_query(
        {k: v if isinstance(v, list) else [v] for k, v in args.items()},
        today=TODAY,
        organisations=ORGS,
    )


def test_default_is_the_current_quarter_for_everyone():
    query = parse()
    assert query.period == Period(2026, quarter=4)
    assert query.group is None


def test_months_and_quarters_have_fixed_bounds():
    assert Period(2026, month=12).start == date(2026, 12, 1)
    assert Period(2026, month=12).end == date(2027, 1, 1)
    assert Period(2026, quarter=1).end == date(2026, 4, 1)
    assert Period(2026, quarter=4).label == "October to December 2026 (quarter 4)"
    assert [p.key for p in Period(2026, quarter=2).months()] == ["2026-04", "2026-05", "2026-06"]


def test_a_week_belongs_to_the_month_of_its_thursday():
    # 1 October 2026 is a Thursday: week 40 (28 Sep - 4 Oct) is October's.
    assert Period(2026, month=10).iso_weeks()[0] == (2026, 40)
    assert Period(2026, month=9).iso_weeks()[-1] == (2026, 39)
    # 2026 has 53 ISO weeks; the last is December's.
    assert Period(2026, month=12).iso_weeks()[-1] == (2026, 53)
    assert Period(2027, month=1).iso_weeks()[0] == (2027, 1)


def test_groups_are_single_and_known():
    assert parse(group="career_stage_group:consultant").group == Group(
        "career_stage_group", "consultant"
    )
    assert parse(group=f"organisation:{ORGS[1]}").group.label == ORGS[1]
    assert parse(group="all").group is None


@pytest.mark.parametrize(
    "args",
    [
        {"period": "2026-12-01"},  # free dates are not periods
        {"period": "2026-13"},
        {"period": "2026-Q5"},
        {"period": "2027-01"},  # the future
        {"period": "2027-Q1"},
        {"period": "1999-Q1"},
        {"period": "2026-Q4' OR 1=1"},
        {"group": "organisation:Somewhere Else"},
        {"group": "career_stage_group:consultant,specialty_group:surgical"},
        {"group": "specialty:surgery"},  # precise specialties are never a report group
        {"period": ["2026-10", "2026-11"]},  # two periods at once
        {"group": ["organisation:" + ORGS[0], "specialty_group:surgical"]},
        {"from": "2026-10-01"},  # anything else in the query string
    ],
)
def test_anything_else_is_refused_with_a_message(args):
    with pytest.raises(BadReportRequest) as raised:
        parse(**args)
    assert raised.value.message


def test_the_menu_offers_recent_periods_and_nothing_in_the_future():
    offered = recent_periods(TODAY)
    assert offered[0] == Period(2026, quarter=4)
    assert Period(2026, month=11) in offered
    assert all(not period.is_future(TODAY) for period in offered)
