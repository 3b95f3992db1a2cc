"""Everything a section needs to build its figures: the query, the rules, today's date, the zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

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
    zone: tzinfo  # the scheme's time zone (`TIMEZONE`): periods start at its midnight

    @property
    def starts_at(self) -> datetime:
        return self.query.period.bounds_in(self.zone)[0]

    @property
    def ends_at(self) -> datetime:
        return self.query.period.bounds_in(self.zone)[1]

    @property
    def as_at(self) -> date:
        return self.query.period.last_day_for(self.today)

    def withheld_table(self, key: str, caption: str) -> Table:
        return Table(
            key=key, caption=caption, columns=[caption], chart_column=None, withheld=WITHHELD
        )
