"""Uptake, requests' topics, the mentor pool and well-being against figures worked out by hand.

The scheme these figures come from is described in `helpers`.
"""

from __future__ import annotations

import csv
import io

import pytest

from mentoring.extensions import db as _db
from mentoring.permissions import Role
from mentoring.relationships.models import MentoringRelationship
from mentoring.relationships.session_models import SessionLog
from mentoring.reports.context import WITHHELD
from mentoring.reports.filters import Group
from mentoring.requests_.models import MentoringRequest
from tests.functional.reports.helpers import ACUTE, PCN, rows, tables

# --- uptake ---------------------------------------------------------------------------------------


def test_requests_by_outcome_for_everyone(scheme):
    # True: matched 14, withdrawn 10, unmatched 4 (3 open + 1 matched after the quarter).
    # 4 is hidden; withdrawn (the next smallest) is hidden with it; total 15 + 10 + 5 = 30.
    assert rows(tables()["uptake-requests"]) == [
        ["Matched with a mentor by the end of the period", "15", "50%"],
        ["Withdrawn by the doctor", "*", "*"],
        ["Still unmatched at the end of the period", "*", "*"],
        ["Requests made", "30", "100%"],
    ]


def test_median_days_to_match_and_requests_waiting(scheme):
    # Days 1..12, 20, 30: the 7th and 8th of 14 are 7 and 8. Two wait for a coordinator: hidden.
    assert rows(tables()["uptake-matching"]) == [
        ["Median days from request to match", "7.5"],
        ["Unmatched requests from the period waiting for a coordinator now", "*"],
    ]


def test_relationships_begun_ended_and_active(scheme):
    # Begun in Q3: 14 -> 15. Ended: 3 -> *. Active on 30 September: 11 of Q3's + June's = 12 -> 10.
    assert rows(tables()["uptake-relationships"]) == [
        ["Begun in the period", "15"],
        ["Ended in the period", "*"],
        ["Active at the end of the period", "10"],
    ]


def test_uptake_for_one_organisation(scheme):
    acute = tables(Group("organisation", ACUTE))
    # 12 matched -> 10, 10 withdrawn -> 10 (then hidden beside the 4), total 10 + 10 + 5 = 25.
    assert rows(acute["uptake-requests"]) == [
        ["Matched with a mentor by the end of the period", "10", "40%"],
        ["Withdrawn by the doctor", "*", "*"],
        ["Still unmatched at the end of the period", "*", "*"],
        ["Requests made", "25", "100%"],
    ]
    assert rows(acute["uptake-matching"])[0] == ["Median days from request to match", "6.5"]


def test_a_group_of_two_requests_shows_only_a_message(scheme):
    pcn = tables(Group("organisation", PCN))
    assert pcn["uptake-requests"].withheld == WITHHELD
    assert pcn["bring-request-topics"].withheld == WITHHELD
    assert pcn["uptake-relationships"].withheld == WITHHELD
    # The career stage group of the same people is refused too; another group of 26 is not.
    assert tables(Group("career_stage_group", "gp"))["uptake-requests"].withheld
    assert not tables(Group("career_stage_group", "training"))["uptake-requests"].withheld


# --- what people bring ----------------------------------------------------------------------------


def test_topics_in_requests_most_frequent_first(scheme):
    table = tables()["bring-request-topics"]
    # Workload 26 -> 25 of 30 (83%); stress 12 -> 10 (33%); career development 2 -> hidden.
    assert rows(table)[:3] == [
        ["Workload", "25", "83%"],
        ["Stress", "10", "33%"],
        ["Career development", "*", "*"],
    ]
    # Then every other topic at 0, in seed 003's order, and the requests made.
    assert rows(table)[3] == ["Work-life balance", "0", "0%"]
    assert rows(table)[-1] == ["All requests", "30", "100%"]
    assert len(rows(table)) == 25


# --- mentor pool ----------------------------------------------------------------------------------


def test_mentor_pool_counts(scheme):
    # 12 mentors; 11 trained; 10 verified; available: 8 verified and not paused, of whom 5 have
    # both places taken by the 13 relationships active now -> 3; paused 2; refreshers overdue 2
    # (trained 2023); due within 180 days of 30 September 2026: the 8 trained January 2024.
    assert rows(tables()["pool-mentors"]) == [
        ["Mentors (hold the mentor role)", "10", "100%"],
        ["Have recorded mentor training", "10", "100%"],
        ["Have verified training", "10", "100%"],
        ["Available for a new mentee", "*", "*"],
        ["Paused", "*", "*"],
        ["Refresher training overdue", "*", "*"],
        ["Refresher training due within the notice period", "10", "100%"],
    ]


def test_capacity_training_models_and_supervision(scheme):
    found = tables()
    # 8 verified, not paused; 2 places each = 16 -> 15; 13 in use -> 15; 15 of 15.
    assert rows(found["pool-capacity"]) == [
        ["Mentors counted", "10"],
        ["Places offered", "15"],
        ["Places taken", "15"],
        ["Share of places taken", "100%"],
    ]
    assert rows(found["pool-models"]) == [
        ["Egan Skilled Helper", "0"],
        ["GROW", "10"],
        ["CLEAR", "*"],
        ["OSKAR", "0"],
        ["Another model", "0"],
    ]
    # 9 mentors, 9 sessions, 9 hours -> 10 each.
    assert rows(found["pool-supervision"]) == [
        ["Mentors who had supervision", "10"],
        ["Sessions", "10"],
        ["Hours", "10"],
    ]


