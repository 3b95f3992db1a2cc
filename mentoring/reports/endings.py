"""Endings and feedback: why relationships ended, and what mentees said of mentoring.

Ending reasons are plain columns of the relationship, counted for relationships that ended in the
period and grouped by the request that began them. Mentee feedback is stored apart from any
relationship, with only the month it was given (`mentee_feedback`): it can be counted by period but
never by group, so a group view says so instead of showing it. Feedback holds ratings and choices
only; there is no free text to read.

Endings by reason are protected for their whole family (`family`), groups and months; feedback by
its months and quarter only, having no group. Each feedback question is its own family.
"""

from __future__ import annotations

from sqlalchemy import case, func, select

from mentoring.extensions import db
from mentoring.relationships.models import MenteeFeedback, MentoringRelationship
from mentoring.relationships.vocabulary import ENDING_REASONS, HELPFULNESS
from mentoring.reports.context import ReportContext
from mentoring.reports.disclosure import Cell, protect_share
from mentoring.reports.family import Family, Figures, add_atoms, protect_family
from mentoring.reports.sql import count_when
from mentoring.reports.tables import Section, Table, TableRow
from mentoring.reports.uptake import REQUEST_COLUMNS, ended_between, request_keys
from mentoring.requests_.models import MentoringRequest

NOT_GIVEN = "not_given"
OTHER = "other"
ENDED = "ended"  # the total of the reasons
GIVEN = "given"  # the total of a question's answers
FEEDBACK_NOT_BY_GROUP = (
    "Mentees' feedback is kept apart from their relationships, with only the month it was given, "
    "so that it can never be traced to anyone. It cannot be shown for a group: choose all doctors "
    "to see it."
)
RECOMMEND_ROWS = (
    (True, "Would recommend mentoring"),
    (False, "Would not recommend mentoring"),
    (None, "Did not say"),
)


def ending_figures(ctx: ReportContext) -> Figures:
    """Relationships that ended in each period of the family, by reason, for every view,
    protected together: one query.

    An ending with no reason recorded is "no reason given"; a reason no longer in the list is
    "another reason", so every ending is counted once and the rows add up to the endings.
    """
    family = ctx.family
    known = [value for value, _ in ENDING_REASONS]
    reason = case(
        (MentoringRelationship.ending_reason.is_(None), NOT_GIVEN),
        (MentoringRelationship.ending_reason.in_(known), MentoringRelationship.ending_reason),
        else_=OTHER,
    )
    keys = request_keys(ctx)
    atoms: dict[tuple, int] = {}
    add_atoms(
        atoms,
        db.session.execute(
            select(
                *keys,
                reason.label("row"),
                *(
                    count_when(ended_between(*period.bounds_in(ctx.zone)))
                    for period in family.periods
                ),
            )
            .select_from(MentoringRelationship)
            .join(MentoringRequest, MentoringRequest.id == MentoringRelationship.request_id)
            .where(ended_between(*family.quarter.bounds_in(ctx.zone)))
            .group_by(*REQUEST_COLUMNS, MentoringRelationship.ending_reason)
        ),
        [(period.key, None) for period in family.periods],
    )
    rows = [*known, ENDED]
    values = family.totals(atoms, known)
    for group in (None, *family.groups):
        for period in family.periods:
            values[(group, period.key, ENDED)] = sum(
                values[(group, period.key, value)] for value in known
            )
    cells = protect_family(
        family, values, ctx.rules, rows=rows, total=ENDED, additive=rows, population=ENDED
    )
    return Figures(values, cells)


def ending_reason_counts(ctx: ReportContext) -> dict[str, int]:
    """Relationships that ended in the period, by reason (true counts; reasons with none left
    out)."""
    figures, group, period = ending_figures(ctx), ctx.query.group, ctx.query.period
    counts = {value: figures.true(group, period, value) for value, _ in ENDING_REASONS}
    return {value: n for value, n in counts.items() if n}


