"""Well-being from anonymous check-ins: how many, the WHO-5 median, and the shares doing badly.

Each check-in holds only coarse groups and its ISO week, so every figure here is a GROUP BY over
`wellbeing_check_in` (indexed by week). A week belongs to the month of its Thursday.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, case, func, or_, select

from mentoring.checkins.models import CheckIn, CheckInTopic
from mentoring.core.vocabulary import (
    CAREER_STAGE_GROUPS,
    NOT_SAID,
    NOT_SAID_LABEL,
    SPECIALTY_GROUPS,
)
from mentoring.extensions import db
from mentoring.reports.context import ReportContext
from mentoring.reports.disclosure import protect_column, protect_share, protect_summary
from mentoring.reports.sql import group_condition, medians
from mentoring.reports.tables import Section, Table, TableRow
from mentoring.reports.topics import topic_table

POOR = 50  # WHO-5 score at or below: poor well-being
LIKELY_DEPRESSION = 28  # at or below: likely depression, urgent signposting
SCORE = CheckIn.raw_score * 4
COLUMNS = [
    "Check-ins",
    "Median WHO-5 score",
    "Score 50 or below",
    "Share 50 or below",
    "Score 28 or below",
    "Share 28 or below",
]


def in_weeks(weeks: list[tuple[int, int]]) -> ColumnElement[bool]:
    """The period's weeks as one week range per ISO year.

    Not a row comparison `(iso_year, iso_week) >= (...)`: PostgreSQL cannot estimate that, so it
    read every check-in ever made instead of the period's through the week index (README,
    "Performance").
    """
    ranges: dict[int, list[int]] = {}
    for year, week in weeks:
        ranges.setdefault(year, []).append(week)
    return or_(
        *(
            and_(CheckIn.iso_year == year, CheckIn.iso_week.between(min(w), max(w)))
            for year, w in ranges.items()
        )
    )


def conditions(ctx: ReportContext) -> list[ColumnElement[bool]]:
    return [
        in_weeks(ctx.query.period.iso_weeks()),
        group_condition(
            ctx.query.group,
            organisation=CheckIn.organisation,
            career_stage=CheckIn.career_stage_group,
            specialty=CheckIn.specialty_group,
            precise=False,
        ),
    ]


def _counts_by(ctx: ReportContext, keys: list) -> dict[tuple, tuple[int, int, int]]:
    statement = (
        select(
            *keys,
            func.count(),
            func.sum(case((SCORE <= POOR, 1), else_=0)),
            func.sum(case((SCORE <= LIKELY_DEPRESSION, 1), else_=0)),
        )
        .where(*conditions(ctx))
        .group_by(*keys)
    )
    return {
        tuple(row[:-3]): (int(row[-3]), int(row[-2] or 0), int(row[-1] or 0))
        for row in db.session.execute(statement)
    }


def _overall_median(ctx: ReportContext) -> float | None:
    return medians(SCORE, source=CheckIn.__table__, conditions=conditions(ctx)).get(())


def _breakdown(
    ctx: ReportContext,
    table: tuple[str, str],
    keys: list,
    rows: list[tuple[tuple, str]],
    *,
    counts: dict[tuple, tuple[int, int, int]],
    overall: float | None,
) -> Table:
    """One row per group (or week): counts protected as columns that add up to their total.

    `counts` (from `_counts_by` on `keys`) and `overall` (the period's median) are taken once per
    section and shared by its tables.
    """
    key, caption = table
    middle = medians(SCORE, source=CheckIn.__table__, conditions=conditions(ctx), group_by=keys)
    values = [counts.get(k, (0, 0, 0)) for k, _ in rows]
    columns = [protect_column([v[i] for v in values], ctx.rules) for i in range(3)]
    table = Table(
        key=key, caption=caption, columns=[caption.split(" by ")[-1].capitalize(), *COLUMNS]
    )
    for index, (k, text) in enumerate(rows):
        n = values[index][0]
        table.rows.append(
            _row(
                ctx,
                text,
                [c[0][index] for c in columns],
                protect_summary(middle.get(k), n, ctx.rules),
            )
        )
    total_n = sum(v[0] for v in values)
    table.total = _row(
        ctx, "All", [c[1] for c in columns], protect_summary(overall, total_n, ctx.rules)
    )
    return table


def _row(ctx, text, cells, median) -> TableRow:
    n, poor, low = cells
    return TableRow(text, [n, median, poor, protect_share(poor, n), low, protect_share(low, n)])


def _week_rows(ctx: ReportContext) -> list[tuple[tuple, str]]:
    rows = []
    for year, week in ctx.query.period.iso_weeks_until(ctx.today):
        monday = date.fromisocalendar(year, week, 1)
        rows.append(((year, week), f"Week {week}, from {monday.day} {monday:%b %Y}"))
    return rows


def _group_rows(kind: str, ctx: ReportContext) -> list[tuple[tuple, str]]:
    if kind == "organisation":
        choices = [(name, name) for name in ctx.organisations]
    else:
        choices = list(CAREER_STAGE_GROUPS if kind == "career_stage_group" else SPECIALTY_GROUPS)
    return [((value,), text) for value, text in choices] + [((NOT_SAID,), NOT_SAID_LABEL)]


GROUP_TABLES = (
    ("career_stage_group", "Check-ins by career stage group", CheckIn.career_stage_group),
    ("specialty_group", "Check-ins by specialty group", CheckIn.specialty_group),
    ("organisation", "Check-ins by organisation", CheckIn.organisation),
)


def wellbeing_section(ctx: ReportContext) -> Section:
    section = Section(
        key="wellbeing",
        title="Well-being check-ins",
        intro="Anonymous WHO-5 check-ins in the weeks of this period (a week counts in the month "
        "of its Thursday). Scores run from 0 to 100: 50 or below suggests poor well-being, 28 or "
        "below suggests likely depression.",
    )
    week_keys = [CheckIn.iso_year, CheckIn.iso_week]
    by_week = _counts_by(ctx, week_keys)
    # Every check-in of the period falls in one of its weeks: the weeks' counts add up to all.
    people = sum(n for n, _poor, _low in by_week.values())
    if not ctx.rules.population_allows(people):
        section.tables.append(ctx.withheld_table("wellbeing-by-week", "Check-ins by week"))
        return section
    overall = _overall_median(ctx)
    section.tables.append(
        _breakdown(
            ctx,
            ("wellbeing-by-week", "Check-ins by week"),
            week_keys,
            _week_rows(ctx),
            counts=by_week,
            overall=overall,
        )
    )
    for kind, caption, column in GROUP_TABLES:
        if ctx.query.group is None or ctx.query.group.kind != kind:
            section.tables.append(
                _breakdown(
                    ctx,
                    (f"wellbeing-by-{kind.replace('_', '-')}", caption),
                    [column],
                    _group_rows(kind, ctx),
                    counts=_counts_by(ctx, [column]),
                    overall=overall,
                )
            )
    counts = dict(
        db.session.execute(
            select(CheckInTopic.topic, func.count())
            .join(CheckIn, CheckIn.id == CheckInTopic.check_in_id)
            .where(*conditions(ctx))
            .group_by(CheckInTopic.topic)
        ).all()
    )
    section.tables.append(
        topic_table(
            ctx,
            key="wellbeing-topics",
            caption="Topics affecting well-being at work",
            counts=counts,
            population=people,
            population_label="check-ins",
        )
    )
    return section
