"""What people bring: how often each topic appears, most frequent first (seed 003, Table 3).

Topics in requests come from `request_topic`. Topics in session logs and the kinds of signposting
that happen come from session logs, a later part of the scheme: `PENDING_FIGURES` is where their
builders plug in.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from mentoring.extensions import db
from mentoring.reports.context import ReportContext
from mentoring.reports.tables import Section, Table
from mentoring.reports.topics import topic_table
from mentoring.reports.uptake import NOT_YET, requests_made
from mentoring.requests_.models import MentoringRequest, RequestTopic

PENDING_FIGURES: list[tuple[str, Callable[[ReportContext], Table] | None]] = [
    ("Topics in sessions", None),
    ("Kinds of signposting", None),
]


def request_topic_counts(ctx: ReportContext) -> tuple[dict[str, int], int]:
    """How many requests made in the period name each topic, and how many requests there were."""
    counts = dict(
        db.session.execute(
            select(RequestTopic.topic, func.count())
            .join(MentoringRequest, MentoringRequest.id == RequestTopic.request_id)
            .where(*requests_made(ctx))
            .group_by(RequestTopic.topic)
        ).all()
    )
    made = db.session.scalar(select(func.count()).where(*requests_made(ctx))) or 0
    return counts, int(made)


def bring_section(ctx: ReportContext) -> Section:
    section = Section(
        key="bring",
        title="What people bring",
        intro="How often each topic appears in the requests made in this period, most frequent "
        "first.",
    )
    counts, made = request_topic_counts(ctx)
    if ctx.rules.population_allows(made):
        section.tables.append(
            topic_table(
                ctx,
                key="bring-request-topics",
                caption="Topics in requests",
                counts=counts,
                population=made,
                population_label="requests",
            )
        )
    else:
        section.tables.append(ctx.withheld_table("bring-request-topics", "Topics in requests"))
    for figure, builder in PENDING_FIGURES:
        if builder is None:
            section.pending.append((figure, NOT_YET))
        else:
            section.tables.append(builder(ctx))
    return section
