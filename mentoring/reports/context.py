"""Everything a section needs to build its figures: the query, the rules, today's date, the zone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from mentoring.reports.disclosure import DisclosureRules
from mentoring.reports.family import Family
from mentoring.reports.filters import ReportQuery, group_choices
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
    # Figures more than one section shows, read from the database once per dashboard.
    shared: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def once(self, compute: Callable[[ReportContext], Any]) -> Any:
        """`compute(self)`, taken once for this context however many sections ask for it."""
        name = compute.__qualname__
        if name not in self.shared:
            self.shared[name] = compute(self)
        return self.shared[name]

    @property
    def family(self) -> Family:
        """Every view this one is suppressed with: its quarter's, for everyone and each group."""
        groups = [
            group for _kind, members in group_choices(self.organisations) for group in members
        ]
        return Family.of(self.query.period, groups, self.today)

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
