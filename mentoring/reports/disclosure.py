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
- Lines whose entries are each rounded on their own (a group's figure and everyone's; months and
  their quarter: see `family`) only bound their hidden entries, but a "*" is at least 1, so a
  line can still pin one at an edge (everyone 17, shown 15, less two groups shown 10, each at
  least 8, leaves at most 1 for a third "*"). `_Suppression.pins` reads each line as an onlooker
  would (a rounded figure as a range, a "*" as at least 1, a withheld view's figure as 1 to the
  threshold, a shown view's population as 0 or more than the threshold, a total of rounded
  figures as capping its hidden ones) and hides a further entry of any line that would pin a
  hidden count to one value.
- A mean or median is shown only over at least `min_group_for_summary` (8) people.
- A view whose whole population is from 1 to the threshold shows nothing but a message.

`protect_grid` and `protect_column` protect one table; `protect_entries` any set of entries and
lines, which `family` uses to protect every view of a quarter together.

The module is pure: plain numbers in, `Cell`s out, no database and no Flask.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Mapping, Sequence
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
    WITHHELD = "withheld"  # in a view whose population is from 1 to the threshold


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
    complements = _suppress_complements(lines, true, hidden, rules, sums_of=sums_of)

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


INFINITY = 10**12


@dataclass(frozen=True)
class Line:
    """Published entries that add up to a published total: `parts` + remainder = `total`.

    `open` says the total also counts people in none of the parts (the ones in no group of a kind,
    never published on their own): the parts then add up to at most the total. `exact` is False
    for a line whose entries are rounded each on its own (a group's figure and everyone's).
    """

    parts: tuple
    total: tuple
    open: bool = False
    # The total is published as the sum of these parts' rounded values (a table's total), or must
    # be published alike (one figure twice): one hidden entry is given away to within rounding.
    # Otherwise each is rounded on its own, and the line only bounds hidden entries.
    exact: bool = True

    @property
    def entries(self) -> list[tuple]:
        return [*self.parts, self.total]


