"""What a report is asked for: a fixed reporting period and at most one coarse group.

Periods are calendar months ("2026-10") and quarters ("2026-Q4"), never free date ranges: with
fixed periods, subtracting one report from another cannot isolate a few days and the few people in
them. Groups are one of organisation, career stage group or specialty group, never a combination.
Anything else in the query string is refused with a message, never guessed at.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from functools import cached_property

from mentoring.core.errors import ServiceError
from mentoring.core.vocabulary import CAREER_STAGE_GROUPS, SPECIALTY_GROUPS, label

EARLIEST_YEAR = 2020
MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
ALLOWED_PARAMETERS = frozenset({"period", "group"})


class BadReportRequest(ServiceError):
    """The query asked for a period, group or parameter that reports do not offer."""


@dataclass(frozen=True)
class Period:
    year: int
    month: int | None = None  # a month, or
    quarter: int | None = None  # a quarter

    @cached_property
    def key(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.month else f"{self.year}-Q{self.quarter}"

    @property
    def label(self) -> str:
        if self.month:
            return f"{MONTH_NAMES[self.month - 1]} {self.year}"
        first = MONTH_NAMES[(self.quarter - 1) * 3]
        last = MONTH_NAMES[(self.quarter - 1) * 3 + 2]
        return f"{first} to {last} {self.year} (quarter {self.quarter})"

    @property
    def start(self) -> date:
        month = self.month or (self.quarter - 1) * 3 + 1
        return date(self.year, month, 1)

    @property
    def end(self) -> date:
        """The first day after the period."""
        months = 1 if self.month else 3
        month = self.start.month + months
        return date(self.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)

    def bounds_in(self, zone: tzinfo) -> tuple[datetime, datetime]:
        """The moments the period starts and ends: midnight in the scheme's time zone.

        A request made at 23:30 UTC on 31 March, during British Summer Time, was made at 00:30
        on 1 April where the scheme runs, so it belongs to April.
        """
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end, time.min, tzinfo=zone),
        )

    def months(self) -> list[Period]:
        if self.month:
            return [self]
        first = (self.quarter - 1) * 3 + 1
        return [Period(self.year, month=m) for m in range(first, first + 3)]

    def iso_weeks(self) -> list[tuple[int, int]]:
        """ISO weeks whose Thursday falls in the period (ISO's own rule for a week's month)."""
        thursday = self.start + timedelta(days=(3 - self.start.weekday()) % 7)
        weeks = []
        while thursday < self.end:
            year, week, _ = thursday.isocalendar()
            weeks.append((year, week))
            thursday += timedelta(weeks=1)
        return weeks

    def is_future(self, today: date) -> bool:
        return self.start > today

    def iso_weeks_until(self, today: date) -> list[tuple[int, int]]:
        """The period's weeks that have begun by `today`."""
        return [w for w in self.iso_weeks() if date.fromisocalendar(*w, 1) <= today]

    def last_day_for(self, today: date) -> date:
        """The day 'as at' figures are read on: the period's last day, or today if it is running."""
        return min(self.end - timedelta(days=1), today)


def current_quarter(today: date) -> Period:
    return Period(today.year, quarter=(today.month - 1) // 3 + 1)


def parse_period(text: str, *, today: date) -> Period:
    month_match, quarter_match = _MONTH.match(text), _QUARTER.match(text)
    if month_match:
        year, month = int(month_match[1]), int(month_match[2])
        if not 1 <= month <= 12:
            raise BadReportRequest(f"There is no month {month}. Choose a period from the list.")
        period = Period(year, month=month)
    elif quarter_match:
        period = Period(int(quarter_match[1]), quarter=int(quarter_match[2]))
    else:
        raise BadReportRequest(
            "Choose a reporting period from the list: a month such as 2026-10 or a quarter such "
            "as 2026-Q4."
        )
    if period.year < EARLIEST_YEAR:
        raise BadReportRequest(f"Reports start in {EARLIEST_YEAR}. Choose a later period.")
    if period.is_future(today):
        raise BadReportRequest(
            "That period has not started yet. Choose this period or an earlier one."
        )
    return period


def recent_periods(today: date, *, quarters: int = 8, months: int = 12) -> list[Period]:
    """What the period menu offers: recent quarters, then recent months, newest first."""
    latest = current_quarter(today)
    offered = []
    year, quarter = latest.year, latest.quarter
    for _ in range(quarters):
        offered.append(Period(year, quarter=quarter))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    year, month = today.year, today.month
    for _ in range(months):
        offered.append(Period(year, month=month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return [period for period in offered if period.year >= EARLIEST_YEAR]


GROUP_KINDS = (
    ("organisation", "Organisation"),
    ("career_stage_group", "Career stage group"),
    ("specialty_group", "Specialty group"),
)


@dataclass(frozen=True)
class Group:
    kind: str  # one of GROUP_KINDS
    value: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.value}"

    @property
    def label(self) -> str:
        if self.kind == "career_stage_group":
            return label(CAREER_STAGE_GROUPS, self.value)
        if self.kind == "specialty_group":
            return label(SPECIALTY_GROUPS, self.value)
        return self.value


def group_choices(organisations: Sequence[str]) -> list[tuple[str, list[Group]]]:
    """Every group a report may be filtered to, by kind, in the order the menu shows them."""
    return [
        ("Organisation", [Group("organisation", name) for name in organisations]),
        ("Career stage group", [Group("career_stage_group", v) for v, _ in CAREER_STAGE_GROUPS]),
        ("Specialty group", [Group("specialty_group", v) for v, _ in SPECIALTY_GROUPS]),
    ]


def parse_group(text: str, *, organisations: Sequence[str]) -> Group | None:
    if text in ("", "all"):
        return None
    for _kind_label, groups in group_choices(organisations):
        for group in groups:
            if group.key == text:
                return group
    raise BadReportRequest("Choose a group from the list, or all doctors.")


@dataclass(frozen=True)
class ReportQuery:
    period: Period
    group: Group | None


def parse_report_query(
    args: Mapping[str, Sequence[str]], *, today: date, organisations: Sequence[str]
) -> ReportQuery:
    """Read `period` and `group` from a query string given as name -> list of values."""
    unknown = set(args) - ALLOWED_PARAMETERS
    if unknown:
        raise BadReportRequest(
            "Reports take a period and a group only. Use the form to choose them."
        )
    if any(len(values) > 1 for values in args.values()):
        raise BadReportRequest("Choose one period and at most one group.")
    period_text = (args.get("period") or [""])[0].strip()
    period = parse_period(period_text, today=today) if period_text else current_quarter(today)
    group = parse_group((args.get("group") or [""])[0].strip(), organisations=organisations)
    return ReportQuery(period=period, group=group)
