"""Well-being from anonymous check-ins: how many, the WHO-5 median, and the shares doing badly.

Each check-in holds only coarse groups and its ISO week, so every figure here is a GROUP BY over
`wellbeing_check_in` (indexed by week). A week belongs to the month of its Thursday.

Counts are read for every view of the quarter at once (`wellbeing_figures`) and protected
together: the weeks and their totals, each view's tables by the other kinds of group, and every
group's figures against everyone's. A group's row in another group's table is the same figure as
that group's row there in turn, and everyone's row for a group is that group's own total.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, case, func, null, or_, select

from mentoring.checkins.models import CheckIn, CheckInTopic
from mentoring.core.vocabulary import (
    CAREER_STAGE_GROUPS,
    NOT_SAID,
    NOT_SAID_LABEL,
    SPECIALTY_GROUPS,
    TOPICS,
)
from mentoring.extensions import db
from mentoring.reports.context import ReportContext
from mentoring.reports.disclosure import (
    Cell,
    DisclosureRules,
    Hidden,
    Line,
    protect_entries,
    protect_share,
    protect_summary,
)
from mentoring.reports.family import Family, Figures, protect_family
from mentoring.reports.filters import Group
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


def in_weeks(weeks: list[tuple[int, int]], table=CheckIn) -> ColumnElement[bool]:
    """The period's weeks as one week range per ISO year, of check-ins (or `table`'s weeks).

    Not a row comparison `(iso_year, iso_week) >= (...)`: PostgreSQL cannot estimate that, so it
    read every check-in ever made instead of the period's through the week index (README,
    "Performance").
    """
    ranges: dict[int, list[int]] = {}
    for year, week in weeks:
        ranges.setdefault(year, []).append(week)
    return or_(
        *(
            and_(table.iso_year == year, table.iso_week.between(min(w), max(w)))
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


def _overall_median(ctx: ReportContext) -> float | None:
    return medians(SCORE, source=CheckIn.__table__, conditions=conditions(ctx)).get(())


MEASURES = ("n", "poor", "low")  # check-ins; scoring 50 or below; scoring 28 or below


def _week_key(group, week, measure) -> tuple:
    return ("w", group, week, measure)


def _total_key(group, period: str, measure) -> tuple:
    return ("t", group, period, measure)


def _row_key(group, other, period: str, measure) -> tuple:
    """One row of a view's table by another kind of group: everyone's row for a group is that
    group's total; a group's row for another is their overlap, one entry whichever view shows it."""
    if group is None:
        return _total_key(other, period, measure)
    return ("x", frozenset((group, other)), period, measure)


def _all_key(group, period: str, kind: str, measure) -> tuple:
    return ("a", group, period, kind, measure)


@dataclass
class WellbeingFigures:
    """Check-in counts for every view of the family, protected together (`wellbeing_figures`)."""

    family: Family
    weeks: dict[str, list[tuple[int, int]]]  # period key -> its weeks begun
    rows_of: dict[str, list[Group]]  # kind -> its groups, then "prefer not to say"
    values: dict[tuple, int]
    cells: Mapping[tuple, Cell]

    def other_kinds(self, group: Group | None) -> list[str]:
        return [kind for kind in self.rows_of if group is None or kind != group.kind]


def wellbeing_figures(ctx: ReportContext) -> WellbeingFigures:
    """Check-ins, and those scoring 50 or below and 28 or below, by week and by group, for every
    view of the family, protected together: one query.

    Each view shows its weeks and their total, and a table by each other kind of group (with
    "prefer not to say") and its total. Everyone's row for a group is that group's own total, and
    a group's row for a group of another kind is the same entry in that group's view, so every
    figure is published once. Lines: each table's rows and total, and its rows against the view's
    total of its weeks; each week and each period across a kind's groups ("prefer not to say"
    included, as a group whose weeks are taken as shown) and everyone; the months' totals and the
    quarter's; each overlap and each table's total across the months and the quarter. Then
    `disclosure.protect_entries` audits the whole family.
    """
    return ctx.once(_wellbeing_figures)


def _wellbeing_figures(ctx: ReportContext) -> WellbeingFigures:
    family = ctx.family
    weeks = {period.key: period.iso_weeks_until(ctx.today) for period in family.periods}
    listed = set(ctx.organisations)
    statement = (
        select(
            CheckIn.organisation,
            CheckIn.career_stage_group,
            CheckIn.specialty_group,
            CheckIn.iso_year,
            CheckIn.iso_week,
            func.count(),
            func.sum(case((SCORE <= POOR, 1), else_=0)),
            func.sum(case((SCORE <= LIKELY_DEPRESSION, 1), else_=0)),
        )
        .where(in_weeks(family.quarter.iso_weeks()))
        .group_by(
            CheckIn.organisation,
            CheckIn.career_stage_group,
            CheckIn.specialty_group,
            CheckIn.iso_year,
            CheckIn.iso_week,
        )
    )
    counts = [
        (
            org if org in listed or org == NOT_SAID else None,
            stage,
            specialty,
            (year, week),
            tuple(int(n or 0) for n in figures),
        )
        for org, stage, specialty, year, week, *figures in db.session.execute(statement)
    ]
    return _protect_check_ins_cached(
        family,
        tuple((key, tuple(value)) for key, value in weeks.items()),
        frozenset(counts),
        ctx.rules,
    )


@functools.lru_cache(maxsize=16)
def _protect_check_ins_cached(family, weeks, counts, rules) -> WellbeingFigures:
    """Every view of a quarter computes the same figures: protected once for given counts."""
    return protect_check_ins(
        family, dict((key, list(value)) for key, value in weeks), counts, rules
    )


def protect_check_ins(
    family: Family,
    weeks: Mapping[str, list[tuple[int, int]]],
    counts: Iterable[tuple],
    rules: DisclosureRules,
) -> WellbeingFigures:
    """Protect check-in counts for every view of a family (pure: no database).

    `weeks` are each period's weeks begun; `counts` are (organisation, career stage group,
    specialty group, week, (check-ins, scoring 50 or below, scoring 28 or below)), an organisation
    None when it is not on the list.
    """
    rows_of: dict[str, list[Group]] = {}
    for group in family.groups:
        rows_of.setdefault(group.kind, []).append(group)
    for kind, members in rows_of.items():
        members.append(Group(kind, NOT_SAID))
    values = _wellbeing_values(family, weeks, rows_of, counts)
    lines, sums_of = _wellbeing_lines(family, weeks, rows_of, values)
    withheld = []
    for group in (None, *family.groups):
        for period in family.periods:
            if rules.is_small(values[_total_key(group, period.key, "n")]):
                withheld += _view_keys(group, period.key, weeks, rows_of)
    n_keys = [key for key in values if key[-1] == "n"]
    cells = protect_entries(
        values,
        lines,
        rules,
        sums_of=sums_of,
        withheld=withheld,
        populations=withheld,
        # A shown view has none or more than the threshold; a shown median, at least the minimum
        # group (which is above the threshold): an onlooker knows as much of a hidden count.
        shown_populations=[
            key
            for key in n_keys
            if values[key] >= rules.min_group_for_summary
            or (key[0] == "t" and values[key] > rules.threshold)
        ],
        # Every row has a median over its check-ins.
        summarised=n_keys,
    )
    return WellbeingFigures(family, weeks, rows_of, values, cells)


def _view_keys(group, period: str, weeks, rows_of) -> list[tuple]:
    keys = []
    for measure in MEASURES:
        keys += [_week_key(group, week, measure) for week in weeks[period]]
        keys.append(_total_key(group, period, measure))
        for kind, members in rows_of.items():
            if group is None or kind != group.kind:
                keys.append(_all_key(group, period, kind, measure))
                keys += [_row_key(group, other, period, measure) for other in members]
    return keys


def _wellbeing_values(family, weeks, rows_of, counts) -> dict[tuple, int]:
    """Every entry's true count, from the quarter's check-ins counted by groups and week."""
    everyone_groups = [group for members in rows_of.values() for group in members]
    values: dict[tuple, int] = dict.fromkeys(_all_entries(family, weeks, rows_of), 0)
    for org, stage, specialty, week, figures in counts:
        said = {"organisation": org, "career_stage_group": stage, "specialty_group": specialty}
        inside = [group for group in everyone_groups if said.get(group.kind) == group.value]
        periods = [period for period in family.periods if week in weeks[period.key]]
        for measure, n in zip(MEASURES, figures, strict=True):
            for key in _keys_counting(inside, week, periods, measure):
                if key in values:
                    values[key] += n
    for group in (None, *family.groups):
        for period in family.periods:
            for kind, members in rows_of.items():
                if group is None or kind != group.kind:
                    for measure in MEASURES:
                        values[_all_key(group, period.key, kind, measure)] = sum(
                            values[_row_key(group, other, period.key, measure)] for other in members
                        )
    return values


def _keys_counting(inside: list[Group], week, periods, measure) -> list[tuple]:
    """The entries a check-in in `week`, in the groups `inside`, counts in."""
    keys = [_week_key(None, week, measure)]
    keys += [_week_key(g, week, measure) for g in inside]
    for period in periods:
        keys.append(_total_key(None, period.key, measure))
        keys += [_total_key(g, period.key, measure) for g in inside]
        keys += [
            _row_key(g, h, period.key, measure)
            for g, h in itertools.combinations(inside, 2)
            if g.kind != h.kind and NOT_SAID not in (g.value, h.value)
        ]
        keys += [
            _row_key(g, h, period.key, measure)
            for g in inside
            for h in inside
            if g.kind != h.kind and g.value != NOT_SAID and h.value == NOT_SAID
        ]
        keys += [
            _row_key(g, h, period.key, measure)
            for g, h in itertools.combinations(inside, 2)
            if g.kind != h.kind and g.value == NOT_SAID and h.value == NOT_SAID
        ]
    return keys


def _all_entries(family, weeks, rows_of) -> list[tuple]:
    keys = []
    for group in (None, *family.groups):
        for period in family.periods:
            keys += _view_keys(group, period.key, weeks, rows_of)
    # Those who said nothing of a kind: their weeks are shown nowhere, their totals in everyone's
    # table by that kind.
    declined = _not_said(rows_of)
    for group in declined:
        for period in family.periods:
            for measure in MEASURES:
                keys += [_week_key(group, week, measure) for week in weeks[period.key]]
                keys.append(_total_key(group, period.key, measure))
                # Those who declined this kind and another: shown nowhere.
                keys += [
                    _row_key(group, other, period.key, measure)
                    for other in declined
                    if other.kind != group.kind
                ]
    return list(dict.fromkeys(keys))


def _not_said(rows_of) -> list[Group]:
    return [group for members in rows_of.values() for group in members if group.value == NOT_SAID]


def _wellbeing_lines(family, weeks, rows_of, values):
    lines: list[Line] = []
    sums_of: dict[tuple, list[tuple]] = {}
    for measure in MEASURES:
        # "Prefer not to say" is treated as a group whose weeks were shown, though they are not:
        # its total is shown (in everyone's table by group), and with its weeks in the lines,
        # everyone's week less the groups' can never leave it pinned unnoticed.
        for group in (None, *family.groups, *_not_said(rows_of)):
            lines += _week_lines(group, family, weeks, measure, sums_of)
        for group in (None, *family.groups):
            for period in family.periods:
                lines += _table_lines(group, period.key, family, rows_of, values, measure, sums_of)
        lines += _group_lines(family, weeks, rows_of, values, measure)
    return lines, sums_of


def _week_lines(group, family, weeks, measure, sums_of) -> list[Line]:
    """(a) Each period's weeks and their total; (c) the months' totals and the quarter's, each a
    sum of rounded weeks."""
    lines = []
    for period in family.periods:
        line = Line(
            tuple(_week_key(group, week, measure) for week in weeks[period.key]),
            _total_key(group, period.key, measure),
        )
        sums_of[line.total] = list(line.parts)
        lines.append(line)
    months = tuple(_total_key(group, m.key, measure) for m in family.months)
    lines.append(Line(months, _total_key(group, family.quarter.key, measure)))
    return lines


def _table_lines(group, period, family, rows_of, values, measure, sums_of) -> list[Line]:
    """(a) A view's table by each other kind of group, with its total; the same people as the
    view's total of its weeks; (c) each row and total over the months and the quarter."""
    lines = []
    for kind, members in rows_of.items():
        if group is not None and kind == group.kind:
            continue
        table = Line(
            tuple(_row_key(group, other, period, measure) for other in members),
            _all_key(group, period, kind, measure),
        )
        sums_of[table.total] = list(table.parts)
        lines.append(table)
        total = _total_key(group, period, measure)
        rest = values[total] - values[table.total]
        lines.append(Line((table.total,), total, open=rest > 0, exact=False))
        lines.append(Line(table.parts, total, open=rest > 0, exact=False))
        if period == family.quarter.key:
            months = [month.key for month in family.months]
            for entry in (*table.parts, table.total):
                lines.append(_over_months(entry, months, period))
    return lines