@dataclass
class _Suppression:
    """The state of one suppression run: true values, what is hidden, and what an onlooker knows.

    `populations` are entries of views shown only as a message that count some of the view's
    population (from 1 to the threshold), so each is taken to be from 1 to the threshold.
    `shown_populations` are the populations of views that are shown: each is 0 or more than the
    threshold, whether or not its own figure is hidden. `summarised` entries count the people a
    median beside them is taken over: shown only over `min_group_for_summary`, the median tells
    whether the count is 0, below that or not.
    """

    true: Mapping[tuple, int]
    hidden: dict[tuple, Hidden]
    rules: DisclosureRules
    sums_of: Mapping[tuple, Sequence[tuple]] = field(default_factory=dict)
    populations: frozenset = frozenset()
    shown_populations: frozenset = frozenset()
    summarised: frozenset = frozenset()

    def __post_init__(self) -> None:
        self._known: dict[tuple, tuple[int, int]] = {}
        self._published: dict[tuple, int] = {}
        self._dependents: dict[tuple, set[tuple]] = {}
        self.totals_of: dict[tuple, list[tuple]] = {}
        for total, parts in self.sums_of.items():
            for part in parts:
                self.totals_of.setdefault(part, []).append(total)

    def settle(self) -> None:
        """Drop what only the search for entries to hide needed (the result may be kept)."""
        self._known.clear()
        self._dependents.clear()
        self.totals_of.clear()

    def hide(self, key: tuple, reason: Hidden = Hidden.COMPLEMENT) -> None:
        self.hidden[key] = reason
        self._forget(key)

    def show(self, key: tuple) -> None:
        del self.hidden[key]
        self._forget(key)

    def _forget(self, key: tuple) -> None:
        for entry in self.dependents(key):
            self._known.pop(entry, None)

    def dependents(self, key: tuple) -> set[tuple]:
        """Entries whose range, as an onlooker reads it, depends on whether `key` is hidden: the
        entry, the other parts of totals it is in (which such a total caps), and every total any
        of these is part of, and theirs."""
        if key not in self._dependents:
            near = {
                key,
                *(part for total in self.totals_of.get(key, []) for part in self.sums_of[total]),
            }
            found = set(near)
            stack = list(near)
            while stack:
                for total in self.totals_of.get(stack.pop(), []):
                    if total not in found:
                        found.add(total)
                        stack.append(total)
            self._dependents[key] = found
        return self._dependents[key]

    def rounded_in(self, key: tuple) -> int:
        """How many figures rounded on their own make up an entry's published value."""
        if key not in self.sums_of:
            return 1
        return sum(self.rounded_in(part) for part in self.sums_of[key])

    def capping(self, key: tuple) -> list[tuple]:
        """Published totals of rounded parts that include this hidden entry."""
        return [total for total in self.totals_of.get(key, []) if total not in self.hidden]

    def published(self, key: tuple) -> int:
        """A total's published value is the sum of its parts' (themselves totals, or rounded)."""
        if key not in self._published:
            if key in self.sums_of:
                value = sum(self.published(part) for part in self.sums_of[key])
            else:
                value = self.rules.round(self.true[key])
            self._published[key] = value
        return self._published[key]

    def known(self, key: tuple) -> tuple[int, int]:
        """What an onlooker reads from an entry's own figure: the range of its true value."""
        if key not in self._known:
            self._known[key] = self._read(key)
        return self._known[key]

    def _read(self, key: tuple) -> tuple[int, int]:
        rules = self.rules
        if key in self.hidden:
            # A "*" is never a 0 (zeros are always shown). A withheld view's entry may be, but
            # is taken to be at least 1 all the same: the onlooker may know more of how rows
            # relate (every request names a topic) than one line says.
            low, high = 1, INFINITY
            if key in self.populations:
                low, high = 1, rules.threshold
            elif key in self.shown_populations:
                # The population of a view that is shown: 0, or more than the threshold.
                low = rules.threshold + 1
            if key in self.summarised:
                if self.true[key] >= rules.min_group_for_summary:
                    low = max(low, rules.min_group_for_summary)
                else:
                    high = min(high, rules.min_group_for_summary - 1)
            # A total of rounded figures less those shown is what the hidden ones round to: each
            # rounds to no more than that.
            for total in self.capping(key):
                rest = self.published(total) - sum(
                    self.published(part) for part in self.sums_of[total] if part not in self.hidden
                )
                high = min(high, rest + (rules.rounding_base - 1) // 2 * self.rounded_in(key))
            return (low, high)
        value = self.published(key)
        half_down, half_up = rules.rounding_base // 2, (rules.rounding_base - 1) // 2
        if key not in self.sums_of:
            if value == 0:
                return (0, 0)
            return (max(value - half_down, rules.threshold + 1), value + half_up)
        # A total published as the sum of its rounded parts: each part is off by a few.
        parts = [self.known(part) for part in self.sums_of[key]]
        unsure = sum(1 for part in parts if part != (0, 0))
        return (
            max(sum(low for low, _ in parts), value - half_down * unsure),
            min(sum(high for _, high in parts), value + half_up * unsure),
        )

    def pins(self, line: Line) -> bool:
        """Would this line alone pin a hidden count from 1 to the threshold to one value?

        The line says: parts + remainder = total, the remainder 0 for a closed line and at least 0
        for an open one. With every other entry at its extreme, a hidden entry's range can close
        up at an edge: everyone 17 (15) less two groups of at least 8 (10) leaves at most 1 for a
        third whose "*" says at least 1.
        """
        known = {key: self.known(key) for key in line.entries}
        slack = INFINITY if line.open else 0
        total_low, total_high = known[line.total]
        for key in line.entries:
            if key not in self.hidden or not self.rules.is_small(self.true[key]):
                continue
            low, high = known[key]
            if key == line.total:
                low = max(low, sum(known[p][0] for p in line.parts))
                high = min(high, sum(known[p][1] for p in line.parts) + slack)
            else:
                others = [known[p] for p in line.parts if p != key]
                high = min(high, total_high - sum(lo for lo, _ in others))
                low = max(low, total_low - sum(hi for _, hi in others) - slack)
            if low >= high:
                return True
        return False


def protect_entries(
    true: Mapping[tuple, int],
    lines: Sequence[Line],
    rules: DisclosureRules,
    *,
    sums_of: Mapping[tuple, Sequence[tuple]] | None = None,
    withheld: Collection[tuple] = (),
    populations: Collection[tuple] = (),
    shown_populations: Collection[tuple] = (),
    summarised: Collection[tuple] = (),
) -> Mapping[tuple, Cell]:
    """Protect any set of entries (keys to true counts) and the lines that tie them together.

    `sums_of` maps each total published as the sum of its parts to those parts; every other entry
    is rounded on its own. `withheld` entries are in views shown only as a message, hidden
    whatever their count; `populations`, `shown_populations` and `summarised` are as in
    `_Suppression`.
    """
    sums_of = sums_of or {}
    # A withheld view shows only a message; its figures that another view shows too are hidden
    # there, but for zeros, which stay 0 (a "*" is never 0).
    hidden = {key: Hidden.WITHHELD for key in withheld if true[key] > 0}
    for key, n in true.items():
        if key not in hidden and rules.is_small(n):
            hidden[key] = Hidden.SMALL
    state = _Suppression(
        true,
        hidden,
        rules,
        sums_of,
        frozenset(populations),
        frozenset(shown_populations),
        frozenset(summarised),
    )
    # A line of zeros can never give anything away (zeros are never hidden): leave it out.
    lines = [line for line in lines if any(true[key] for key in line.entries)]
    _suppress(lines, state)
    # Lines checked one at a time can miss a chain: a figure hidden beside a small one, given
    # back to within rounding by another line, can pin the small one through a third. Narrow
    # every range across all lines that hold a hidden figure; hide more until nothing is pinned.
    while pinned := _audit(lines, state):
        key = _neighbour_to_hide(pinned, lines, state)
        if key is None:
            break
        state.hide(key)
        _suppress(lines, state)
    state.settle()
    return _Published(state)


def _audit(lines: list[Line], state: _Suppression) -> tuple | None:
    """The first hidden count from 1 to the threshold whose range, narrowed across every line
    holding a hidden figure until nothing changes, is one value; None if there is none."""
    hidden = state.hidden
    active = [line for line in lines if any(key in hidden for key in line.entries)]
    bounds = {key: state.known(key) for line in active for key in line.entries}
    active += _rounded_together(active, state, bounds)
    _narrow_all(active, bounds)
    for key, (low, high) in bounds.items():
        if key in hidden and state.rules.is_small(state.true.get(key, 0)) and low >= high:
            return key
    return None


def _narrow_all(active: list[Line], bounds: dict) -> None:
    """Narrow the lines in turn, round after round, until a round changes nothing (or
    `_AUDIT_ROUNDS` rounds).

    Each round is as if every line were narrowed again; a line is skipped only when that would
    change nothing: its last narrowing changed nothing and no entry of it has changed since (the
    same ranges in, so the same ranges out).
    """
    lines_of: dict[tuple, list[int]] = {}
    for index, line in enumerate(active):
        for key in line.entries:
            lines_of.setdefault(key, []).append(index)
    stale = [True] * len(active)
    for _round in range(_AUDIT_ROUNDS):
        narrowed = False
        for index, line in enumerate(active):
            if not stale[index]:
                continue
            changed = _narrow(line, bounds)
            stale[index] = bool(changed)
            for key in changed:
                narrowed = True
                for other in lines_of[key]:
                    stale[other] = True
        if not narrowed:
            break


def _rounded_together(lines: list[Line], state: _Suppression, bounds: dict) -> list[Line]:
    """The hidden parts of a shown total of rounded parts round, together, to the total less the
    parts shown: their sum is known to within a few for each part, whatever each one is. One
    line each, to a made-up entry holding that range."""
    half_down, half_up = state.rules.rounding_base // 2, (state.rules.rounding_base - 1) // 2
    made = []
    for index, line in enumerate(lines):
        if line.total in state.hidden or list(state.sums_of.get(line.total, ())) != list(
            line.parts
        ):
            continue
        parts = tuple(key for key in line.parts if key in state.hidden)
        if not parts:
            continue
        rest = state.published(line.total) - sum(
            state.published(key) for key in line.parts if key not in state.hidden
        )
        rounded = sum(state.rounded_in(key) for key in parts)
        together = ("rounded together", index)
        bounds[together] = (max(0, rest - half_down * rounded), rest + half_up * rounded)
        made.append(Line(parts, together))
    return made


def _narrow(line: Line, bounds: dict) -> list[tuple]:
    """Narrow each entry of a line against the others; the entries whose range changed.

    Run a million times in the first audit of a large family, so written out by hand: the same
    integer arithmetic as narrowing each part by the total less the others' sum.
    """
    slack = INFINITY if line.open else 0
    keys = line.parts
    parts = [bounds[key] for key in keys]
    low_sum = high_sum = 0
    for low, high in parts:
        low_sum += low
        high_sum += high
    if high_sum > INFINITY:
        high_sum = INFINITY
    total_low, total_high = bounds[line.total]
    new = {line.total: (max(total_low, low_sum), min(total_high, high_sum + slack))}
    # A part is at least the total's least less everyone else's most, and at most the total's
    # most less everyone else's least.
    floor, ceiling = total_low - slack - high_sum, total_high - low_sum
    for key, (low, high) in zip(keys, parts, strict=True):
        new[key] = (max(low, floor + high), min(high, ceiling + low))
    changed = []
    for key, (low, high) in new.items():
        old_low, old_high = bounds[key]
        if low < old_low:
            low = old_low
        if high > old_high:
            high = old_high
        if (low != old_low or high != old_high) and low <= high:
            bounds[key] = (low, high)
            changed.append(key)
    return changed


_AUDIT_ROUNDS = 50


def _neighbour_to_hide(pinned: tuple, lines: list[Line], state: _Suppression) -> tuple | None:
    """The smallest figure shown on a line through the pinned one, or failing that on a line
    through a hidden figure of those lines."""
    near = [line for line in lines if pinned in line.entries]
    for ring in (near, [line for line in lines if set(line.entries) & _hidden_in(near, state)]):
        shown = {
            key
            for line in ring
            for key in line.entries
            if key not in state.hidden and state.true[key] > 0
        }
        if shown:
            return min(shown, key=lambda key: (state.true[key], str(key)))
    return None


def _hidden_in(lines: list[Line], state: _Suppression) -> set[tuple]:
    return {key for line in lines for key in line.entries if key in state.hidden}


class _Published(Mapping):
    """Each entry's published `Cell`, made when it is first read: a family has thousands of
    entries, and a view reads a few dozen."""

    def __init__(self, state: _Suppression) -> None:
        self._state = state
        self._cells: dict[tuple, Cell] = {}
        self.withheld_views: frozenset = frozenset()  # set by `family.protect_family`

    def __getitem__(self, key: tuple) -> Cell:
        if key not in self._cells:
            state = self._state
            if key not in state.true:
                raise KeyError(key)
            hidden = state.hidden.get(key)
            self._cells[key] = Cell(None, hidden) if hidden else Cell(state.published(key))
        return self._cells[key]

    def __iter__(self):
        return iter(self._state.true)

    def __len__(self) -> int:
        return len(self._state.true)


def _suppress_complements(
    lines: Sequence[list[tuple] | Line],
    true: Mapping[tuple, int],
    hidden: dict[tuple, Hidden],
    rules: DisclosureRules,
    *,
    sums_of: Mapping[tuple, Sequence[tuple]] | None = None,
) -> int:
    """Hide the next smallest entry of any line that would give a hidden count away.

    A line gives one away when it holds exactly one hidden non-zero entry (the total less the
    others), when it would pin a hidden count at an edge of its range (`_Suppression.pins`), or
    when its total caps hidden entries it adds up (see `_next_to_hide`).

    Repeats until no line changes: hiding an entry for one line can leave another line (its column,
    the totals, the same figure for another group or month) giving one away. Ties go to the entry
    that comes first, so the result is the same every time. Returns how many entries were hidden
    here.
    """
    state = _Suppression(true, hidden, rules, sums_of or {})
    shaped = [
        line if isinstance(line, Line) else Line(tuple(line[:-1]), line[-1]) for line in lines
    ]
    return _suppress(shaped, state)


def _suppress(lines: list[Line], state: _Suppression) -> int:
    """Check every line, then, after each entry hidden, every line it could have changed, in
    the lines' order: the same result every time, without checking every line again."""
    holding: dict[tuple, list[int]] = {}
    for index, line in enumerate(lines):
        for key in line.entries:
            holding.setdefault(key, []).append(index)
    waiting = list(range(len(lines)))
    queued = set(waiting)
    added = 0
    while waiting:
        index = heapq.heappop(waiting)
        queued.discard(index)
        key = _next_to_hide(lines[index], state)
        if key is None:
            continue
        state.hide(key)
        added += 1
        for entry in state.dependents(key):
            for again in holding.get(entry, []):
                if again not in queued:
                    queued.add(again)
                    heapq.heappush(waiting, again)
        if index not in queued:
            queued.add(index)
            heapq.heappush(waiting, index)
    return added


def _next_to_hide(line: Line, state: _Suppression) -> tuple | None:
    true, hidden, rules = state.true, state.hidden, state.rules
    entries = line.entries
    hidden_here = [key for key in entries if key in hidden and true[key] > 0]
    candidates = [key for key in entries if key not in hidden and true[key] > 0]
    if not hidden_here:
        return None
    smallest = min(candidates, key=lambda key: true[key]) if candidates else None
    if len(hidden_here) == 1 and line.exact and not line.open:
        return smallest
    if state.pins(line):
        # Of the entries shown, the smallest whose hiding leaves nothing pinned; failing that, the
        # smallest (hiding it does not help, but the next round may: `_suppress_complements`).
        # A total elsewhere that caps a hidden entry here may be what pins it: try those next.
        capping = [
            total
            for key in line.entries
            if key in hidden
            for total in state.capping(key)
            if true[total] > 0
        ]
        for key in [*sorted(candidates, key=lambda key: true[key]), *capping]:
            state.hide(key)
            pins = state.pins(line)
            state.show(key)
            if not pins:
                return key
        return smallest if candidates else next(iter(capping), None)
    # A line whose entries (before its total) are hidden or 0 publishes in its total only what its
    # hidden entries round to. If that is no more than the threshold, the total caps them:
    # [2, 2, 2, 2] would total 0 for 8 people, so each 2 would show. Hide it too.
    if (
        not line.exact
        or line.open
        or line.total in hidden
        or any(key in candidates for key in line.parts)
    ):
        return None
    if sum(rules.round(true[key]) for key in line.parts) <= rules.threshold:
        return line.total
    return None


def protect_column(counts: Sequence[int], rules: DisclosureRules) -> tuple[list[Cell], Cell]:
    """Categories that partition a population, and their total: the commonest table."""
    grid = protect_grid([[n] for n in counts], rules, column_totals=True)
    assert grid.column_totals is not None
    return [row[0] for row in grid.cells], grid.column_totals[0]


def protect_counts(counts: Sequence[int], rules: DisclosureRules) -> list[Cell]:
    """Counts that publish no total between them (topics: one request can name several)."""
    return [protect_count(n, rules) for n in counts]
