"""The dashboard's sections, in order: the one list a new kind of figure is added to.

Each entry builds one `Section` from a `ReportContext`. A new kind of figure is a table in one of
these sections, or a new section here; no page or CSV code changes, because pages and downloads
only ever walk the tables these builders return. A table's key starts with its section's key.
"""

from __future__ import annotations

from mentoring.reports.bring import bring_section
from mentoring.reports.context import ReportContext
from mentoring.reports.endings import endings_section
from mentoring.reports.pool import pool_section
from mentoring.reports.sessions import sessions_section
from mentoring.reports.tables import Section, SectionBuilder
from mentoring.reports.uptake import uptake_section
from mentoring.reports.wellbeing import wellbeing_section

SECTIONS: dict[str, SectionBuilder] = {
    "uptake": uptake_section,
    "bring": bring_section,
    "sessions": sessions_section,
    "endings": endings_section,
    "pool": pool_section,
    "wellbeing": wellbeing_section,
}


def build_dashboard(ctx: ReportContext) -> list[Section]:
    return [build(ctx) for build in SECTIONS.values()]
