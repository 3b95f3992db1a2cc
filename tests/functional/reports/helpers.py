"""A small, fixed scheme whose every report figure is worked out by hand in the tests.

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
- Sessions (see `_sessions`): the 3 acute relationships that ended met on 15 July (workload and
  stress; one signposted to a GP), 12 August and 9 September (workload); the other 9 acute
  relationships met on 20 August (career development, signposted to occupational health) and 30
  September (career development); the first GP relationship met on 10 August (work-life balance),
  the second not at all. The June relationship met on 30 June and 1 October (bullying, signposted
  to a confidential service for doctors), both outside the quarter; the October one on 6 October.
- The 3 endings: goals met (2, by the mentor), no reason given (1, by the mentee).
- Mentee feedback given in September: very helpful 10 (all would recommend), helpful 6 (2 would
  recommend, 2 would not, 2 did not say), not very helpful 2 (both would recommend); and one each
  in June and October, outside the quarter.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from mentoring.checkins.models import CheckIn, CheckInTopic
from mentoring.extensions import db as _db
from mentoring.mentors.models import MentorProfile
from mentoring.permissions import Role
from mentoring.relationships.models import MenteeFeedback, MentoringRelationship
from mentoring.relationships.session_models import SessionLog, SessionSignpost, SessionTopic
from mentoring.reports.context import ReportContext
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


def matched(
    created: datetime,
    days: int,
    mentor,
    *,
    ended: datetime | None = None,
    ending_reason: str | None = None,
    ended_by: str | None = None,
    **fields,
) -> MentoringRelationship:
    matched_at = created + timedelta(days=days)
    request = _request(created=created, status="matched", matched_at=matched_at, **fields)
    relationship = MentoringRelationship(
        mentor_id=mentor.id,
        mentee_id=request.requester_id,
        request_id=request.id,
        status="closed" if ended else "active",
        started_at=matched_at,
        ended_at=ended,
        ending_reason=ending_reason,
        ended_by=ended_by,
    )
    _db.session.add(relationship)
    return relationship


def session(relationship, held_on: date, topics=(), signposts=()) -> None:
    """A session log as reports see it: its date and plain columns (no notes)."""
    _db.session.add(
        SessionLog(
            relationship_id=relationship.id,
            held_on=held_on,
            minutes=50,
            format="video",
            model="grow",
            topic_rows=[SessionTopic(topic=t) for t in topics],
            signpost_rows=[SessionSignpost(kind=k) for k in signposts],
        )
    )


def feedback(month: date, helpfulness: int, would_recommend: bool | None, times: int = 1) -> None:
    for _ in range(times):
        _db.session.add(
            MenteeFeedback(month=month, helpfulness=helpfulness, would_recommend=would_recommend)
        )


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


def build_scheme():
    mentors = _mentors()
    matching = mentors[:8]  # verified, not paused: relationships go round them
    turn = iter(range(100))

    def next_mentor():
        return matching[next(turn) % len(matching)]

    start = at(date(2026, 7, 6))
    endings = {1: ("goals_met", "mentor"), 2: ("goals_met", "mentor"), 3: ("not_given", "mentee")}
    acute = []
    for days in range(1, 13):
        reason, by = endings.get(days, (None, None))
        acute.append(
            matched(
                start,
                days,
                next_mentor(),
                ended=at(date(2026, 9, 20)) if reason else None,
                ending_reason=reason,
                ended_by=by,
                topics=("workload", "stress"),
            )
        )
    for _ in range(10):
        _request(created=start, status="withdrawn", withdrawn_at=start + timedelta(days=5))
    for needs in (True, True, False):
        _request(created=start, needs_coordinator=needs)
    october = matched(at(date(2026, 9, 1)), 34, next_mentor())  # matched on 5 October
    gps = [
        matched(
            start,
            days,
            next_mentor(),
            organisation=PCN,
            career_stage="gp",
            specialty="general_practice",
            topics=("career_development",),
        )
        for days in (20, 30)
    ]
    june = matched(at(date(2026, 6, 1)), 3, next_mentor())  # the June request
    _sessions(acute, gps, june, october)
    _feedback()
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


def _sessions(acute, gps, june, october) -> None:
    for index, relationship in enumerate(acute[:3]):
        session(
            relationship,
            date(2026, 7, 15),
            topics=("workload", "stress"),
            signposts=("gp",) if index == 0 else (),
        )
        session(relationship, date(2026, 8, 12), topics=("workload",))
        session(relationship, date(2026, 9, 9), topics=("workload",))
    for relationship in acute[3:]:
        session(
            relationship,
            date(2026, 8, 20),
            topics=("career_development",),
            signposts=("occupational_health",),
        )
        session(relationship, date(2026, 9, 30), topics=("career_development",))
    session(gps[0], date(2026, 8, 10), topics=("work_life_balance",))
    for day in (date(2026, 6, 30), date(2026, 10, 1)):
        session(
            june,
            day,
            topics=("bullying_harassment",),
            signposts=("doctors_confidential_service",),
        )
    session(october, date(2026, 10, 6), topics=("morale",))


def _feedback() -> None:
    september = date(2026, 9, 1)
    feedback(september, 5, True, times=10)
    for answer in (True, False, None):
        feedback(september, 4, answer, times=2)
    feedback(september, 2, True, times=2)
    feedback(date(2026, 6, 1), 3, True)
    feedback(date(2026, 10, 1), 1, False)


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