def test_pool_for_a_group_with_no_mentors_is_zero_not_withheld(scheme):
    assert rows(tables(Group("organisation", PCN))["pool-mentors"])[0] == [
        "Mentors (hold the mentor role)",
        "0",
        "-",
    ]


# --- well-being -----------------------------------------------------------------------------------


def test_check_ins_by_week(scheme):
    table = tables()["wellbeing-by-week"]
    by_label = {row[0]: row[1:] for row in rows(table)}
    assert len(by_label) == 14  # weeks 27 to 39, and All
    # Week 31's 3 are hidden, so week 30's 10 is hidden beside them; medians need 8 people.
    assert by_label["Week 30, from 20 Jul 2026"] == ["*", "56", "*", "*", "*", "*"]
    assert by_label["Week 31, from 27 Jul 2026"] == ["*", "*", "*", "*", "*", "*"]
    assert by_label["Week 27, from 29 Jun 2026"] == ["0", "-", "0", "-", "0", "-"]
    # 13 check-ins -> 10 + 5 = 15; median of all 13 scores is 52; 5 at 50 or below: hidden.
    assert by_label["All"] == ["15", "52", "*", "*", "*", "*"]


def test_check_ins_by_group_and_topics(scheme):
    found = tables()
    stages = {row[0]: row[1:] for row in rows(found["wellbeing-by-career-stage-group"])}
    assert stages["Core or specialty training"][:2] == ["*", "56"]
    assert stages["Consultant"][:2] == ["*", "*"]
    assert stages["Foundation training"][:2] == ["0", "-"]
    assert rows(found["wellbeing-topics"])[:2] == [
        ["Workload", "10", "67%"],
        ["Bullying or harassment", "*", "*"],
    ]
    # Filtered to one organisation, the table by organisation is left out.
    assert "wellbeing-by-organisation" not in tables(Group("organisation", ACUTE))


def test_a_small_group_of_check_ins_shows_only_a_message(scheme):
    assert tables(Group("specialty_group", "surgical"))["wellbeing-by-week"].withheld == WITHHELD


# --- pages, CSV and bad input ---------------------------------------------------------------------


def test_dashboard_shows_every_section_and_links_to_no_record(scheme, coordinator):
    page = coordinator.get("/reports/?period=2026-Q3")
    assert page.status_code == 200
    text = page.text
    for heading in (
        "Uptake",
        "What people bring",
        "Sessions",
        "Endings and feedback",
        "Mentor pool",
        "Well-being check-ins",
    ):
        assert f">{heading}</h2>" in text
    assert "Not in reports yet" not in text
    links = [part.split('"')[0] for part in text.split('href="')[1:]]
    reachable = [link for link in links if link.startswith("/") and "/static/" not in link]
    for link in reachable:
        assert link.split("?")[0] in {
            "/",
            "/home",
            "/reports/",
            "/support",
            "/check-in",
            "/account",
            "/requests/queue",
        } or link.startswith(("/reports/", "/assets/", "/nhsuk/", "/support", "/auth")), link
    for model in (MentoringRequest, MentoringRelationship, SessionLog):
        for record in _db.session.query(model.id):
            assert record.id not in text


def test_csv_is_exactly_the_table_on_the_page(scheme, coordinator):
    response = coordinator.get("/reports/uptake-requests.csv?period=2026-Q3&group=all")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    published = list(csv.reader(io.StringIO(response.text)))
    assert published == tables()["uptake-requests"].as_text_rows()
    page = coordinator.get("/reports/?period=2026-Q3").text
    for row in published[1:]:
        assert all(f">{cell}</" in page for cell in row)


def test_csv_of_a_withheld_table_is_the_message(scheme, coordinator):
    response = coordinator.get(
        f"/reports/uptake-requests.csv?period=2026-Q3&group=organisation:{PCN}"
    )
    assert list(csv.reader(io.StringIO(response.text))) == [["Message"], [WITHHELD]]


@pytest.mark.parametrize(
    "query",
    [
        "period=2099-Q1",
        "period=2026-13",
        "period=last-week",
        "period=2026-07-01",
        "group=organisation:Nowhere",
        "group=department:Surgery",
        "period=2026-Q3&period=2026-Q2",
        "period=2026-Q3&since=2026-08-01",
        "group=%00",
        "period=%E2%80%AE2026-Q3",
    ],
)
def test_bad_input_gets_a_message_and_400(scheme, coordinator, query):
    page = coordinator.get(f"/reports/?{query}")
    assert page.status_code == 400
    if "%00" in query:
        # A NUL byte is refused for the whole site before any view sees it.
        assert "Sorry, there is a problem with that request" in page.text
    else:
        assert "There is a problem" in page.text
    assert "Uptake</h2>" not in page.text
    assert coordinator.get(f"/reports/uptake-requests.csv?{query}").status_code == 400


def test_unknown_table_is_404(coordinator):
    assert coordinator.get("/reports/nothing.csv").status_code == 404
    assert coordinator.get("/reports/uptake-nothing.csv").status_code == 404


def test_reports_are_in_the_navigation_only_for_those_who_may_read_them(login_as):
    assert 'href="/reports/"' in login_as(Role.COORDINATOR).get("/home").text
    assert 'href="/reports/"' in login_as(Role.ADMIN).get("/home").text
    assert 'href="/reports/"' not in login_as(Role.MENTOR).get("/home").text
