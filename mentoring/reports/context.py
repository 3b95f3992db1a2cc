"""Everything a section needs to build its figures: the query, the rules, and today's date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mentoring.reports.disclosure import DisclosureRules
from mentoring.reports.filters import ReportQuery
from mentoring.reports.tables import Table

WITHHELD = (
    "Too few people are in this group for this period to show any figure without risk of "
    "identifying someone. Choose a longer period or a wider group."
)


@dataclass(frozen=True)
class ReportContext:
    query: ReportQuery
    rules: DisclosureRules
    today: date
    organisations: tuple[str, ...]

    @property
    def as_at(self) -> date:
        return self.query.period.last_day_for(self.today)

    def withheld_table(self, key: str, caption: str) -> Table:
        return Table(
            key=key, caption=caption, columns=[caption], chart_column=None, withheld=WITHHELD
        )
