"""Uptake: requests made, matched, withdrawn and unmatched, time to match, relationships.

Figures about sessions (how many, per relationship), how relationships end and what mentees say of
them come from session logs, a later part of the scheme. Until then they are listed as pending:
see `SESSION_FIGURES`, the extension point where those builders plug in.
"""

from __future__ import annotations

from collections.abc import Callable

from mentoring.reports.context import ReportContext
from mentoring.reports.tables import Section, Table

NOT_YET = "Recorded when session logs arrive"

# (figure, builder or None). A builder takes the context and returns a Table; None is pending.
SESSION_FIGURES: list[tuple[str, Callable[[ReportContext], Table] | None]] = [
    ("Sessions per month", None),
    ("Sessions per relationship", None),
    ("Why relationships ended", None),
    ("Mentee feedback", None),
]


def add_session_figures(section: Section, ctx: ReportContext) -> None:
    for figure, builder in SESSION_FIGURES:
        if builder is None:
            section.pending.append((figure, NOT_YET))
        else:
            section.tables.append(builder(ctx))


def uptake_section(ctx: ReportContext) -> Section:
    section = Section(
        key="uptake",
        title="Uptake",
        intro="Requests for a mentor made in this period, and what had become of them by its end.",
    )
    section.pending.append(("Requests, matches and relationships", "Recorded when requests arrive"))
    add_session_figures(section, ctx)
    return section
