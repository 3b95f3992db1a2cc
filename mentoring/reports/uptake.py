"""Uptake: requests made, matched, withdrawn and unmatched, time to match, relationships.

Requests are counted by the period they were made in, and followed to the period's end: matched by
then, withdrawn by then, or still unmatched. Those three add up to the requests made, so they are
protected as one column with its total. Relationships are grouped by the request that began them.
Sessions, endings and feedback have sections of their own (`sessions`, `endings`).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, case, func, or_, select

from mentoring.extensions import db
from mentoring.relationships.models import MentoringRelationship
from mentoring.reports.context import ReportContext
from mentoring.reports.disclosure import (
    protect_column,
    protect_count,
    protect_share,
    protect_summary,
)
from mentoring.reports.sql import group_condition, is_postgresql, medians
from mentoring.reports.tables import Section, Table, TableRow
from mentoring.requests_.models import LIVE_REQUEST_STATUSES, MentoringRequest


def in_group(ctx: ReportContext) -> ColumnElement[bool]:
    return group_condition(
        ctx.query.group,
        organisation=MentoringRequest.organisation,
        career_stage=MentoringRequest.career_stage,
        specialty=MentoringRequest.specialty,
        precise=True,
    )


def requests_made(ctx: ReportContext) -> list[ColumnElement[bool]]:
    return [
        MentoringRequest.created_at >= ctx.starts_at,
        MentoringRequest.created_at < ctx.ends_at,
        in_group(ctx),
    ]


def request_outcomes(ctx: ReportContext) -> dict[str, int]:
    """Requests made in the period, by what had become of them at its end: one query."""
    end = ctx.ends_at
    matched = and_(MentoringRequest.matched_at.is_not(None), MentoringRequest.matched_at < end)
    withdrawn = and_(
        MentoringRequest.withdrawn_at.is_not(None), MentoringRequest.withdrawn_at < end
    )
    outcome = case((matched, "matched"), (withdrawn, "withdrawn"), else_="unmatched")
    waiting = and_(
        ~matched,
        ~withdrawn,
        MentoringRequest.status.in_(LIVE_REQUEST_STATUSES),
        MentoringRequest.needs_coordinator.is_(True),
    )
    rows = db.session.execute(
        select(outcome, func.count(), func.sum(case((waiting, 1), else_=0)))
        .where(*requests_made(ctx))
        .group_by(outcome)
    ).all()
    counts = {"matched": 0, "withdrawn": 0, "unmatched": 0, "waiting_for_coordinator": 0}
    for name, n, waiting_n in rows:
        counts[name] = int(n)
        counts["waiting_for_coordinator"] += int(waiting_n or 0)
    return counts


def _days_to_match() -> ColumnElement:
    if is_postgresql():
        seconds = func.extract("epoch", MentoringRequest.matched_at - MentoringRequest.created_at)
        return seconds / 86400.0
    return func.julianday(MentoringRequest.matched_at) - func.julianday(MentoringRequest.created_at)


def median_days_to_match(ctx: ReportContext) -> float | None:
    end = ctx.ends_at
    return medians(
        _days_to_match(),
        source=MentoringRequest.__table__,
        conditions=[
            *requests_made(ctx),
            MentoringRequest.matched_at.is_not(None),
            MentoringRequest.matched_at < end,
        ],
    ).get(())


def ended_in_period(ctx: ReportContext) -> ColumnElement[bool]:
    return and_(
        MentoringRelationship.ended_at.is_not(None),
        MentoringRelationship.ended_at >= ctx.starts_at,
        MentoringRelationship.ended_at < ctx.ends_at,
    )


def under_way(ctx: ReportContext) -> ColumnElement[bool]:
    """Relationships under way at some time in the period: begun before its end, not ended before
    its start."""
    return and_(
        MentoringRelationship.started_at < ctx.ends_at,
        or_(
            MentoringRelationship.ended_at.is_(None),
            MentoringRelationship.ended_at >= ctx.starts_at,
        ),
    )


def relationship_counts(ctx: ReportContext) -> dict[str, int]:
    """Relationships begun, ended, and active at the end of the period; and all under way in it.

    Uptake and sessions both show them: one query per dashboard.
    """
    return ctx.once(_relationship_counts)


def _relationship_counts(ctx: ReportContext) -> dict[str, int]:
    start, end = ctx.starts_at, ctx.ends_at
    began = and_(MentoringRelationship.started_at >= start, MentoringRelationship.started_at < end)
    active = and_(
        MentoringRelationship.started_at < end,
        or_(MentoringRelationship.ended_at.is_(None), MentoringRelationship.ended_at >= end),
    )

    def total(condition: ColumnElement[bool]):
        return func.sum(case((condition, 1), else_=0))

    row = db.session.execute(
        select(total(began), total(ended_in_period(ctx)), total(active), total(under_way(ctx)))
        .select_from(MentoringRelationship)
        .join(MentoringRequest, MentoringRequest.id == MentoringRelationship.request_id)
        .where(in_group(ctx))
    ).one()
    began_n, ended_n, active_n, touched_n = (int(value or 0) for value in row)
    return {"began": began_n, "ended": ended_n, "active": active_n, "touched": touched_n}


OUTCOME_ROWS = (
    ("matched", "Matched with a mentor by the end of the period"),
    ("withdrawn", "Withdrawn by the doctor"),
    ("unmatched", "Still unmatched at the end of the period"),
)


def _requests_table(ctx: ReportContext, counts: dict[str, int]) -> Table:
    cells, total = protect_column([counts[key] for key, _ in OUTCOME_ROWS], ctx.rules)
    return Table(
        key="uptake-requests",
        caption="Requests made in the period",
        columns=["Outcome", "Requests", "Share of requests"],
        rows=[
            TableRow(text, [cell, protect_share(cell, total)])
            for (_key, text), cell in zip(OUTCOME_ROWS, cells, strict=True)
        ],
        total=TableRow("Requests made", [total, protect_share(total, total)]),
    )


def _matching_table(ctx: ReportContext, counts: dict[str, int]) -> Table:
    return Table(
        key="uptake-matching",
        caption="Time to match and requests waiting",
        columns=["Measure", "Figure"],
        rows=[
            TableRow(
                "Median days from request to match",
                [protect_summary(median_days_to_match(ctx), counts["matched"], ctx.rules)],
            ),
            TableRow(
                "Unmatched requests from the period waiting for a coordinator now",
                [protect_count(counts["waiting_for_coordinator"], ctx.rules)],
            ),
        ],
        chart_column=None,
    )


def _relationships_table(ctx: ReportContext) -> Table:
    counts = relationship_counts(ctx)
    if not ctx.rules.population_allows(counts["touched"]):
        return ctx.withheld_table("uptake-relationships", "Mentoring relationships")
    rows = (
        ("began", "Begun in the period"),
        ("ended", "Ended in the period"),
        ("active", "Active at the end of the period"),
    )
    return Table(
        key="uptake-relationships",
        caption="Mentoring relationships",
        columns=["Relationships", "Number"],
        rows=[TableRow(text, [protect_count(counts[key], ctx.rules)]) for key, text in rows],
        note="A relationship can be in more than one row (begun and ended in the same period).",
    )


def uptake_section(ctx: ReportContext) -> Section:
    section = Section(
        key="uptake",
        title="Uptake",
        intro="Requests for a mentor made in this period, what had become of them by its end, "
        "and the mentoring relationships under way.",
    )
    counts = request_outcomes(ctx)
    made = counts["matched"] + counts["withdrawn"] + counts["unmatched"]
    if ctx.rules.population_allows(made):
        section.tables += [_requests_table(ctx, counts), _matching_table(ctx, counts)]
    else:
        section.tables.append(ctx.withheld_table("uptake-requests", "Requests made in the period"))
    section.tables.append(_relationships_table(ctx))
    return section
