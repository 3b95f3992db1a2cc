"""What people bring: how often each topic appears, most frequent first (seed 003, Table 3).

Topics in requests come from `request_topic`, counted over the requests made in the period. Topics
in sessions (`session_topic`) and the kinds of service mentees were pointed towards
(`session_signpost`) are counted over relationships: how many of the relationships that met in the
period had a session naming each one, so one pair meeting often counts once.

The counts are protected with their families (`uptake.request_figures`, `sessions.session_figures`):
a topic's count for everyone, each group and each month is kept safe together, and each table's
total is the same cell as the one uptake or sessions shows.
"""

from __future__ import annotations

from mentoring.core.vocabulary import TOPICS
from mentoring.relationships.vocabulary import SIGNPOST_KINDS
from mentoring.reports.context import ReportContext
from mentoring.reports.sessions import SIGNPOST, session_figures
from mentoring.reports.sessions import TOPIC as SESSION_TOPIC
from mentoring.reports.tables import Section, Table
from mentoring.reports.topics import ranked_table, topic_table
from mentoring.reports.uptake import TOPIC, request_figures


def request_topic_counts(ctx: ReportContext) -> tuple[dict[str, int], int]:
    """How many requests made in the period name each topic, and how many requests there were
    (true counts, from the family; topics no request named left out)."""
    figures, group, period = request_figures(ctx), ctx.query.group, ctx.query.period
    counts = {value: figures.true(group, period, TOPIC + value) for value, _ in TOPICS}
    return {value: n for value, n in counts.items() if n}, figures.true(group, period, "made")


def _requests_table(ctx: ReportContext) -> Table:
    figures, group, period = request_figures(ctx), ctx.query.group, ctx.query.period
    if figures.withheld(group, period):
        return ctx.withheld_table("bring-request-topics", "Topics in requests")
    # The requests made are the same cell as uptake's total: one figure, published once.
    return topic_table(
        ctx,
        key="bring-request-topics",
        caption="Topics in requests",
        cells={value: figures.cell(group, period, TOPIC + value) for value, _ in TOPICS},
        whole=figures.cell(group, period, "made"),
        population_label="requests",
    )


def _session_tables(ctx: ReportContext) -> list[Table]:
    figures, group, period = session_figures(ctx), ctx.query.group, ctx.query.period
    if figures.withheld(group, period):
        return [
            ctx.withheld_table("bring-session-topics", "Topics in sessions"),
            ctx.withheld_table("bring-signposting", "Kinds of signposting"),
        ]
    # The relationships that met are the same cell as the sessions section's.
    common = {
        "whole": figures.cell(group, period, "met"),
        "total_label": "Relationships that met in the period",
    }
    return [
        ranked_table(
            ctx,
            key="bring-session-topics",
            caption="Topics in sessions",
            choices=TOPICS,
            cells={v: figures.cell(group, period, SESSION_TOPIC + v) for v, _ in TOPICS},
            columns=["Topic", "Relationships where it came up", "Share of relationships"],
            note="A relationship can have sessions on several topics, so the rows can add up to "
            "more than the total.",
            **common,
        ),
        ranked_table(
            ctx,
            key="bring-signposting",
            caption="Kinds of signposting",
            choices=SIGNPOST_KINDS,
            cells={v: figures.cell(group, period, SIGNPOST + v) for v, _ in SIGNPOST_KINDS},
            columns=[
                "Kind of service",
                "Relationships where a mentee was pointed to it",
                "Share of relationships",
            ],
            note="Only the kind of service is recorded, never which one or why. A mentee can be "
            "pointed to several kinds, so the rows can add up to more than the total.",
            **common,
        ),
    ]


def bring_section(ctx: ReportContext) -> Section:
    return Section(
        key="bring",
        title="What people bring",
        intro="How often each topic appears in the requests made in this period and in the "
        "sessions held in it, most frequent first, and the kinds of service mentors pointed "
        "mentees towards when mentoring was not the whole answer.",
        tables=[_requests_table(ctx), *_session_tables(ctx)],
    )
