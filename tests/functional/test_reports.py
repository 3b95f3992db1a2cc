"""Every report figure against numbers worked out by hand from a small, fixed scheme.

The fixture, in the third quarter of 2026 (July to September):

- 26 requests from "Example Acute Hospitals NHS Trust" (core trainees in general medicine): 12
  matched after 1 to 12 days, 10 withdrawn, 3 still open (2 waiting for a coordinator) and 1
  matched only in October. All name workload; the 12 matched also name stress.
- 2 requests from "Example Primary Care Network" (GPs), matched after 20 and 30 days, naming
  career development.
- Outside the quarter: 1 request in June (matched in June, its relationship still active).
- Relationships: one per matched request, begun when matched; 3 of the July-September ones
  ended on 20 September.
- 12 mentors: 10 verified (2 trained in 2023, 8 in 2024; 3 also in CLEAR), 2 of those paused;
  1 trained but not verified; 1 with no training. 9 logged an hour of supervision in August.
- Check-ins: week 30, 10 from trainees in medicine at the acute trust with raw scores
  5 10 12 12 13 15 18 20 22 25 (all naming workload, 2 naming bullying); week 31, 3 from
  consultant surgeons at the primary care network with raw scores 6 13 20.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from mentoring.checkins.models import CheckIn, CheckInTopic
from mentoring.extensions import db as _db
from mentoring.mentors.models import MentorProfile
from mentoring.permissions import Role
from mentoring.relationships.models import MentoringRelationship
from mentoring.reports.context import WITHHELD, ReportContext
from mentoring.reports.disclosure import DisclosureRules
from mentoring.reports.filters import Group, Period, ReportQuery
from mentoring.reports.sections import build_dashboard
from mentoring.requests_.models import MentoringRequest, RequestTopic
from tests.factories import make_profile, make_supervision, make_training_record, make_user

ACUTE = "Example Acute Hospitals NHS Trust"
PCN = "Example Primary Care Network"
Q3 = Period(2026, quarter=3)
TODAY = date(2026, 11, 22)
LONDON = ZoneInfo("Europe/London")
ORGANISATIONS = (
    ACUTE,
    "Example Community and Mental Health NHS Trust",
    "Example University Hospitals NHS Foundation Trust",
    PCN,
)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _request(
    *,
    created: datetime,
    organisation=ACUTE,
    career_stage="core",
    specialty="general_medicine",
    topics=("workload",),
    status="open",
    **fields,
):
    person = make_user()
    request = MentoringRequest(
        requester_id=person.id,
        career_stage=career_stage,
        specialty=specialty,
        organisation=organisation,
        department="Medicine",
        status=status,
        created_at=created,
        topic_rows=[RequestTopic(topic=t) for t in topics],
        **fields,
    )
    _db.session.add(request)
    _db.session.flush()
    return request


def _matched(created: datetime, days: int, mentor, *, ended: datetime | None = None, **fields):
    matched_at = created + timedelta(days=days)
    request = _request(created=created, status="matched", matched_at=matched_at, **fields)
    _db.session.add(
        MentoringRelationship(
            mentor_id=mentor.id,
            mentee_id=request.requester_id,
            request_id=request.id,
            status="closed" if ended else "active",
            started_at=matched_at,
            ended_at=ended,
        )
    )
    return request


def _mentors():
    mentors = [make_user(roles=(Role.MENTOR,)) for _ in range(12)]
    verified, paused = mentors[:10], mentors[8:10]
    for index, mentor in enumerate(verified):
        trained_on = date(2023, 1, 1) if index < 2 else date(2024, 1, 1)
        models = ("grow", "clear") if index in (2, 3, 4) else ("grow",)
        make_training_record(mentor, completed_on=trained_on, models=models)
        make_profile(mentor, paused=mentor in paused)
    make_training_record(mentors[10], status="awaiting", completed_on=date(2026, 5, 1))
    for mentor in mentors[:9]:
        make_supervision(mentor, held_on=date(2026, 8, 12), minutes=60)

    return mentors


@pytest.fixture
def scheme(db):
    mentors = _mentors()
    matching = mentors[:8]  # verified, not paused: relationships go round them
    turn = iter(range(100))

    def next_mentor():
        return matching[next(turn) % len(matching)]

    start = at(date(2026, 7, 6))
    for days in range(1, 13):
        ended = at(date(2026, 9, 20)) if days <= 3 else None
        _matched(start, days, next_mentor(), ended=ended, topics=("workload", "stress"))
    for _ in range(10):
        _request(created=start, status="withdrawn", withdrawn_at=start + timedelta(days=5))
    for needs in (True, True, False):
        _request(created=start, needs_coordinator=needs)
    _matched(at(date(2026, 9, 1)), 34, next_mentor())  # matched on 5 October
    for days in (20, 30):
        _matched(
            start,
            days,
            next_mentor(),
            organisation=PCN,
            career_stage="gp",
            specialty="general_practice",
            topics=("career_development",),
        )
    _matched(at(date(2026, 6, 1)), 3, next_mentor())  # the June request
    for mentor in matching:  # what the services keep up to date: active mentees per mentor
        mentor_profile(mentor).places_taken = _db.session.scalar(
            select(func.count()).where(
                MentoringRelationship.mentor_id == mentor.id,
                MentoringRelationship.status == "active",
            )
        )

    for raw in (5, 10, 12, 12, 13, 15, 18, 20, 22, 25):
        topics = ["workload"] + (["bullying_harassment"] if raw in (5, 10) else [])
        _check_in(2026, 30, raw, "training", "medical", ACUTE, topics)
    for raw in (6, 13, 20):
        _check_in(2026, 31, raw, "consultant", "surgical", PCN, [])
    _db.session.commit()


def mentor_profile(mentor) -> MentorProfile:
    return _db.session.get(MentorProfile, mentor.id)


def _check_in(year, week, raw, stage, specialty, organisation, topics):
    answers = [min(5, raw - 5 * i) if raw - 5 * i > 0 else 0 for i in range(5)]
    assert sum(answers) == raw
    _db.session.add(
        CheckIn(
            iso_year=year,
            iso_week=week,
            career_stage_group=stage,
            specialty_group=specialty,
            organisation=organisation,
            raw_score=raw,
            **{f"item_{n}": a for n, a in enumerate(answers, start=1)},
            topics=[CheckInTopic(topic=t) for t in topics],
        )
    )


def tables(group: Group | None = None, period: Period = Q3) -> dict:
    ctx = ReportContext(
        query=ReportQuery(period=period, group=group),
        rules=DisclosureRules(),
        today=TODAY,
        organisations=ORGANISATIONS,
        zone=LONDON,
    )
    return {t.key: t for section in build_dashboard(ctx) for t in section.tables}


def rows(table) -> list[list[str]]:
    return table.as_text_rows()[1:]


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


@pytest.fixture
def coordinator(login_as):
    return login_as(Role.COORDINATOR)


def test_dashboard_shows_every_section_and_links_to_no_record(scheme, coordinator):
    page = coordinator.get("/reports/?period=2026-Q3")
    assert page.status_code == 200
    text = page.text
    for heading in ("Uptake", "What people bring", "Mentor pool", "Well-being check-ins"):
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
    for record in _db.session.query(MentoringRequest.id):
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
