"""Sessions: how many were held each month, and how many each relationship had.

Figures come from the plain columns of `session_log` (the date it was held, its relationship);
notes are sealed and never read here. Sessions count by the day they were held, which is a date in
the scheme's own calendar. Relationships are grouped by the request that began them, as in uptake.

Sessions, relationships that met, the topics and signposting of their sessions, and relationships
by sessions held are each read for their whole family (`family`) in one GROUP BY query and
protected there. A month's sessions are one figure in the month's table and its quarter's; the
quarter's sessions are the total of its months'. Relationships that met, and the bands, do not add
up over months (one relationship can meet in several).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, select

from mentoring.core.vocabulary import TOPICS
from mentoring.extensions import db
from mentoring.relationships.models import MentoringRelationship
from mentoring.relationships.session_models import SessionLog, SessionSignpost, SessionTopic
from mentoring.relationships.vocabulary import SIGNPOST_KINDS
from mentoring.reports.context import ReportContext
from mentoring.reports.disclosure import protect_share, protect_summary
from mentoring.reports.family import Figures, add_atoms, protect_family
from mentoring.reports.filters import Period
from mentoring.reports.sql import count_distinct_when, count_when, group_keys, medians
from mentoring.reports.tables import Section, Table, TableRow
from mentoring.reports.uptake import (
    REQUEST_COLUMNS,
    ended_in_period,
    in_group,
    relationship_counts,
    under_way,
    under_way_between,
)
from mentoring.requests_.models import MentoringRequest


def held_in_period(ctx: ReportContext) -> list[ColumnElement[bool]]:
    period = ctx.query.period
    return [SessionLog.held_on >= period.start, SessionLog.held_on < period.end]


def sessions_in_view(*columns: ColumnElement) -> Select:
    """Sessions with the request that began their relationship, for the group condition."""
    return (
        select(*columns)
        .select_from(SessionLog)
        .join(MentoringRelationship, MentoringRelationship.id == SessionLog.relationship_id)
        .join(MentoringRequest, MentoringRequest.id == MentoringRelationship.request_id)
    )


def session_keys(ctx: ReportContext) -> list[ColumnElement]:
    """A session's groups: those of the request that began its relationship."""
    return group_keys(
        organisation=MentoringRequest.organisation,
        career_stage=MentoringRequest.career_stage,
        specialty=MentoringRequest.specialty,
        organisations=ctx.organisations,
    )


def held_within(period: Period) -> ColumnElement[bool]:
    return and_(SessionLog.held_on >= period.start, SessionLog.held_on < period.end)


TOPIC, SIGNPOST = "topic:", "signpost:"


def session_figures(ctx: ReportContext) -> Figures:
    """Sessions held and relationships that met, and the relationships whose sessions named each
    topic or kind of signposting, for every view of the family, protected together.

    A relationship that met in two months counts in both, so each period's relationships are
    counted apart (not added up from months). Taken once per dashboard (two sections show them).
    """
    return ctx.once(_session_figures)


def _session_figures(ctx: ReportContext) -> Figures:
    family = ctx.family
    keys = session_keys(ctx)
    in_quarter = held_within(family.quarter)
    names, columns = [], []
    for period in family.periods:
        names += [(period.key, "sessions"), (period.key, "met")]
        columns += [
            count_when(held_within(period)),
            count_distinct_when(held_within(period), SessionLog.relationship_id),
        ]
    atoms: dict[tuple, int] = {}
    add_atoms(
        atoms,
        db.session.execute(
            sessions_in_view(*keys, *columns).where(in_quarter).group_by(*REQUEST_COLUMNS)
        ),
        names,
    )
    met_by_period = [
        count_distinct_when(held_within(period), SessionLog.relationship_id)
        for period in family.periods
    ]
    for prefix, named, column in (
        (TOPIC, SessionTopic, SessionTopic.topic),
        (SIGNPOST, SessionSignpost, SessionSignpost.kind),
    ):
        add_atoms(
            atoms,
            db.session.execute(
                sessions_in_view(*keys, (literal(prefix) + column).label("row"), *met_by_period)
                .join(named, named.session_id == SessionLog.id)
                .where(in_quarter)
                .group_by(*REQUEST_COLUMNS, column)
            ),
            [(period.key, None) for period in family.periods],
        )
    named_rows = [TOPIC + value for value, _ in TOPICS] + [
        SIGNPOST + value for value, _ in SIGNPOST_KINDS
    ]
    rows = ["sessions", "met", *named_rows]
    values = family.totals(atoms, rows)
    cells = protect_family(
        family,
        values,
        ctx.rules,
        rows=rows,
        by_month=["sessions"],
        population="met",
        beyond_population=["sessions"],
    )
    return Figures(values, cells)