def _group_lines(family, weeks, rows_of, values, measure) -> list[Line]:
    """(b) Each kind's groups, "prefer not to say" included, and everyone: each week, each
    period."""
    lines = []
    at = [(_week_key, week) for week in weeks[family.quarter.key]]
    at += [(_total_key, period.key) for period in family.periods]
    for members in rows_of.values():
        for make, when in at:
            parts = tuple(make(group, when, measure) for group in members)
            everyone = make(None, when, measure)
            rest = values[everyone] - sum(values[part] for part in parts)
            lines.append(Line(parts, everyone, open=rest > 0, exact=False))
    # Those who said nothing of one kind, across the groups of another: each group's table shows
    # them as a row, and with those who declined both they make up their total in everyone's
    # table.
    for declined in _not_said(rows_of):
        for kind, members in rows_of.items():
            if kind == declined.kind:
                continue
            for period in family.periods:
                # Those who declined both are shown nowhere: taken as if shown, rounded.
                parts = tuple(_row_key(group, declined, period.key, measure) for group in members)
                total = _total_key(declined, period.key, measure)
                rest = values[total] - sum(values[part] for part in parts)
                lines.append(Line(parts, total, open=rest > 0, exact=False))
    return lines


def _over_months(entry: tuple, months: list[str], quarter: str) -> Line:
    """The same figure for each month, and for the quarter (rounded each on its own)."""
    index = entry.index(quarter)
    parts = tuple((*entry[:index], month, *entry[index + 1 :]) for month in months)
    return Line(parts, entry, exact=False)