def feedback_figures(ctx: ReportContext, answers: str) -> Figures:
    """Feedback given in each month of the family, by one question's answers, protected
    together over the quarter and its months (never by group: it has none). One query."""
    family = Family(quarter=ctx.family.quarter, months=ctx.family.months, groups=())
    if answers == "helpfulness":
        column = MenteeFeedback.helpfulness
        rows = [f"helpful:{value}" for value, _ in HELPFULNESS]
        row = case(*((column == int(value), f"helpful:{value}") for value, _ in HELPFULNESS))
    else:
        column = MenteeFeedback.would_recommend
        rows = [f"recommend:{answer}" for answer, _ in RECOMMEND_ROWS]
        row = case(
            (column.is_(True), "recommend:True"),
            (column.is_(False), "recommend:False"),
            else_="recommend:None",
        )
    month = case(*((MenteeFeedback.month < period.end, period.key) for period in family.months))
    atoms: dict[tuple, int] = {}
    for label, period_key, n in db.session.execute(
        select(row, month, func.count())
        .where(
            MenteeFeedback.month >= family.quarter.start,
            MenteeFeedback.month < family.quarter.end,
        )
        .group_by(column, MenteeFeedback.month)
    ):
        if label is not None and period_key is not None:
            key = (None, None, None, period_key, label)
            atoms[key] = atoms.get(key, 0) + int(n)
    values = family.totals(atoms, rows, additive=rows)
    for period in family.periods:
        values[(None, period.key, GIVEN)] = sum(values[(None, period.key, r)] for r in rows)
    every_row = [*rows, GIVEN]
    cells = protect_family(
        family, values, ctx.rules, rows=every_row, total=GIVEN, additive=every_row, population=GIVEN
    )
    return Figures(values, cells)


def _column_table(
    *,
    key: str,
    caption: str,
    columns: list[str],
    rows: list[tuple[str, Cell]],
    total: Cell,
    total_label: str,
) -> Table:
    """Rows that partition a population, with their total and each row's share of it."""
    return Table(
        key=key,
        caption=caption,
        columns=columns,
        rows=[TableRow(label, [cell, protect_share(cell, total)]) for label, cell in rows],
        total=TableRow(total_label, [total, protect_share(total, total)]),
    )


def _reasons_table(ctx: ReportContext) -> Table:
    figures, group, period = ending_figures(ctx), ctx.query.group, ctx.query.period
    if figures.withheld(group, period):
        return ctx.withheld_table("endings-reasons", "Why relationships ended")
    return _column_table(
        key="endings-reasons",
        caption="Why relationships ended",
        columns=["Reason", "Relationships", "Share of relationships"],
        rows=[(label, figures.cell(group, period, value)) for value, label in ENDING_REASONS],
        total=figures.cell(group, period, ENDED),
        total_label="Relationships ended in the period",
    )


def _feedback_tables(ctx: ReportContext) -> list[Table]:
    helpful_caption = "How helpful mentees found mentoring"
    recommend_caption = "Whether mentees would recommend mentoring"
    captions = (("endings-helpfulness", helpful_caption), ("endings-recommend", recommend_caption))
    if ctx.query.group is not None:
        return [
            Table(key, caption, [caption], chart_column=None, withheld=FEEDBACK_NOT_BY_GROUP)
            for key, caption in captions
        ]
    period = ctx.query.period
    helpful = feedback_figures(ctx, "helpfulness")
    if helpful.withheld(None, period):
        return [ctx.withheld_table(key, caption) for key, caption in captions]
    recommend = feedback_figures(ctx, "recommend")
    columns = ["Feedback given", "Share of feedback"]
    return [
        _column_table(
            key="endings-helpfulness",
            caption=helpful_caption,
            columns=["Answer", *columns],
            rows=[
                (label, helpful.cell(None, period, f"helpful:{value}"))
                for value, label in HELPFULNESS
            ],
            total=helpful.cell(None, period, GIVEN),
            total_label="Feedback given in the period",
        ),
        _column_table(
            key="endings-recommend",
            caption=recommend_caption,
            columns=["Answer", *columns],
            rows=[
                (label, recommend.cell(None, period, f"recommend:{answer}"))
                for answer, label in RECOMMEND_ROWS
            ],
            total=recommend.cell(None, period, GIVEN),
            total_label="Feedback given in the period",
        ),
    ]


def endings_section(ctx: ReportContext) -> Section:
    return Section(
        key="endings",
        title="Endings and feedback",
        intro="Why the mentoring relationships that ended in this period ended, and the feedback "
        "mentees chose to give when theirs ended: a rating and whether they would recommend "
        "mentoring, never their own words.",
        tables=[_reasons_table(ctx), *_feedback_tables(ctx)],
    )
