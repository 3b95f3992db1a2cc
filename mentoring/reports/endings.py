"""Endings and feedback: why relationships ended, and what mentees said of mentoring.

Ending reasons are plain columns of the relationship, counted for relationships that ended in the
period and grouped by the request that began them. Mentee feedback is stored apart from any
relationship, with only the month it was given (`mentee_feedback`): it can be counted by period but
never by group, so a group view says so instead of showing it. Feedback holds ratings and choices
only; there is no free text to read.
"""

from __future__ import annotations

from sqlalchemy import case, func, select

from mentoring.extensions import db
from mentoring.relationships.models import MenteeFeedback, MentoringRelationship
from mentoring.relationships.vocabulary import ENDING_REASONS, HELPFULNESS
from mentoring.reports.context import ReportContext
from mentoring.reports.disclosure import protect_column, protect_share
from mentoring.reports.tables import Section, Table, TableRow
from mentoring.reports.uptake import ended_in_period, in_group
from mentoring.requests_.models import MentoringRequest

NOT_GIVEN = "not_given"
OTHER = "other"
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


def ending_reason_counts(ctx: ReportContext) -> dict[str, int]:
    """Relationships that ended in the period, by reason: one query.

    An ending with no reason recorded is "no reason given"; a reason no longer in the list is
    "another reason", so every ending is counted once and the rows add up to the endings.
    """
    known = [value for value, _ in ENDING_REASONS]
    reason = case(
        (MentoringRelationship.ending_reason.is_(None), NOT_GIVEN),
        (MentoringRelationship.ending_reason.in_(known), MentoringRelationship.ending_reason),
        else_=OTHER,
    )
    rows = db.session.execute(
        select(reason, func.count())
        .select_from(MentoringRelationship)
        .join(MentoringRequest, MentoringRequest.id == MentoringRelationship.request_id)
        .where(ended_in_period(ctx), in_group(ctx))
        .group_by(reason)
    ).all()
    return {key: int(n) for key, n in rows}


def feedback_counts(ctx: ReportContext) -> dict[tuple[int, bool | None], int]:
    """(helpfulness, would recommend) -> feedback given in the period's months: one query."""
    period = ctx.query.period
    rows = db.session.execute(
        select(MenteeFeedback.helpfulness, MenteeFeedback.would_recommend, func.count())
        .where(MenteeFeedback.month >= period.start, MenteeFeedback.month < period.end)
        .group_by(MenteeFeedback.helpfulness, MenteeFeedback.would_recommend)
    ).all()
    return {(int(helpfulness), recommend): int(n) for helpfulness, recommend, n in rows}


def _column_table(
    ctx: ReportContext,
    *,
    key: str,
    caption: str,
    columns: list[str],
    rows: list[tuple[str, int]],
    total_label: str,
) -> Table:
    """Rows that partition a population, with their total and each row's share of it."""
    cells, total = protect_column([n for _label, n in rows], ctx.rules)
    return Table(
        key=key,
        caption=caption,
        columns=columns,
        rows=[
            TableRow(label, [cell, protect_share(cell, total)])
            for (label, _n), cell in zip(rows, cells, strict=True)
        ],
        total=TableRow(total_label, [total, protect_share(total, total)]),
    )


def _reasons_table(ctx: ReportContext) -> Table:
    counts = ending_reason_counts(ctx)
    if not ctx.rules.population_allows(sum(counts.values())):
        return ctx.withheld_table("endings-reasons", "Why relationships ended")
    return _column_table(
        ctx,
        key="endings-reasons",
        caption="Why relationships ended",
        columns=["Reason", "Relationships", "Share of relationships"],
        rows=[(label, counts.get(value, 0)) for value, label in ENDING_REASONS],
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
    counts = feedback_counts(ctx)
    if not ctx.rules.population_allows(sum(counts.values())):
        return [ctx.withheld_table(key, caption) for key, caption in captions]
    helpful = [
        (label, sum(n for (rating, _), n in counts.items() if str(rating) == value))
        for value, label in HELPFULNESS
    ]
    recommend = [
        (label, sum(n for (_, said), n in counts.items() if said is answer))
        for answer, label in RECOMMEND_ROWS
    ]
    columns = ["Feedback given", "Share of feedback"]
    return [
        _column_table(
            ctx,
            key="endings-helpfulness",
            caption=helpful_caption,
            columns=["Answer", *columns],
            rows=helpful,
            total_label="Feedback given in the period",
        ),
        _column_table(
            ctx,
            key="endings-recommend",
            caption=recommend_caption,
            columns=["Answer", *columns],
            rows=recommend,
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
