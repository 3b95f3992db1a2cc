"""A family of views protected together, so that no view can be differenced against another.

Each view (a period and everyone or one group) is rounded and hidden by the same rules, but an
onlooker can set views side by side: everyone's figure less those of the other organisations, or a
quarter's less its other months, can leave a hidden figure at most 1 when a "*" is known to be at
least 1. So a figure is computed for its whole family at once, and suppressed across it:

- the family of a period is its quarter: the quarter and each of its months begun by today;
- for everyone and for every group of every kind (organisation, career stage group, specialty
  group), since everyone is in each kind's partition and everyone's figures must be the same
  whichever group was asked for first.

Every entry of the family (one figure of one view) has one key `(group, period key, row)`, `group`
None for everyone. A figure shared by two views (a month's sessions in the month's table and in its
quarter's) is one entry, so it is published the same in both. The lines suppression keeps safe are:

- (a) within a view's table: its rows and their total;
- (b) across groups: each kind's groups and everyone, for the same period and row. People in no
  group of the kind (an organisation not on the list) are counted in everyone and published
  nowhere else: the line is open, its groups adding up to at most everyone;
- (c) across time, for figures that add up over months (a flow counted by the month it happened:
  requests made, sessions held, endings): the months and the quarter. A snapshot at a period's end
  (relationships active) is the same for the quarter as for its last month: those two entries form
  a line of their own and are published alike. An outcome followed to a period's end (matched by
  then) adds up over neither.

A view whose population is from 1 to the threshold is withheld: all its entries are hidden, and an
onlooker knows its population is from 1 to the threshold. The whole family is suppressed before any
entry is published, so what a coordinator sees does not depend on which view was asked for first.

The module is pure: true counts in, `Cell`s out. The SQL that reads a figure for a family in one
GROUP BY query is in `sql.family_keys`.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from mentoring.reports.disclosure import Cell, DisclosureRules, Line, protect_entries
from mentoring.reports.filters import GROUP_KINDS, Group, Period

KINDS = tuple(kind for kind, _label in GROUP_KINDS)


def quarter_of(period: Period) -> Period:
    if period.quarter:
        return period
    return Period(period.year, quarter=(period.month - 1) // 3 + 1)


@dataclass(frozen=True)
class Family:
    """Every view of one quarter: everyone and each group, for the quarter and each begun month."""

    quarter: Period
    months: tuple[Period, ...]  # the quarter's months begun by the day the report is read
    groups: tuple[Group, ...]

    @classmethod
    def of(cls, period: Period, groups: Sequence[Group], today) -> Family:
        quarter = quarter_of(period)
        months = tuple(month for month in quarter.months() if month.start <= today)
        return cls(quarter=quarter, months=months, groups=tuple(groups))

    @property
    def periods(self) -> tuple[Period, ...]:
        return (self.quarter, *self.months)

    @property
    def last_month(self) -> Period:
        return self.months[-1]

    def kinds(self) -> dict[str, list[Group]]:
        kinds: dict[str, list[Group]] = {}
        for group in self.groups:
            kinds.setdefault(group.kind, []).append(group)
        return kinds

    def totals(
        self, atoms: Mapping[tuple, int], rows: Sequence[str], *, additive: Collection[str] = ()
    ) -> dict[tuple, int]:
        """Every entry's true value, from atoms.

        An atom's key is `(organisation, career stage group, specialty group, period key, row)`, a
        group None when the record is in no group of that kind. Rows in `additive` are given by
        month only and their quarter is the months' sum; others are given for every period.
        """
        # The family's group of each kind for each value (a record is in at most one per kind).
        group_of = [{} for _ in KINDS]
        for group in self.groups:
            group_of[KINDS.index(group.kind)].setdefault(group.value, []).append(group)
        quarter, additive = self.quarter.key, frozenset(additive)
        # Atoms are a cross of every kind (thousands at national scale), but each entry is
        # everyone's or one kind's: add the atoms up by period and row for everyone and by each
        # kind's value, then give each sum to its groups and, for a month of an additive row, to
        # the quarter too (the same sums as adding every atom to each of its entries).
        everyone: dict[tuple, int] = {}
        by_kind: list[dict[tuple, int]] = [{} for _ in KINDS]
        for atom, n in atoms.items():
            *in_groups, period_key, row = atom
            n = int(n)
            key = (period_key, row)
            everyone[key] = everyone.get(key, 0) + n
            for index, value in enumerate(in_groups):
                sums = by_kind[index]
                key = (value, period_key, row)
                sums[key] = sums.get(key, 0) + n
        values: dict[tuple, int] = {}

        def add(group, period_key, row, n) -> None:
            entry = (group, period_key, row)
            values[entry] = values.get(entry, 0) + n
            if row in additive and period_key != quarter:
                entry = (group, quarter, row)
                values[entry] = values.get(entry, 0) + n

        for (period_key, row), n in everyone.items():
            add(None, period_key, row, n)
        for index, sums in enumerate(by_kind):
            for (value, period_key, row), n in sums.items():
                for group in group_of[index].get(value, ()):
                    add(group, period_key, row, n)
        return {
            (group, period.key, row): values.get((group, period.key, row), 0)
            for group in (None, *self.groups)
            for period in self.periods
            for row in rows
        }


def protect_family(
    family: Family,
    values: Mapping[tuple, int],
    rules: DisclosureRules,
    *,
    rows: Sequence[str],
    total: str | None = None,
    parts: Sequence[str] | None = None,
    additive: Collection[str] = (),
    by_month: Collection[str] = (),
    same_at_end: Collection[str] = (),
    population: str | Mapping[tuple, int] | None = None,
    beyond_population: Collection[str] = (),
    summarised: Collection[str] = (),
) -> Mapping[tuple, Cell]:
    """Protect one figure for every view of a family; key `(group, period key, row)`.

    `rows` are the view's figures; `total` (one of them) the total of `parts` (by default every
    other row) in each view's table, published as the sum of their rounded values. `additive`
    rows add up over months (line c). `by_month` rows are shown in the quarter's table month by
    month, the quarter's figure being the total of the rounded months. `same_at_end` rows are
    snapshots: the quarter's is its last month's. `population` is the row, or the counts per
    `(group, period key)`, of each view's population: a view with 1 to the threshold is
    withheld. Every row counts some of that population, but for those in `beyond_population`
    (sessions: a relationship can have many). `summarised` rows count the people a median
    beside them is taken over (which tells whether the count is below the minimum group).
    """
    # Every view of a quarter computes the same families: suppression is done once for given true
    # counts and kept (keyed by the counts themselves, so it is never out of date).
    return _protect(
        family,
        frozenset(values.items()),
        rules,
        (
            tuple(rows),
            total,
            None if parts is None else tuple(parts),
            frozenset(additive),
            frozenset(by_month),
            frozenset(same_at_end),
            population
            if isinstance(population, str) or population is None
            else frozenset(population.items()),
            frozenset(beyond_population),
            frozenset(summarised),
        ),
    )


@functools.lru_cache(maxsize=64)
def _protect(
    family: Family, frozen_values: frozenset, rules: DisclosureRules, spec: tuple
) -> Mapping[tuple, Cell]:
    """`protect_family` on hashable arguments (its keywords, in order, as `spec`)."""
    (
        rows,
        total,
        parts,
        additive,
        by_month,
        same_at_end,
        population,
        beyond_population,
        summarised,
    ) = spec
    values = dict(frozen_values)
    if isinstance(population, frozenset):
        population = dict(population)
    sums_of: dict[tuple, list[tuple]] = {}
    lines = _table_lines(family, rows, total, parts, sums_of)
    lines += _time_lines(family, rows, additive, by_month, same_at_end, sums_of)
    lines += _group_lines(family, values, rows)
    groups, periods = (None, *family.groups), [period.key for period in family.periods]

    def people(group, period) -> int:
        if isinstance(population, str):
            return values[(group, period, population)]
        return population.get((group, period), 0) if population is not None else 0

    withheld_views = [
        (group, period)
        for group in groups
        for period in periods
        if rules.is_small(people(group, period))
    ]
    withheld = [(group, period, row) for group, period in withheld_views for row in rows]
    shown = set(itertools.product(groups, periods)) - set(withheld_views)
    cells = protect_entries(
        values,
        lines,
        rules,
        sums_of=sums_of,
        withheld=withheld,
        # Entries of a withheld view count some of its 1 to `threshold` people (but for rows
        # that can count more, such as sessions).
        populations=[key for key in withheld if key[2] not in beyond_population],
        shown_populations=[
            (group, period, population)
            for group, period in sorted(shown, key=str)
            if isinstance(population, str)
        ],
        summarised=[key for key in values if key[2] in summarised],
    )
    cells.withheld_views = frozenset(withheld_views)
    return cells


def _table_lines(family, rows, total, parts, sums_of) -> list[Line]:
    """(a) Each view's rows and their total."""
    if total is None:
        return []
    parts = [row for row in rows if row != total] if parts is None else list(parts)
    lines = []
    for group in (None, *family.groups):
        for period in family.periods:
            line = Line(
                tuple((group, period.key, row) for row in parts), (group, period.key, total)
            )
            sums_of[line.total] = list(line.parts)
            lines.append(line)
    return lines


