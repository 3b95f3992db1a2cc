"""Property: a family of views over two kinds of group and a quarter's months pins no small count.

The dashboard publishes each figure for every view of a quarter (everyone or one group of one
kind; the quarter or one of its months), protected as one family (`family.protect_family`). Here
Hypothesis makes up counts per organisation (a, b, c, and z for people in no listed organisation),
career stage group (x, y), month and row, and two shapes of figure are published for every view:

- a single count, each period's figure rounded on its own (relationships ended, a topic's count);
- a table of rows with their total (endings by reason), the total the sum of the rounded rows.

Both add up over months. The onlooker is the one of `test_no_small_number_recovered_by_month`,
reading every published figure as what it says about the true counts, and knowing that a "*" and a
withheld view are at least 1, a withheld view at most 7, a shown view's population 0 or more than
7. It narrows every count against all the others and must never pin a count of 1 to 7.
"""

from __future__ import annotations

import itertools

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mentoring.reports.disclosure import DisclosureRules, protect_column
from mentoring.reports.family import Family, protect_family
from mentoring.reports.filters import Group, Period
from tests.unit.reports.test_no_small_number_recovered_by_month import Onlooker

RULES = DisclosureRules()
ORGS = ("a", "b", "c")
REST = "z"  # in no listed organisation: in everyone's figures only
STAGES = ("x", "y")
MONTHS = (1, 2, 3)
QUARTER = Period(2026, quarter=3)
MONTH_PERIODS = QUARTER.months()
GROUPS = tuple(Group("organisation", org) for org in ORGS) + tuple(
    Group("career_stage_group", stage) for stage in STAGES
)
REASONS = ("r1", "r2", "r3")


def atom_keys(rows) -> list[tuple]:
    return list(itertools.product((*ORGS, REST), STAGES, MONTHS, rows))


def members(group: Group | None, period: Period, rows, atoms) -> frozenset:
    months = {m for m in MONTHS if MONTH_PERIODS[m - 1].key == period.key} or set(MONTHS)
    return frozenset(
        atom
        for atom in atoms
        if atom[2] in months
        and atom[3] in rows
        and (
            group is None
            or (group.kind == "organisation" and atom[0] == group.value)
            or (group.kind == "career_stage_group" and atom[1] == group.value)
        )
    )


def protect(atoms: dict[tuple, int], rules, rows, total=None):
    family = Family(quarter=QUARTER, months=tuple(MONTH_PERIODS), groups=GROUPS)
    counts = {
        (org if org != REST else None, stage, None, MONTH_PERIODS[month - 1].key, row): n
        for (org, stage, month, row), n in atoms.items()
    }
    every_row = [*rows, *([total] if total else [])]
    values = family.totals(counts, every_row, additive=every_row)
    if total:
        for group in (None, *GROUPS):
            for period in family.periods:
                values[(group, period.key, total)] = sum(
                    values[(group, period.key, row)] for row in rows
                )
    cells = protect_family(
        family,
        values,
        rules,
        rows=every_row,
        total=total,
        additive=every_row,
        population=total or rows[0],
    )
    return family, cells


def read(onlooker: Onlooker, atoms, cells, family, rules, rows, total=None) -> None:
    half_down, half_up = rules.rounding_base // 2, (rules.rounding_base - 1) // 2
    population_row = total or rows[0]
    for group in (None, *GROUPS):
        for period in family.periods:
            everyone = members(group, period, [*rows], atoms)
            if cells[(group, period.key, population_row)].hidden == "withheld":
                onlooker.learn(everyone, 1, rules.threshold)
                continue
            onlooker.shown_views.append(everyone)
            hidden = []
            for row in rows:
                cell = cells[(group, period.key, row)]
                of = members(group, period, [row], atoms)
                if not cell.shown:
                    hidden.append(of)
                    onlooker.learn(of, 1, 10**6)
                elif cell.value == 0:
                    onlooker.learn(of, 0, 0)
                else:
                    onlooker.learn(
                        of, max(cell.value - half_down, rules.threshold + 1), cell.value + half_up
                    )
            whole = cells[(group, period.key, total)] if total else None
            if whole is not None and whole.shown and hidden:
                shown = [cells[(group, period.key, row)] for row in rows]
                rounded = whole.value - sum(cell.value for cell in shown if cell.shown)
                onlooker.learn(
                    frozenset().union(*hidden),
                    max(len(hidden), rounded - half_down * len(hidden)),
                    rounded + half_up * len(hidden),
                )
                for of in hidden:
                    onlooker.learn(of, 1, rounded + half_up)