def relationships_that_met(ctx: ReportContext) -> int:
    return session_figures(ctx).true(ctx.query.group, ctx.query.period, "met")


def _sessions_per_relationship(ctx: ReportContext, *, whole_life: bool):
    """One row per relationship in the view: how many sessions it had (0 for none), as a subquery.

    Relationships under way in the period, counting their sessions in it; or, `whole_life`, those
    that ended in the period, counting every session they ever had.
    """
    joined = [SessionLog.relationship_id == MentoringRelationship.id]
    if not whole_life:
        joined += held_in_period(ctx)
    return (
        select(MentoringRelationship.id, func.count(SessionLog.id).label("sessions"))
        .select_from(MentoringRelationship)
        .join(MentoringRequest, MentoringRequest.id == MentoringRelationship.request_id)
        .outerjoin(SessionLog, and_(*joined))
        .where(ended_in_period(ctx) if whole_life else under_way(ctx), in_group(ctx))
        .group_by(MentoringRelationship.id)
        .subquery()
    )


# (key, label, most sessions): each band runs from just above the one before; the last has no
# most. Bands partition the relationships, so they are protected as a column with its total.
BANDS = (
    ("none", "No session in the period", 0),
    ("one", "1 session", 1),
    ("two", "2 sessions", 2),
    ("three_to_five", "3 to 5 sessions", 5),
    ("six_or_more", "6 sessions or more", None),
)


def band_figures(ctx: ReportContext) -> Figures:
    """Relationships under way in each period of the family, by how many sessions they had in it,
    for every view, protected together: one query."""
    return ctx.once(_band_figures)


def _band_figures(ctx: ReportContext) -> Figures:
    family = ctx.family
    quarter_start, quarter_end = family.quarter.bounds_in(ctx.zone)
    per = (
        select(
            *session_keys(ctx),
            *(
                count_when(held_within(period)).label(f"sessions_{index}")
                for index, period in enumerate(family.periods)
            ),
            *(
                case((under_way_between(*period.bounds_in(ctx.zone)), 1), else_=0).label(
                    f"under_way_{index}"
                )
                for index, period in enumerate(family.periods)
            ),
        )
        .select_from(MentoringRelationship)
        .join(MentoringRequest, MentoringRequest.id == MentoringRelationship.request_id)
        .outerjoin(
            SessionLog,
            and_(
                SessionLog.relationship_id == MentoringRelationship.id,
                held_within(family.quarter),
            ),
        )
        .where(under_way_between(quarter_start, quarter_end))
        .group_by(MentoringRelationship.id, *REQUEST_COLUMNS)
        .subquery()
    )
    keys = [per.c.group_0, per.c.group_1, per.c.group_2]
    names, columns = [], []
    for index, period in enumerate(family.periods):
        sessions = per.c[f"sessions_{index}"]
        band = case(
            *((sessions <= most, key) for key, _label, most in BANDS if most is not None),
            else_=BANDS[-1][0],
        )
        under_way_then = per.c[f"under_way_{index}"] == 1
        for key, _label, _most in BANDS:
            names.append((period.key, key))
            columns.append(count_when(and_(under_way_then, band == key)))
        names.append((period.key, "under_way"))
        columns.append(count_when(under_way_then))
    atoms: dict[tuple, int] = {}
    add_atoms(atoms, db.session.execute(select(*keys, *columns).group_by(*keys)), names)
    rows = [*(key for key, _label, _most in BANDS), "under_way"]
    values = family.totals(atoms, rows)
    cells = protect_family(
        family, values, ctx.rules, rows=rows, total="under_way", population="under_way"
    )
    return Figures(values, cells)


