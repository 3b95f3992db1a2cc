"""Sessions: how many were held each month, and how many each relationship had.

Figures come from the plain columns of `session_log` (the date it was held, its relationship);
notes are sealed and never read here. Sessions count by the day they were held, which is a date in
the scheme's own calendar. Relationships are grouped by the request that began them, as in uptake.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, select, union_all

from mentoring.extensions import db
from mentoring.relationships.models import MentoringRelationship
from mentoring.relationships.session_models import SessionLog
from mentoring.reports.context import ReportContext
from mentoring.reports.disclosure import (
    protect_column,
    protect_counts,
    protect_share,
    protect_summary,
)
from mentoring.reports.filters import Period
from mentoring.reports.sql import medians
from mentoring.reports.tables import Section, Table, TableRow
from mentoring.reports.uptake import ended_in_period, in_group, relationship_counts, under_way
from mentoring.requests_.models import MentoringRequest

ALL_MONTHS = "all"


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


def month_counts(ctx: ReportContext) -> dict[str, tuple[int, int]]:
    """Month key (and `ALL_MONTHS`) -> (sessions held, relationships that met): one query.

    A relationship that met in two months counts in both, so the period's relationships that met
    are counted apart, in the same statement. Taken once per dashboard (two sections show it).
    """
    return ctx.once(_month_counts)


def _month_counts(ctx: ReportContext) -> dict[str, tuple[int, int]]:
    months = ctx.query.period.months()
    month = case(*((SessionLog.held_on < m.end, m.key) for m in months))
    figures = (func.count(SessionLog.id), func.count(func.distinct(SessionLog.relationship_id)))
    conditions = [*held_in_period(ctx), in_group(ctx)]
    by_month = sessions_in_view(month.label("month"), *figures).where(*conditions).group_by(month)
    overall = sessions_in_view(literal(ALL_MONTHS).label("month"), *figures).where(*conditions)
    rows = db.session.execute(union_all(by_month, overall)).all()
    return {key: (int(sessions), int(met)) for key, sessions, met in rows}


def relationships_that_met(ctx: ReportContext) -> int:
    return month_counts(ctx).get(ALL_MONTHS, (0, 0))[1]


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


def band_counts(ctx: ReportContext) -> dict[str, int]:
    """Relationships under way in the period, by how many sessions they had in it: one query."""
    per = _sessions_per_relationship(ctx, whole_life=False)
    band = case(
        *((per.c.sessions <= most, key) for key, _label, most in BANDS if most is not None),
        else_=BANDS[-1][0],
    )
    rows = db.session.execute(select(band, func.count()).select_from(per).group_by(band)).all()
    return {key: int(n) for key, n in rows}


def median_sessions(ctx: ReportContext, *, whole_life: bool) -> float | None:
    per = _sessions_per_relationship(ctx, whole_life=whole_life)
    return medians(per.c.sessions, source=per, conditions=[]).get(())


def months_begun(ctx: ReportContext) -> list[Period]:
    """The period's months that have begun by today: a running quarter shows no empty future."""
    return [month for month in ctx.query.period.months() if month.start <= ctx.today]


def _month_table(ctx: ReportContext, counts: dict[str, tuple[int, int]]) -> Table:
    months = months_begun(ctx)
    sessions, total = protect_column([counts.get(m.key, (0, 0))[0] for m in months], ctx.rules)
    met = protect_counts(
        [counts.get(key, (0, 0))[1] for key in [*(m.key for m in months), ALL_MONTHS]],
        ctx.rules,
    )
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
    counts = band_counts(ctx)
    cells, total = protect_column([counts.get(key, 0) for key, _, _ in BANDS], ctx.rules)
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
    counts = month_counts(ctx)
    if ctx.rules.population_allows(counts.get(ALL_MONTHS, (0, 0))[1]):
        section.tables.append(_month_table(ctx, counts))
    else:
        section.tables.append(ctx.withheld_table("sessions-by-month", "Sessions held, by month"))
    relationships = relationship_counts(ctx)
    if ctx.rules.population_allows(relationships["touched"]):
        section.tables += [_band_table(ctx), _median_table(ctx, relationships)]
    else:
        section.tables.append(
            ctx.withheld_table(
                "sessions-per-relationship", "Sessions per relationship in the period"
            )
        )
    return section
