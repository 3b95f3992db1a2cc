"""Disclosure control: the only place a true count becomes a number someone may see.

Every figure on every report passes through here; nothing else in `mentoring.reports` formats a
count.
The rules follow the UK's published practice for health statistics below national level (DOMAIN.md,
"Small numbers in reports"):

- 0 stays 0; a count from 1 to the threshold (7) is shown as "*"; any other count is rounded to the
  nearest multiple of the rounding base (5).
- Percentages are computed from the rounded numbers, never from the true ones.
- Totals are built from the rounded cells, and a total is hidden like any count when it is small.
- Secondary suppression: wherever a total is published, no line (the cells it adds up, plus the
  total) may hold exactly one hidden non-zero entry, or the total minus the others would give it
  away. The next smallest entry of that line is hidden too, until no line gives one away. A
  total whose line shows nothing but hidden entries and zeros is hidden too when its hidden
  entries round to no more than the threshold: it would cap them (four hidden 2s total 0).
- A mean or median is shown only over at least `min_group_for_summary` (8) people.
- A view whose whole population is from 1 to the threshold shows nothing but a message.

The module is pure: plain numbers in, `Cell`s out, no database and no Flask.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

HIDDEN = "*"
MIN_ROUNDING_BASE = 5
NOTHING = "-"  # no one to take a share or median of: not hidden, there is nothing


@dataclass(frozen=True)
class DisclosureRules:
    threshold: int = 7  # counts 1..threshold are hidden
    rounding_base: int = 5  # every other count is rounded to the nearest multiple of this
    min_group_for_summary: int = 8  # no mean or median over fewer people than this

    def __post_init__(self) -> None:
        if self.threshold < 1 or self.min_group_for_summary <= self.threshold:
            raise ValueError("the threshold must be at least 1 and below the minimum group")
        if self.rounding_base < MIN_ROUNDING_BASE:
            # A smaller base rounds a hidden 1 (and only a 1) to 0, so a total could give it away.
            raise ValueError(f"the rounding base must be at least {MIN_ROUNDING_BASE}")
        if (self.threshold + self.rounding_base // 2) % self.rounding_base == 0:
            # The threshold would be the smallest count rounding up to the next multiple (8 with
            # base 5 rounds to 10, as do 9 to 12): a hidden count that a withheld view shows is
            # at most the threshold, and whose rounded value a total gives, would be that count.
            raise ValueError(
                "the threshold must not be the smallest number that rounds up to a multiple of "
                "the rounding base"
            )

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> DisclosureRules:
        return cls(
            threshold=int(config.get("REPORT_SUPPRESSION_THRESHOLD", 7)),
            rounding_base=int(config.get("REPORT_ROUNDING_BASE", 5)),
            min_group_for_summary=int(config.get("REPORT_MIN_GROUP_FOR_SUMMARY", 8)),
        )

    def is_small(self, count: int) -> bool:
        return 0 < count <= self.threshold

    def round(self, count: int) -> int:
        """To the nearest multiple of the base, halves upwards (integers only: no float error)."""
        base = self.rounding_base
        return ((count + base // 2) // base) * base if base > 1 else count

    def population_allows(self, population: int) -> bool:
        """May a view over this many people show anything at all?"""
        return not self.is_small(population)


class Hidden(StrEnum):
    SMALL = "small"  # primary: the count itself is from 1 to the threshold
    COMPLEMENT = "complement"  # secondary: hidden so that a small neighbour cannot be worked out
    FEW_PEOPLE = "few_people"  # a summary over fewer people than allowed, or of a hidden count


@dataclass(frozen=True)
class Cell:
    """One figure as published: a number, or hidden and why."""

    value: int | float | None
    hidden: Hidden | None = None
    kind: str = "count"  # count, percent, summary

    @property
    def shown(self) -> bool:
        return self.hidden is None

    @property
    def text(self) -> str:
        if self.hidden is not None:
            return HIDDEN
        if self.value is None:
            return NOTHING
        if self.kind == "percent":
            return f"{self.value:g}%"
        if isinstance(self.value, float):
            return f"{self.value:.1f}".removesuffix(".0")
        return f"{self.value:,}"

    def __str__(self) -> str:
        return self.text


def protect_count(count: int, rules: DisclosureRules) -> Cell:
    if count < 0:
        raise ValueError("a count cannot be negative")
    if rules.is_small(count):
        return Cell(None, Hidden.SMALL)
    return Cell(rules.round(count))


def protect_share(part: Cell, whole: Cell) -> Cell:
    """A whole-number percentage of two published counts, from their rounded values only."""
    if not part.shown or not whole.shown:
        return Cell(None, Hidden.FEW_PEOPLE, kind="percent")
    if not whole.value:
        return Cell(None, kind="percent")
    return Cell(round(100 * part.value / whole.value), kind="percent")


def protect_summary(value: float | None, people: int, rules: DisclosureRules) -> Cell:
    """A mean or median, shown only over enough people, to one decimal place."""
    if people == 0:
        return Cell(None, kind="summary")
    if value is None or people < rules.min_group_for_summary:
        return Cell(None, Hidden.FEW_PEOPLE, kind="summary")
    rounded = round(float(value), 1)
    return Cell(int(rounded) if rounded.is_integer() else rounded, kind="summary")


@dataclass
class ProtectedGrid:
    """A table of counts with its published totals, after primary and secondary suppression."""

    cells: list[list[Cell]]
    row_totals: list[Cell] | None = None
    column_totals: list[Cell] | None = None
    grand_total: Cell | None = None
    hidden_by_complement: int = field(default=0)


def protect_grid(
    counts: Sequence[Sequence[int]],
    rules: DisclosureRules,
    *,
    row_totals: bool = False,
    column_totals: bool = True,
) -> ProtectedGrid:
    """Protect a table of counts (rows x columns) and the totals it publishes.

    A published total is the sum of the rounded cells it adds up. A single-column table with
    `column_totals` is the common case: categories that partition a population, and their total.
    """
    rows = [list(row) for row in counts]
    width = len(rows[0]) if rows else 0
    if any(len(row) != width for row in rows) or any(c < 0 for row in rows for c in row):
        raise ValueError("a grid needs rows of equal length and no negative counts")
    true, sums_of, lines = _entries(rows, width, row_totals=row_totals, column_totals=column_totals)
    hidden = {key: Hidden.SMALL for key, n in true.items() if rules.is_small(n)}
    complements = _suppress_complements(lines, true, hidden, rules)

    def published(key: tuple) -> Cell:
        if key in hidden:
            return Cell(None, hidden[key])
        return Cell(sum(rules.round(true[cell]) for cell in sums_of.get(key, [key])))

    grid = ProtectedGrid(
        cells=[[published(("c", r, k)) for k in range(width)] for r in range(len(rows))],
        hidden_by_complement=complements,
    )
    if row_totals:
        grid.row_totals = [published(("r", r)) for r in range(len(rows))]
    if column_totals:
        grid.column_totals = [published(("k", k)) for k in range(width)]
    if row_totals and column_totals:
        grid.grand_total = published(("g",))
    return grid


def _entries(
    rows: list[list[int]], width: int, *, row_totals: bool, column_totals: bool
) -> tuple[dict[tuple, int], dict[tuple, list[tuple]], list[list[tuple]]]:
    """Every published entry's true value, the cells each total sums, and the lines.

    Keys: ("c", r, k) a cell, ("r", r) a row total, ("k", k) a column total, ("g",) the grand
    total. A line is the entries one published total adds up, with that total; the grand total
    closes two lines (the row totals and the column totals).
    """
    height, across = range(len(rows)), range(width)
    true: dict[tuple, int] = {("c", r, k): rows[r][k] for r in height for k in across}
    sums_of: dict[tuple, list[tuple]] = {}
    lines: list[list[tuple]] = []
    if row_totals:
        for r in height:
            sums_of[("r", r)] = [("c", r, k) for k in across]
            lines.append([*sums_of[("r", r)], ("r", r)])
    if column_totals:
        for k in across:
            sums_of[("k", k)] = [("c", r, k) for r in height]
            lines.append([*sums_of[("k", k)], ("k", k)])
    if row_totals and column_totals:
        sums_of[("g",)] = [key for key in true if key[0] == "c"]
        lines.append([*(("r", r) for r in height), ("g",)])
        lines.append([*(("k", k) for k in across), ("g",)])
    for total, cells in sums_of.items():
        true[total] = sum(true[cell] for cell in cells)
    return true, sums_of, lines


def _suppress_complements(
    lines: list[list[tuple]],
    true: dict[tuple, int],
    hidden: dict[tuple, Hidden],
    rules: DisclosureRules,
) -> int:
    """Hide the next smallest entry of any line with exactly one hidden non-zero entry, and any
    total that would tell too much about the hidden entries it adds up.

    Repeats until no line changes: hiding an entry for one line can leave another line (its column,
    or the totals) with a single hidden entry. Ties go to the entry that comes first, so the result
    is the same every time. Returns how many entries were hidden here.
    """
    added = 0
    changed = True
    while changed:
        changed = False
        for line in lines:
            key = _next_to_hide(line, true, hidden, rules)
            if key is not None:
                hidden[key] = Hidden.COMPLEMENT
                added += 1
                changed = True
    return added


def _next_to_hide(
    line: list[tuple], true: dict[tuple, int], hidden: dict, rules: DisclosureRules
) -> tuple | None:
    hidden_here = [key for key in line if key in hidden and true[key] > 0]
    candidates = [key for key in line if key not in hidden and true[key] > 0]
    if len(hidden_here) == 1 and candidates:
        return min(candidates, key=lambda key: true[key])
    # A line whose entries (before its total, the last) are hidden or 0 publishes in its total
    # only what its hidden entries round to. If that is no more than the threshold, the total
    # caps them: [2, 2, 2, 2] would total 0 for 8 people, so each 2 would show. Hide it too.
    *entries, total = line
    if total in hidden or true[total] == 0 or any(key in candidates for key in entries):
        return None
    if sum(rules.round(true[key]) for key in entries) <= rules.threshold:
        return total
    return None


def protect_column(counts: Sequence[int], rules: DisclosureRules) -> tuple[list[Cell], Cell]:
    """Categories that partition a population, and their total: the commonest table."""
    grid = protect_grid([[n] for n in counts], rules, column_totals=True)
    assert grid.column_totals is not None
    return [row[0] for row in grid.cells], grid.column_totals[0]


def protect_counts(counts: Sequence[int], rules: DisclosureRules) -> list[Cell]:
    """Counts that publish no total between them (topics: one request can name several)."""
    return [protect_count(n, rules) for n in counts]
