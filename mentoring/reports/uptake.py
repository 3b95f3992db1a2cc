"""Uptake: requests made, matched, withdrawn and unmatched, time to match, relationships.

Requests are counted by the period they were made in, and followed to the period's end: matched by
then, withdrawn by then, or still unmatched. Those three add up to the requests made, so they are
protected as one column with its total. Relationships are grouped by the request that began them.
Sessions, endings and feedback have sections of their own (`sessions`, `endings`).

Every count is read for its whole family (`family`: everyone and each group, the quarter and its
months) in one GROUP BY query and protected there, so that views cannot be differenced. The
requests made (additive over months) are one figure, shown alike by uptake and by the topics of
requests; the outcomes at each period's end are read for each period, as they do not add up over
months. Relationships begun and ended add up over months; those active at the end are the same for
a quarter as for its last month.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, case, func, or_, select

from mentoring.core.vocabulary import TOPICS
from mentoring.extensions import db
from mentoring.relationships.models import MentoringRelationship
from mentoring.reports.context import ReportContext
from mentoring.reports.disclosure import protect_share, protect_summary
from mentoring.reports.family import Figures, add_atoms, protect_family
from mentoring.reports.filters import Period
from mentoring.reports.sql import count_when, group_condition, group_keys, is_postgresql, medians
from mentoring.reports.tables import Section, Table, TableRow
from mentoring.requests_.models import LIVE_REQUEST_STATUSES, MentoringRequest, RequestTopic

TOPIC = "topic:"  # a topic's row among a family's figures


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


OUTCOMES = ("matched", "withdrawn", "unmatched")
REQUEST_ROWS = (*OUTCOMES, "made", "waiting_for_coordinator")


def request_keys(ctx: ReportContext) -> list[ColumnElement]:
    return group_keys(
        organisation=MentoringRequest.organisation,
        career_stage=MentoringRequest.career_stage,
        specialty=MentoringRequest.specialty,
        organisations=ctx.organisations,
    )


# What a request's groups are read from. A family's queries group by these columns and add up rows
# that fall in the same groups: PostgreSQL does not match the groups' CASE expressions in GROUP BY.
REQUEST_COLUMNS = (
    MentoringRequest.organisation,
    MentoringRequest.career_stage,
    MentoringRequest.specialty,
)


def made_in(ctx: ReportContext, period: Period) -> ColumnElement[bool]:
    start, end = period.bounds_in(ctx.zone)
    return and_(MentoringRequest.created_at >= start, MentoringRequest.created_at < end)


def request_figures(ctx: ReportContext) -> Figures:
    """Requests made, by outcome at the period's end, and the topics they name: for every view of
    the family (`family`), protected together. Taken once per dashboard."""
    return ctx.once(_request_figures)


def _request_figures(ctx: ReportContext) -> Figures:
    family = ctx.family
    keys = request_keys(ctx)
    in_quarter = made_in(ctx, family.quarter)
    names, columns = [], []
    for period in family.periods:
        end = period.bounds_in(ctx.zone)[1]
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
        made = made_in(ctx, period)
        for name in OUTCOMES:
            names.append((period.key, name))
            columns.append(count_when(and_(made, outcome == name)))
        names += [(period.key, "made"), (period.key, "waiting_for_coordinator")]
        columns += [count_when(made), count_when(and_(made, waiting))]
    atoms: dict[tuple, int] = {}
    add_atoms(
        atoms,
        db.session.execute(select(*keys, *columns).where(in_quarter).group_by(*REQUEST_COLUMNS)),
        names,
    )
    # Topics: requests made in each period naming each topic (a request can name several).
    topic_names = [(period.key, None) for period in family.periods]
    add_atoms(
        atoms,
        db.session.execute(
            select(
                *keys,
                (TOPIC + RequestTopic.topic).label("row"),
                *(count_when(made_in(ctx, period)) for period in family.periods),
            )
            .join(MentoringRequest, MentoringRequest.id == RequestTopic.request_id)
            .where(in_quarter)
            .group_by(*REQUEST_COLUMNS, RequestTopic.topic)
        ),
        topic_names,
    )
    topics = [TOPIC + value for value, _ in TOPICS]
    rows = [*REQUEST_ROWS, *topics]
    values = family.totals(atoms, rows)
    cells = protect_family(
        family,
        values,
        ctx.rules,
        rows=rows,
        total="made",
        parts=OUTCOMES,
        additive=["made", *topics],
        population="made",
        summarised=["matched"],  # the median days to match
    )
    return Figures(values, cells)


def request_outcomes(ctx: ReportContext) -> dict[str, int]:
    """Requests made in the period, by what had become of them at its end (true counts)."""
    figures = request_figures(ctx)
    group, period = ctx.query.group, ctx.query.period
    return {name: figures.true(group, period, name) for name in REQUEST_ROWS}


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


def ended_between(start, end) -> ColumnElement[bool]:
    return and_(
        MentoringRelationship.ended_at.is_not(None),
        MentoringRelationship.ended_at >= start,
        MentoringRelationship.ended_at < end,
    )


def ended_in_period(ctx: ReportContext) -> ColumnElement[bool]:
    return ended_between(ctx.starts_at, ctx.ends_at)


def under_way_between(start, end) -> ColumnElement[bool]:
    """Relationships under way at some time between two moments: begun before the end, not ended
    before the start."""
    return and_(
        MentoringRelationship.started_at < end,
        or_(MentoringRelationship.ended_at.is_(None), MentoringRelationship.ended_at >= start),
    )


def under_way(ctx: ReportContext) -> ColumnElement[bool]:
    """Relationships under way at some time in the period."""
    return under_way_between(ctx.starts_at, ctx.ends_at)


RELATIONSHIP_ROWS = ("began", "ended", "active")


def relationship_figures(ctx: ReportContext) -> Figures:
    """Relationships begun, ended, and active at the end of the period, for every view of the
    family, protected together; and all under way in it (each view's population, unpublished).

    Uptake and sessions both show them: one query per dashboard.
    """
    return ctx.once(_relationship_figures)


def _relationship_figures(ctx: ReportContext) -> Figures:
    family = ctx.family
    keys = request_keys(ctx)
    names, columns = [], []
    for period in family.periods:
        start, end = period.bounds_in(ctx.zone)
        figures = {
            "began": and_(
                MentoringRelationship.started_at >= start, MentoringRelationship.started_at < end
            ),
            "ended": ended_between(start, end),
            "active": and_(
                MentoringRelationship.started_at < end,
                or_(
                    MentoringRelationship.ended_at.is_(None), MentoringRelationship.ended_at >= end
                ),
            ),
            "touched": under_way_between(start, end),
        }
        for name, condition in figures.items():
            names.append((period.key, name))
            columns.append(count_when(condition))
    quarter_start, quarter_end = family.quarter.bounds_in(ctx.zone)
    atoms: dict[tuple, int] = {}
    add_atoms(
        atoms,
        db.session.execute(
            select(*keys, *columns)
            .select_from(MentoringRelationship)
            .join(MentoringRequest, MentoringRequest.id == MentoringRelationship.request_id)
            .where(under_way_between(quarter_start, quarter_end))
            .group_by(*REQUEST_COLUMNS)
        ),
        names,
    )
    values = family.totals(atoms, [*RELATIONSHIP_ROWS, "touched"])
    cells = protect_family(
        family,
        values,
        ctx.rules,
        rows=RELATIONSHIP_ROWS,
        additive=["began", "ended"],
        same_at_end=["active"],
        summarised=["ended"],  # the median sessions of relationships that ended
        population={
            (group, period.key): values[(group, period.key, "touched")]
            for group in (None, *family.groups)
            for period in family.periods
        },
    )
    return Figures(values, cells)


def relationship_counts(ctx: ReportContext) -> dict[str, int]:
    """Relationships begun, ended, and active at the end of the period; and all under way in it
    (true counts, for people behind a median)."""
    figures = relationship_figures(ctx)
    group, period = ctx.query.group, ctx.query.period
    return {name: figures.true(group, period, name) for name in (*RELATIONSHIP_ROWS, "touched")}


OUTCOME_ROWS = (
    ("matched", "Matched with a mentor by the end of the period"),
    ("withdrawn", "Withdrawn by the doctor"),
    ("unmatched", "Still unmatched at the end of the period"),
)


def _requests_table(ctx: ReportContext) -> Table:
    figures, group, period = request_figures(ctx), ctx.query.group, ctx.query.period
    cells = [figures.cell(group, period, key) for key, _ in OUTCOME_ROWS]
    total = figures.cell(group, period, "made")
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
                [
                    request_figures(ctx).cell(
                        ctx.query.group, ctx.query.period, "waiting_for_coordinator"
                    )
                ],
            ),
        ],
        chart_column=None,
    )


def _relationships_table(ctx: ReportContext) -> Table:
    figures, group, period = relationship_figures(ctx), ctx.query.group, ctx.query.period
    if figures.withheld(group, period):
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
        rows=[TableRow(text, [figures.cell(group, period, key)]) for key, text in rows],
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
    if not request_figures(ctx).withheld(ctx.query.group, ctx.query.period):
        section.tables += [_requests_table(ctx), _matching_table(ctx, counts)]
    else:
        section.tables.append(ctx.withheld_table("uptake-requests", "Requests made in the period"))
    section.tables.append(_relationships_table(ctx))
    return section