def _breakdown(
    ctx: ReportContext,
    table: tuple[str, str],
    keys: list,
    rows: list[tuple[tuple, str, tuple]],
    *,
    figures: WellbeingFigures,
    total: tuple,
    overall: float | None,
) -> Table:
    """One row per week or group: the family's cells for each count, each row's median.

    `rows` are (median key, label, entry key without its measure); `total` the total's entry key
    without its measure. `overall` (the period's median) is taken once per section.
    """
    key, caption = table
    middle = medians(SCORE, source=CheckIn.__table__, conditions=conditions(ctx), group_by=keys)
    table = Table(
        key=key, caption=caption, columns=[caption.split(" by ")[-1].capitalize(), *COLUMNS]
    )
    for median_key, text, entry in rows:
        cells = [figures.cells[(*entry, measure)] for measure in MEASURES]
        n = figures.values[(*entry, "n")]
        table.rows.append(
            _row(ctx, text, cells, protect_summary(middle.get(median_key), n, ctx.rules))
        )
    total_n = figures.values[(*total, "n")]
    table.total = _row(
        ctx,
        "All",
        [figures.cells[(*total, measure)] for measure in MEASURES],
        protect_summary(overall, total_n, ctx.rules),
    )
    return table


def _row(ctx, text, cells, median) -> TableRow:
    n, poor, low = cells
    return TableRow(text, [n, median, poor, protect_share(poor, n), low, protect_share(low, n)])