def check(atoms: dict[tuple, int], rules: DisclosureRules, rows, total=None) -> None:
    family, cells = protect(atoms, rules, rows, total)
    onlooker = Onlooker(rules, knows_stars_are_not_zero=True, atoms=list(atoms))
    read(onlooker, atoms, cells, family, rules, rows, total)
    bounds = onlooker.narrow()
    for group in (None, *GROUPS):
        for period in family.periods:
            for row_set in [[row] for row in rows] + [list(rows)]:
                of = members(group, period, row_set, atoms)
                truth = sum(atoms[a] for a in of)
                low, high = onlooker.range_of(of, bounds)
                assert low <= truth <= high, (group, period.key, row_set, truth, low, high)
                if rules.is_small(truth):
                    assert low < high, (group, period.key, row_set, truth)


counts = st.sampled_from([0, 0, 0, 0, 1, 2, 3, 5, 7, 8, 9, 12, 13, 17, 20])
single = st.fixed_dictionaries({atom: counts for atom in atom_keys(["n"])})
table = st.fixed_dictionaries({atom: counts for atom in atom_keys(REASONS)})


@settings(max_examples=120, deadline=None)
@given(atoms=single)
def test_a_count_rounded_in_every_view_pins_nothing(atoms):
    check(atoms, RULES, ["n"])


@settings(max_examples=80, deadline=None)
@given(atoms=table)
def test_a_table_with_its_total_in_every_view_pins_nothing(atoms):
    check(atoms, RULES, list(REASONS), total="all")


@settings(max_examples=40, deadline=None)
@given(atoms=single, threshold=st.integers(5, 10), base=st.sampled_from([5, 10]))
def test_nor_under_other_configured_rules(atoms, threshold, base):
    assume((threshold + base // 2) % base != 0)
    rules = DisclosureRules(
        threshold=threshold, rounding_base=base, min_group_for_summary=threshold + 1
    )
    check(atoms, rules, ["n"])


def test_a_quarter_less_two_months_pinned_the_third_before_families():
    # A count rounded in every view (relationships ended): organisation a had 8, 8 and 1 in the
    # quarter's months. Views protected one by one: quarter 17 (15, so at most 17), months 10 and
    # 10 (at least 8 each), the third "*" (at least 1): it is 1.
    atoms = dict.fromkeys(atom_keys(["n"]), 0) | {
        ("a", "x", 1, "n"): 8,
        ("a", "x", 2, "n"): 8,
        ("a", "x", 3, "n"): 1,
        ("b", "x", 1, "n"): 30,
    }
    onlooker = Onlooker(RULES, knows_stars_are_not_zero=True, atoms=list(atoms))
    for group in (None, *GROUPS):
        for period in (QUARTER, *MONTH_PERIODS):
            of = members(group, period, ["n"], atoms)
            n = sum(atoms[atom] for atom in of)
            if not RULES.population_allows(n):
                onlooker.learn(of, 1, RULES.threshold)
            elif n == 0:
                onlooker.learn(of, 0, 0)
            else:
                value = protect_column([n], RULES)[0][0].value
                onlooker.learn(of, max(value - 2, 8), value + 2)
    third = members(Group("organisation", "a"), MONTH_PERIODS[2], ["n"], atoms)
    assert onlooker.range_of(third, onlooker.narrow()) == (1, 1)
    check(atoms, RULES, ["n"])


def test_a_line_of_groups_with_two_hidden_ones_pins_neither():
    # Seven organisations had 1, 1, 8, 8, 8, 13 and 13 requests naming a topic: everyone 52 shows
    # 50 (at most 52), the others at least 8, 8, 8, 13, 13 = 50: the two hidden ones are 1 each.
    # Protected together, a third is hidden: the two "*" are at most 52 - 42 - 1 = 9 each.
    orgs = [Group("organisation", f"o{index}") for index in range(7)]
    family = Family(quarter=QUARTER, months=(MONTH_PERIODS[0],), groups=tuple(orgs))
    month = MONTH_PERIODS[0].key
    counts = {
        (group.value, None, None, month, "n"): n
        for group, n in zip(orgs, [1, 1, 8, 8, 8, 13, 13], strict=True)
    }
    values = family.totals(counts, ["n"], additive=["n"])
    cells = protect_family(family, values, RULES, rows=["n"], additive=["n"])
    shown = [cells[(group, month, "n")] for group in orgs]
    everyone = cells[(None, month, "n")]
    assert [cell.text for cell in shown] == ["*", "*", "*", "10", "10", "15", "15"]
    assert everyone.text == "50"
    least_of_shown = sum(max(cell.value - 2, 8) for cell in shown if cell.shown)
    assert everyone.value + 2 - least_of_shown - 1 > 1  # a hidden one: from 1 to more than 1
