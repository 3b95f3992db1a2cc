"""What people bring: how often each topic appears, most frequent first (seed 003, Table 3).

Topics in requests come from `request_topic`. Topics in session logs and the kinds of signposting
that happen come from session logs, a later part of the scheme: `PENDING_FIGURES` is where their
builders plug in.
"""

from __future__ import annotations

from collections.abc import Callable

from mentoring.reports.context import ReportContext
from mentoring.reports.tables import Section, Table
from mentoring.reports.uptake import NOT_YET

PENDING_FIGURES: list[tuple[str, Callable[[ReportContext], Table] | None]] = [
    ("Topics in sessions", None),
    ("Kinds of signposting", None),
]


def bring_section(ctx: ReportContext) -> Section:
    section = Section(
        key="bring",
        title="What people bring",
        intro="How often each topic appears, most frequent first.",
    )
    section.pending.append(("Topics in requests", "Recorded when requests arrive"))
    for figure, builder in PENDING_FIGURES:
        if builder is None:
            section.pending.append((figure, NOT_YET))
        else:
            section.tables.append(builder(ctx))
    return section
