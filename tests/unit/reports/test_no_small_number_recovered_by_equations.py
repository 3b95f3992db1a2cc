"""Property: an onlooker who solves every published figure as one system pins no small count.

The onlookers of `test_no_small_number_recovered_by_month.py` narrow ranges figure by figure, as a
person with a spreadsheet would. This one is exact: it writes everything the published views of a
family say (each figure's range, that a \\* and a withheld view are at least 1, that a withheld view
is at most the threshold, that a shown view covers 0 or more than the threshold) as an integer
program over the true counts, and asks a solver (SciPy's `milp`, HiGHS) for the smallest and the
largest value every count of 1 to 7 could take. If both are the same, the count is given away.
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from mentoring.reports.disclosure import DisclosureRules
from tests.unit.reports.test_no_small_number_recovered_by_month import (
    ATOMS,
    MONTHS,
    ORGS,
    atoms_of,
    publish_family,
    publish_one_by_one,
)

RULES = DisclosureRules()
LARGEST = 10_000  # no true count in these schemes comes near it


def solve_range(onlooker, atoms: list, target: frozenset) -> tuple[int, int]:
    """The least and greatest value the sum over `target` can take, given all that was shown."""
    index = {atom: i for i, atom in enumerate(atoms)}
    views = onlooker.shown_views
    width = len(atoms) + len(views)  # the true counts, then one switch per shown view
    rows, lows, highs = [], [], []

    def add(coefficients: dict[int, float], low: float, high: float) -> None:
        row = np.zeros(width)
        for i, c in coefficients.items():
            row[i] = c
        rows.append(row)
        lows.append(low)
        highs.append(high)

    for cells, (low, high) in onlooker.ranges.items():
        add({index[a]: 1 for a in cells}, low, min(high, LARGEST))
    for v, cells in enumerate(views):
        # A shown view covers 0 people (switch off) or more than the threshold (switch on).
        switch = len(atoms) + v
        add({index[a]: 1 for a in cells} | {switch: -LARGEST}, -np.inf, 0)
        add({index[a]: 1 for a in cells} | {switch: -(onlooker.rules.threshold + 1)}, 0, np.inf)
    constraints = LinearConstraint(np.array(rows), lows, highs)
    bounds = Bounds(
        [0] * width, [LARGEST] * len(atoms) + [1] * len(views)
    )  # counts are whole and not negative
    objective = np.zeros(width)
    for atom in target:
        objective[index[atom]] = 1
    found = []
    for sign in (1, -1):
        result = milp(
            sign * objective, constraints=constraints, bounds=bounds, integrality=np.ones(width)
        )
        assert result.success, result.message
        found.append(round(sign * result.fun))
    return found[0], found[1]


def targets() -> list[frozenset]:
    filters = [ORGS] + [(org,) for org in ORGS]
    periods = [MONTHS] + [(month,) for month in MONTHS]
    return sorted(
        {atoms_of(orgs, months) for orgs, months in itertools.product(filters, periods)}
        | {atoms_of(orgs, (m,)) for orgs in filters for m in MONTHS},
        key=sorted,
    )


def pinned(onlooker, atoms: dict) -> list[tuple[list, int]]:
    given_away = []
    for cells in targets():
        truth = sum(atoms[a] for a in cells)
        low, high = solve_range(onlooker, list(atoms), cells)
        assert low <= truth <= high, (sorted(cells), truth, low, high)  # the figures are honest
        if RULES.is_small(truth) and low == high:
            given_away.append((sorted(cells), truth))
    return given_away


populations = st.fixed_dictionaries({atom: st.integers(0, 12) for atom in ATOMS})


@settings(max_examples=60, deadline=None)
@given(atoms=populations)
def test_solving_every_figure_at_once_pins_no_small_count_in_a_family(atoms):
    assert pinned(publish_family(atoms, RULES), atoms) == []


def test_the_exact_onlooker_catches_what_views_protected_one_by_one_gave_away():
    """Everyone 17 (15), two organisations of 8 (10 each), the third withheld: it is 1."""
    atoms = dict.fromkeys(ATOMS, 0) | {("a", 3): 1, ("b", 3): 8, ("c", 3): 8}
    one_by_one = publish_one_by_one(atoms, RULES, knows_stars_are_not_zero=True)
    assert (sorted(atoms_of(("a",), (3,))), 1) in pinned(one_by_one, atoms)
    assert pinned(publish_family(atoms, RULES), atoms) == []
