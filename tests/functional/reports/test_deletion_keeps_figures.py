"""Deleting accounts leaves the coordinators' report figures as they were.

The scheme of the reports' tests (tests/functional/reports/helpers.py) is built, every figure of the
third quarter is taken, raw and as published, then three people delete their accounts: a doctor
whose mentoring ended in the quarter, one still being mentored, and one who withdrew a request.
Every figure for the quarter is the same afterwards. The only change is in today's places: the one
the active mentee held is free again (one fewer in use, one more mentor available), which is a true
change, not a lost count.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mentoring.auth.models import User
from mentoring.extensions import db
from mentoring.mentors.models import SupervisionSession
from mentoring.relationships.models import MentoringRelationship
from mentoring.relationships.session_models import SessionLog, SessionTopic
from mentoring.reports import bring, pool, uptake
from mentoring.reports.context import ReportContext
from mentoring.reports.disclosure import DisclosureRules
from mentoring.reports.filters import Group, ReportQuery
from mentoring.requests_.models import MentoringRequest
from tests.conftest import sign_in
from tests.factories import FACTORY_PASSWORD
from tests.functional.reports.helpers import (
    ACUTE,
    LONDON,
    ORGANISATIONS,
    Q3,
    TODAY,
    at,
    tables,
)

GROUPS = (None, Group("organisation", ACUTE), Group("career_stage_group", "training"))


def _ctx(group) -> ReportContext:
    return ReportContext(
        query=ReportQuery(period=Q3, group=group),
        rules=DisclosureRules(),
        today=TODAY,
        organisations=ORGANISATIONS,
        zone=LONDON,
    )


def raw_figures() -> dict:
    db.session.expire_all()
    figures = {}
    for group in GROUPS:
        ctx = _ctx(group)
        figures[str(group)] = {
            "outcomes": uptake.request_outcomes(ctx),
            "median": uptake.median_days_to_match(ctx),
            "relationships": uptake.relationship_counts(ctx),
            "topics": bring.request_topic_counts(ctx),
            "pool": pool.pool_counts(ctx),
            "models": pool.training_by_model(ctx),
            "supervision": pool.supervision(ctx),
        }
    return figures


def published() -> dict:
    db.session.expire_all()
    return {
        (str(group), key): table.as_text_rows()
        for group in GROUPS
        for key, table in tables(group).items()
        if key not in ("pool-capacity", "pool-mentors")
    }


def _log_sessions(relationship: MentoringRelationship) -> None:
    log = SessionLog(
        relationship_id=relationship.id,
        held_on=at(TODAY).date().replace(month=8, day=3),
        minutes=50,
        format="video",
        model="grow",
        topic_rows=[SessionTopic(topic="workload")],
    )
    log.summary = "What they talked about."
    log.reflection = "The mentor's own thoughts."
    db.session.add(log)


def _delete(app, user) -> None:
    response = sign_in(app.test_client(), user).post(
        "/account/delete", data={"understood": "y", "password": FACTORY_PASSWORD}
    )
    assert response.status_code == 302


@pytest.mark.usefixtures("scheme")
def test_report_figures_are_the_same_before_and_after_people_delete_their_accounts(app):
    ended = db.session.scalars(
        select(MentoringRelationship).where(MentoringRelationship.status == "closed")
    ).first()
    active = db.session.scalars(
        select(MentoringRelationship)
        .where(MentoringRelationship.status == "active")
        .order_by(MentoringRelationship.started_at)
    ).first()
    withdrawn = db.session.scalars(
        select(MentoringRequest).where(MentoringRequest.status == "withdrawn")
    ).first()
    for relationship in (ended, active):
        _log_sessions(relationship)
    db.session.commit()
    leaving = [ended.mentee, active.mentee, withdrawn.requester]
    figures, tables_before = raw_figures(), published()
    places_before = pool.capacity(_ctx(None))

    for person in leaving:
        _delete(app, person)

    after = raw_figures()
    # Today's free places are not a period figure: the active mentee's place is free again.
    freed = after["None"]["pool"].pop("available") - figures["None"]["pool"].pop("available")
    assert freed == 1
    for group in figures:
        after[group]["pool"].pop("available", None)
        figures[group]["pool"].pop("available", None)
    assert after == figures
    assert published() == tables_before
    counted, offered, used = pool.capacity(_ctx(None))
    assert (counted, offered, used) == (places_before[0], places_before[1], places_before[2] - 1)
    # The deletions did erase: the two relationships' notes are gone from the rows.
    db.session.expire_all()
    logs = db.session.scalars(
        select(SessionLog).where(SessionLog.relationship_id.in_([ended.id, active.id]))
    ).all()
    assert len(logs) >= 2
    assert {(log.summary_sealed, log.reflection_sealed) for log in logs} == {(None, None)}


@pytest.mark.usefixtures("scheme")
def test_a_mentor_who_leaves_still_counts_in_the_supervision_held_that_quarter(app):
    """Supervision entries are kept when a mentor leaves so that totals hold: they must count."""
    mentor_id = db.session.scalars(
        select(SupervisionSession.mentor_id).order_by(SupervisionSession.mentor_id)
    ).first()
    before = pool.supervision(_ctx(None))
    assert before[0] > 0

    _delete(app, db.session.get(User, mentor_id))

    db.session.expire_all()
    assert pool.supervision(_ctx(None)) == before
