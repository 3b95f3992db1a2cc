"""Sessions, endings, feedback, topics in sessions and signposting, worked out by hand.

The scheme is described in `helpers`. In the third quarter of 2026, 15 relationships were under
way (12 acute, 2 GP, the June one) and 13 of them met (all 12 acute and the first GP pair).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest

from mentoring.extensions import db as _db
from mentoring.reports.context import WITHHELD, ReportContext
from mentoring.reports.disclosure import DisclosureRules
from mentoring.reports.endings import FEEDBACK_NOT_BY_GROUP
from mentoring.reports.filters import Group, Period, ReportQuery
from mentoring.reports.sessions import band_counts, months_begun
from tests.factories import make_user
from tests.functional.reports.helpers import (
    ACUTE,
    LONDON,
    PCN,
    TODAY,
    at,
    feedback,
    matched,
    rows,
    session,
    tables,
)

OCTOBER = Period(2026, month=10)

# --- sessions -------------------------------------------------------------------------------------


def test_sessions_by_month(scheme):
    # Sessions: July 3, August 3 + 9 + 1 = 13, September 3 + 9 = 12 (30 September is in; the
    # June pair's 30 June and 1 October are not). July's 3 is hidden and September's 12, the next
    # smallest, beside it; the total is 5 + 15 + 10. Relationships that met: 3, 13, 12; 13 in all.
    assert rows(tables()["sessions-by-month"]) == [
        ["July 2026", "*", "*"],
        ["August 2026", "15", "15"],
        ["September 2026", "*", "10"],
        ["The whole period", "30", "15"],
    ]


def test_sessions_by_month_for_one_organisation(scheme):
    # Acute only: 3, 12, 12. July is hidden, then August (the first of two equal smallest).
    assert rows(tables(Group("organisation", ACUTE))["sessions-by-month"]) == [
        ["July 2026", "*", "*"],
        ["August 2026", "*", "10"],
        ["September 2026", "10", "10"],
        ["The whole period", "25", "10"],
    ]


def test_sessions_per_relationship_in_bands(scheme):
    # Under way: 15. None: the second GP pair and the June pair (2); one: the first GP pair (1);
    # two: 9; three to five: 3. All but the 9 are hidden; no line has a single hidden figure.
    # Total 0 + 0 + 10 + 5 + 0 = 15.
    assert rows(tables()["sessions-per-relationship"]) == [
        ["No session in the period", "*", "*"],
        ["1 session", "*", "*"],
        ["2 sessions", "10", "67%"],
        ["3 to 5 sessions", "*", "*"],
        ["6 sessions or more", "0", "0%"],
        ["Relationships under way in the period", "15", "100%"],
    ]


def test_median_sessions_per_relationship(scheme):
    # In the period, over 15: 0 0 1 2 2 2 2 [2] 2 2 2 2 3 3 3. Whole life of the 3 that ended: too
    # few for a median.
    assert rows(tables()["sessions-medians"]) == [
        ["Median sessions in the period, per relationship under way", "2"],
        ["Median sessions over the whole relationship, for those that ended in the period", "*"],
    ]
    # Acute only: 13 under way (the June pair had none in the quarter): 0, nine 2s, three 3s.
    acute = tables(Group("organisation", ACUTE))
    assert rows(acute["sessions-per-relationship"])[:2] == [
        ["No session in the period", "*", "*"],
        ["1 session", "0", "0%"],
    ]
    assert rows(acute["sessions-medians"])[0][1] == "2"


def test_a_group_with_one_pair_meeting_shows_only_a_message(scheme):
    pcn = tables(Group("organisation", PCN))
    for key in (
        "sessions-by-month",
        "sessions-per-relationship",
        "bring-session-topics",
        "bring-signposting",
    ):
        assert pcn[key].withheld == WITHHELD, key
    assert "sessions-medians" not in pcn


# --- topics in sessions and signposting -----------------------------------------------------------


def test_topics_in_sessions_counted_over_relationships(scheme):
    table = tables()["bring-session-topics"]
    # Of the 13 pairs that met (15): career development 9 -> 10 (67%); then the hidden ones in
    # seed 003's order: work-life balance 1, workload 3, stress 3. Bullying came up only outside.
    assert rows(table)[:4] == [
        ["Career development", "10", "67%"],
        ["Work-life balance", "*", "*"],
        ["Workload", "*", "*"],
        ["Stress", "*", "*"],
    ]
    assert rows(table)[4] == ["Assessments and education", "0", "0%"]
    assert ["Bullying or harassment", "0", "0%"] in rows(table)
    assert rows(table)[-1] == ["Relationships that met in the period", "15", "100%"]
    assert len(rows(table)) == 25


def test_kinds_of_signposting(scheme):
    table = tables()["bring-signposting"]
    # Occupational health: 9 pairs -> 10; GP: 1 -> hidden. The confidential service was outside.
    assert rows(table)[:3] == [
        ["Occupational health", "10", "67%"],
        ["GP", "*", "*"],
        ["A confidential support service for doctors", "0", "0%"],
    ]
    assert len(rows(table)) == 10
    assert rows(table)[-1] == ["Relationships that met in the period", "15", "100%"]


# --- endings and feedback -------------------------------------------------------------------------


def test_three_endings_show_only_a_message(scheme):
    assert tables()["endings-reasons"].withheld == WITHHELD


def test_mentee_feedback_in_the_quarter(scheme):
    found = tables()
    # Very helpful 10, helpful 6 (hidden), somewhat 0, not very 2 (hidden), not at all 0.
    # Total 10 + 5 + 0 + 0 + 0 = 15. June's and October's feedback is outside the quarter.
    assert rows(found["endings-helpfulness"]) == [
        ["Very helpful", "10", "67%"],
        ["Helpful", "*", "*"],
        ["Somewhat helpful", "0", "0%"],
        ["Not very helpful", "*", "*"],
        ["Not helpful", "0", "0%"],
        ["Feedback given in the period", "15", "100%"],
    ]
    # Would recommend 14 -> 15; would not 2 and did not say 2, both hidden; total 15 + 0 + 0.
    assert rows(found["endings-recommend"]) == [
        ["Would recommend mentoring", "15", "100%"],
        ["Would not recommend mentoring", "*", "*"],
        ["Did not say", "*", "*"],
        ["Feedback given in the period", "15", "100%"],
    ]


def test_feedback_is_never_shown_for_a_group(scheme):
    acute = tables(Group("organisation", ACUTE))
    assert acute["endings-helpfulness"].withheld == FEEDBACK_NOT_BY_GROUP
    assert acute["endings-recommend"].withheld == FEEDBACK_NOT_BY_GROUP


@pytest.fixture
def october_endings(scheme):
    """15 more acute relationships, begun on 1 June, that ended in October.

    Reasons: goals met 9, planned sessions done 4, not a good fit 1, none recorded 1 (the one
    that ended at 23:30 UTC on 30 September: 00:30 on 1 October in London). Sessions over their
    whole life: 1 1 2 2 2 3 3 3 3 4 4 5 6 6 6.
    """
    mentor = make_user()
    reasons = ["goals_met"] * 9 + ["planned_sessions_done"] * 4 + ["not_a_good_fit", None]
    sessions = [1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 6, 6, 6]
    for reason, count in zip(reasons, sessions, strict=True):
        ended = (
            datetime(2026, 9, 30, 23, 30, tzinfo=UTC) if reason is None else at(date(2026, 10, 15))
        )
        relationship = matched(
            at(date(2026, 5, 1)), 31, mentor, ended=ended, ending_reason=reason, ended_by="mentor"
        )
        for week in range(count):
            session(relationship, date(2026, 6, 10 + week * 3))
    feedback(date(2026, 10, 1), 5, True, times=3)
    _db.session.commit()


def test_why_relationships_ended(october_endings):
    # [9, 4, 0, 0, 1, 0, 0, 1]: only goals met is shown (10, of 10 + 5 + 0 + 0 = 15).
    assert rows(tables(period=OCTOBER)["endings-reasons"]) == [
        ["The mentee's goals were met", "10", "67%"],
        ["The planned sessions are complete", "*", "*"],
        ["The mentee has moved on or no longer needs mentoring", "0", "0%"],
        ["Other support fits better now", "0", "0%"],
        ["The match was not a good fit", "*", "*"],
        ["The mentor can no longer continue", "0", "0%"],
        ["Another reason", "0", "0%"],
        ["No reason given", "*", "*"],
        ["Relationships ended in the period", "15", "100%"],
    ]


def test_median_sessions_over_the_whole_of_relationships_that_ended(october_endings):
    medians = rows(tables(period=OCTOBER)["sessions-medians"])
    assert medians[1] == [
        "Median sessions over the whole relationship, for those that ended in the period",
        "3",
    ]


def test_june_bands_count_six_sessions_as_six_or_more(october_endings):
    # In June the 15 began on 1 June and met 1 1 2 2 2 3 3 3 3 4 4 5 6 6 6 times; the June pair
    # met once (30 June). True counts, before protection: every band is small, so all are hidden.
    june = Period(2026, month=6)
    ctx = ReportContext(
        query=ReportQuery(period=june, group=None),
        rules=DisclosureRules(),
        today=TODAY,
        organisations=(),
        zone=LONDON,
    )
    assert band_counts(ctx) == {"one": 3, "two": 3, "three_to_five": 7, "six_or_more": 3}
    # Published: all hidden; they round to 5 + 5 + 5 + 5 = 20, more than 7, so the total shows.
    assert [row[1] for row in rows(tables(period=june)["sessions-per-relationship"])] == [
        "0",
        "*",
        "*",
        "*",
        "*",
        "20",
    ]


def test_four_pieces_of_feedback_in_a_month_show_only_a_message(october_endings):
    october = tables(period=OCTOBER)
    assert october["endings-helpfulness"].withheld == WITHHELD
    assert october["endings-recommend"].withheld == WITHHELD


# --- period boundaries ----------------------------------------------------------------------------


def test_a_request_late_on_31_march_in_summer_time_counts_in_april(db):
    late = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)  # 00:30 on 1 April in London (BST)
    for _ in range(10):
        matched(late, 2, make_user())
    _db.session.commit()
    assert rows(tables(period=Period(2026, month=4))["uptake-requests"])[-1] == [
        "Requests made",
        "10",
        "100%",
    ]
    assert rows(tables(period=Period(2026, month=3))["uptake-requests"])[-1] == [
        "Requests made",
        "0",
        "-",
    ]


def test_april_runs_from_midnight_to_midnight_in_london():
    assert Period(2026, month=4).bounds_in(LONDON) == (
        datetime(2026, 3, 31, 23, tzinfo=UTC),
        datetime(2026, 4, 30, 23, tzinfo=UTC),
    )
    # In winter, London is on UTC.
    assert Period(2026, quarter=1).bounds_in(LONDON)[0] == datetime(2026, 1, 1, tzinfo=UTC)


# --- CSV ------------------------------------------------------------------------------------------

NEW_TABLES = (
    "sessions-by-month",
    "sessions-per-relationship",
    "sessions-medians",
    "endings-reasons",
    "endings-helpfulness",
    "endings-recommend",
    "bring-session-topics",
    "bring-signposting",
)


@pytest.mark.parametrize("key", NEW_TABLES)
def test_csv_is_exactly_the_table_on_the_page(scheme, coordinator, key):
    response = coordinator.get(f"/reports/{key}.csv?period=2026-Q3&group=all")
    assert response.status_code == 200
    published = list(csv.reader(io.StringIO(response.text)))
    assert published == tables()[key].as_text_rows()
    page = coordinator.get("/reports/?period=2026-Q3").text
    for row in published[1:]:
        assert all(f">{cell}</" in page for cell in row), row


def test_csv_of_feedback_for_a_group_is_the_message(scheme, coordinator):
    response = coordinator.get(
        f"/reports/endings-helpfulness.csv?period=2026-Q3&group=organisation:{ACUTE}"
    )
    assert list(csv.reader(io.StringIO(response.text))) == [["Message"], [FEEDBACK_NOT_BY_GROUP]]


def test_a_running_quarter_lists_only_the_months_begun():
    ctx = ReportContext(
        query=ReportQuery(period=Period(2026, quarter=4), group=None),
        rules=DisclosureRules(),
        today=date(2026, 11, 22),
        organisations=(),
        zone=LONDON,
    )
    assert [month.label for month in months_begun(ctx)] == ["October 2026", "November 2026"]