def _week_rows(ctx: ReportContext) -> list[tuple[tuple, str, tuple]]:
    rows = []
    for year, week in ctx.query.period.iso_weeks_until(ctx.today):
        monday = date.fromisocalendar(year, week, 1)
        rows.append(
            (
                (year, week),
                f"Week {week}, from {monday.day} {monday:%b %Y}",
                ("w", ctx.query.group, (year, week)),
            )
        )
    return rows


def _group_rows(kind: str, ctx: ReportContext) -> list[tuple[tuple, str, tuple]]:
    if kind == "organisation":
        choices = [(name, name) for name in ctx.organisations]
    else:
        choices = list(CAREER_STAGE_GROUPS if kind == "career_stage_group" else SPECIALTY_GROUPS)
    period = ctx.query.period.key
    return [
        ((value,), text, _row_key(ctx.query.group, Group(kind, value), period, None)[:-1])
        for value, text in [*choices, (NOT_SAID, NOT_SAID_LABEL)]
    ]


GROUP_TABLES = (
    ("career_stage_group", "Check-ins by career stage group", CheckIn.career_stage_group),
    ("specialty_group", "Check-ins by specialty group", CheckIn.specialty_group),
    ("organisation", "Check-ins by organisation", CheckIn.organisation),
)


def topic_figures(ctx: ReportContext, figures: WellbeingFigures) -> Figures:
    """Check-ins naming each topic, for every view of the family, protected together over groups
    and months (a week counts in the month of its Thursday): one query."""
    family = figures.family
    month_of = {week: month.key for month in family.months for week in figures.weeks[month.key]}
    listed = set(ctx.organisations)
    # Each check-in's month (of its week's Thursday) is worked out in the query, so it returns a
    # row per month rather than per week: a quarter of the rows to sort, send and add up. Topics
    # carry their check-in's week, so only the quarter's are read (by their week index), not every
    # topic ever named; the check-ins, for their groups, by theirs.
    weeks_of: dict[str, dict[int, list[int]]] = {}
    for (year, week), month in month_of.items():
        weeks_of.setdefault(month, {}).setdefault(year, []).append(week)
    month = case(
        *(
            (
                or_(
                    *(
                        and_(
                            CheckInTopic.iso_year == year,
                            CheckInTopic.iso_week.in_(sorted(weeks)),
                        )
                        for year, weeks in by_year.items()
                    )
                ),
                key,
            )
            for key, by_year in weeks_of.items()
        ),
        else_=None,
    ).label("month")
    if not weeks_of:  # no month of the quarter has begun
        month = null().label("month")
    atoms: dict[tuple, int] = {}
    for org, stage, specialty, month_key, topic, n in db.session.execute(
        select(
            CheckIn.organisation,
            CheckIn.career_stage_group,
            CheckIn.specialty_group,
            month,
            CheckInTopic.topic,
            func.count(),
        )
        .join(CheckIn, CheckIn.id == CheckInTopic.check_in_id)
        .where(
            in_weeks(family.quarter.iso_weeks(), CheckInTopic),
            in_weeks(family.quarter.iso_weeks()),
        )
        .group_by(
            CheckIn.organisation,
            CheckIn.career_stage_group,
            CheckIn.specialty_group,
            month,
            CheckInTopic.topic,
        )
    ):
        if month_key is None:
            continue
        key = (org if org in listed else None, stage, specialty, month_key, topic)
        atoms[key] = atoms.get(key, 0) + int(n)
    rows = [value for value, _ in TOPICS]
    values = family.totals(atoms, rows, additive=rows)
    population = {
        (group, period.key): figures.values[_total_key(group, period.key, "n")]
        for group in (None, *family.groups)
        for period in family.periods
    }
    cells = protect_family(
        family, values, ctx.rules, rows=rows, additive=rows, population=population
    )
    return Figures(values, cells)