def band_counts(ctx: ReportContext) -> dict[str, int]:
    """Relationships under way in the period, by how many sessions they had in it (true counts;
    bands with none left out)."""
    figures, group, period = band_figures(ctx), ctx.query.group, ctx.query.period
    counts = {key: figures.true(group, period, key) for key, _label, _most in BANDS}
    return {key: n for key, n in counts.items() if n}


def median_sessions(ctx: ReportContext, *, whole_life: bool) -> float | None:
    per = _sessions_per_relationship(ctx, whole_life=whole_life)
    return medians(per.c.sessions, source=per, conditions=[]).get(())


def months_begun(ctx: ReportContext) -> list[Period]:
    """The period's months that have begun by today: a running quarter shows no empty future."""
    return [month for month in ctx.query.period.months() if month.start <= ctx.today]


def _month_table(ctx: ReportContext) -> Table:
    figures, group, period = session_figures(ctx), ctx.query.group, ctx.query.period
    months = months_begun(ctx)
    sessions = [figures.cell(group, month, "sessions") for month in months]
    total = figures.cell(group, period, "sessions")
    met = [figures.cell(group, p, "met") for p in [*months, period]]
    return Table(
        key="sessions-by-month",
        caption="Sessions held, by month",
        columns=["Month", "Sessions", "Relationships that met"],
        rows=[
            TableRow(month.label, [cell, met[index]])
            for index, (month, cell) in enumerate(zip(months, sessions, strict=True))
        ],
        total=TableRow("The whole period", [total, met[-1]]),
        note="A relationship that met in more than one month is in each of those months, so "
        "relationships that met do not add up.",
    )


def _band_table(ctx: ReportContext) -> Table:
    figures, group, period = band_figures(ctx), ctx.query.group, ctx.query.period
    cells = [figures.cell(group, period, key) for key, _, _ in BANDS]
    total = figures.cell(group, period, "under_way")
    return Table(
        key="sessions-per-relationship",
        caption="Sessions per relationship in the period",
        columns=["Sessions in the period", "Relationships", "Share of relationships"],
        rows=[
            TableRow(label, [cell, protect_share(cell, total)])
            for (_key, label, _most), cell in zip(BANDS, cells, strict=True)
        ],
        total=TableRow(
            "Relationships under way in the period", [total, protect_share(total, total)]
        ),
    )


def _median_table(ctx: ReportContext, relationships: dict[str, int]) -> Table:
    return Table(
        key="sessions-medians",
        caption="Sessions per relationship: medians",
        columns=["Measure", "Sessions"],
        rows=[
            TableRow(
                "Median sessions in the period, per relationship under way",
                [
                    protect_summary(
                        median_sessions(ctx, whole_life=False), relationships["touched"], ctx.rules
                    )
                ],
            ),
            TableRow(
                "Median sessions over the whole relationship, for those that ended in the period",
                [
                    protect_summary(
                        median_sessions(ctx, whole_life=True), relationships["ended"], ctx.rules
                    )
                ],
            ),
        ],
        chart_column=None,
    )


def sessions_section(ctx: ReportContext) -> Section:
    section = Section(
        key="sessions",
        title="Sessions",
        intro="Mentoring sessions held in this period, counted by the day they were held, and how "
        "many sessions each relationship had. Only that a session took place is counted: what was "
        "said is never read.",
    )
    group, period = ctx.query.group, ctx.query.period
    if not session_figures(ctx).withheld(group, period):
        section.tables.append(_month_table(ctx))
    else:
        section.tables.append(ctx.withheld_table("sessions-by-month", "Sessions held, by month"))
    relationships = relationship_counts(ctx)
    if not band_figures(ctx).withheld(group, period):
        section.tables += [_band_table(ctx), _median_table(ctx, relationships)]
    else:
        section.tables.append(
            ctx.withheld_table(
                "sessions-per-relationship", "Sessions per relationship in the period"
            )
        )
    return section