def _time_lines(family, rows, additive, by_month, same_at_end, sums_of) -> list[Line]:
    """(c) The months and their quarter, for figures that add up over months; a snapshot's
    quarter and last month, which are the same figure."""
    months, quarter = [month.key for month in family.months], family.quarter.key
    lines = []
    for row in rows:
        for group in (None, *family.groups):
            over_months = Line(tuple((group, m, row) for m in months), (group, quarter, row))
            if row in by_month:
                sums_of[over_months.total] = list(over_months.parts)
                lines.append(over_months)
            elif row in additive:
                lines.append(Line(over_months.parts, over_months.total, exact=False))
            elif row in same_at_end:
                lines.append(Line(((group, months[-1], row),), (group, quarter, row)))
    return lines


def _group_lines(family, values, rows) -> list[Line]:
    """(b) Each kind's groups and everyone, for each period and row: open when some people are
    in no group of the kind."""
    lines = []
    for members in family.kinds().values():
        for period in family.periods:
            for row in rows:
                parts = tuple((group, period.key, row) for group in members)
                everyone = (None, period.key, row)
                rest = values[everyone] - sum(values[part] for part in parts)
                lines.append(Line(parts, everyone, open=rest > 0, exact=False))
    return lines


def is_withheld(cells, group: Group | None, period: Period) -> bool:
    """Whether a view was withheld (its population is from 1 to the threshold)."""
    return (group, period.key) in cells.withheld_views


@dataclass(frozen=True)
class Figures:
    """A family's true counts and published cells, read for one view at a time."""

    values: Mapping[tuple, int]
    cells: Mapping[tuple, Cell]

    def cell(self, group: Group | None, period: Period, row: str) -> Cell:
        return self.cells[(group, period.key, row)]

    def true(self, group: Group | None, period: Period, row: str) -> int:
        return self.values[(group, period.key, row)]

    def withheld(self, group: Group | None, period: Period) -> bool:
        return is_withheld(self.cells, group, period)


def add_atoms(atoms: dict[tuple, int], rows, names: Sequence[tuple[str, str]]) -> None:
    """Add a GROUP BY result to atoms: each row is the three group keys, then one count per
    `(period key, row)` of `names` (or, with a leading row name column, `(period key, None)`)."""
    for row in rows:
        org, stage, specialty, *rest = row
        label = None
        if len(rest) == len(names) + 1:
            label, *rest = rest
        for (period, name), n in zip(names, rest, strict=True):
            key = (org, stage, specialty, period, name if name is not None else label)
            atoms[key] = atoms.get(key, 0) + int(n or 0)