def wellbeing_section(ctx: ReportContext) -> Section:
    section = Section(
        key="wellbeing",
        title="Well-being check-ins",
        intro="Anonymous WHO-5 check-ins in the weeks of this period (a week counts in the month "
        "of its Thursday). Scores run from 0 to 100: 50 or below suggests poor well-being, 28 or "
        "below suggests likely depression.",
    )
    figures = wellbeing_figures(ctx)
    group, period = ctx.query.group, ctx.query.period.key
    total = ("t", group, period)
    if figures.cells[(*total, "n")].hidden is Hidden.WITHHELD:
        section.tables.append(ctx.withheld_table("wellbeing-by-week", "Check-ins by week"))
        return section
    overall = _overall_median(ctx)
    section.tables.append(
        _breakdown(
            ctx,
            ("wellbeing-by-week", "Check-ins by week"),
            [CheckIn.iso_year, CheckIn.iso_week],
            _week_rows(ctx),
            figures=figures,
            total=total,
            overall=overall,
        )
    )
    for kind, caption, column in GROUP_TABLES:
        if group is None or group.kind != kind:
            section.tables.append(
                _breakdown(
                    ctx,
                    (f"wellbeing-by-{kind.replace('_', '-')}", caption),
                    [column],
                    _group_rows(kind, ctx),
                    figures=figures,
                    total=("a", group, period, kind),
                    overall=overall,
                )
            )
    topics = topic_figures(ctx, figures)
    section.tables.append(
        topic_table(
            ctx,
            key="wellbeing-topics",
            caption="Topics affecting well-being at work",
            # The check-ins are the same cell as the weeks' total.
            cells={value: topics.cell(group, ctx.query.period, value) for value, _ in TOPICS},
            whole=figures.cells[(*total, "n")],
            population_label="check-ins",
        )
    )
    return section
