"""`Family.totals` adds atoms up by kind before giving them to groups: the same entries as adding
every atom to each of its groups and periods, as it did before (kept here as the reference)."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from mentoring.reports.family import KINDS, Family
from mentoring.reports.filters import Group, Period

QUARTER = Period(2026, quarter=4)
MONTHS = tuple(QUARTER.months())
VALUES = {
    "organisation": ["Trust A", "Trust B", "Trust C"],
    "career_stage_group": ["foundation", "training", "sas"],
    "specialty_group": ["medical", "surgical"],
}
GROUPS = tuple(Group(kind, value) for kind in KINDS for value in VALUES[kind])
ROWS = ["a", "b", "c", "d"]


def reference_totals(family: Family, atoms, rows, *, additive=()) -> dict[tuple, int]:
    group_of = [{} for _ in KINDS]
    for group in family.groups:
        group_of[KINDS.index(group.kind)].setdefault(group.value, []).append(group)
    quarter, additive = family.quarter.key, frozenset(additive)
    values: dict[tuple, int] = {}
    for atom, n in atoms.items():
        *in_groups, period_key, row = atom
        groups = [None]
        for index, value in enumerate(in_groups):
            groups += group_of[index].get(value, ())
        period_keys = [period_key]
        if row in additive and period_key != quarter:
            period_keys.append(quarter)
        n = int(n)
        for group in groups:
            for key in period_keys:
                entry = (group, key, row)
                values[entry] = values.get(entry, 0) + n
    return {
        (group, period.key, row): values.get((group, period.key, row), 0)
        for group in (None, *family.groups)
        for period in family.periods
        for row in rows
    }


def _atoms(rng: random.Random, periods: list[str]) -> dict[tuple, int]:
    """Atoms as the queries give them: values of each kind, None (no group of the kind: an
    unlisted organisation), "not_said" and values no group has; counts as int or Decimal."""
    atoms = {}
    for _ in range(rng.randint(0, 400)):
        key = (
            *(rng.choice([*VALUES[kind], None, "not_said", "elsewhere"]) for kind in KINDS),
            rng.choice(periods),
            rng.choice(ROWS),
        )
        n = rng.randint(0, 30)
        atoms[key] = Decimal(n) if rng.random() < 0.3 else n
    return atoms


@pytest.mark.parametrize("seed", range(40))
def test_totals_are_those_of_each_atom_added_to_each_entry(seed):
    rng = random.Random(seed)  # noqa: S311 - test data
    months = MONTHS[: rng.randint(1, 3)]
    groups = tuple(g for g in GROUPS if rng.random() < 0.8)
    family = Family(quarter=QUARTER, months=months, groups=groups)
    additive = rng.sample(ROWS, k=rng.randint(0, len(ROWS)))
    month_keys = [m.key for m in months]
    # Additive rows come by month; others for every period (the quarter too).
    atoms = _atoms(rng, [*month_keys, QUARTER.key])
    atoms = {
        key: n for key, n in atoms.items() if not (key[-1] in additive and key[-2] == QUARTER.key)
    }
    assert family.totals(atoms, ROWS, additive=additive) == reference_totals(
        family, atoms, ROWS, additive=additive
    )
    # Given the quarter of an additive row too, both add it in the same way.
    atoms[("Trust A", "sas", "medical", QUARTER.key, ROWS[0])] = 5
    assert family.totals(atoms, ROWS, additive=additive) == reference_totals(
        family, atoms, ROWS, additive=additive
    )


def test_a_group_gets_only_its_own_records():
    family = Family(quarter=QUARTER, months=MONTHS[:1], groups=GROUPS)
    month = MONTHS[0].key
    atoms = {
        ("Trust A", "sas", "medical", month, "a"): 2,
        (None, "sas", "surgical", month, "a"): 3,
        ("Trust B", None, "medical", month, "a"): 4,
    }
    values = family.totals(atoms, ["a"], additive=["a"])
    assert values[(None, month, "a")] == values[(None, QUARTER.key, "a")] == 9
    assert values[(Group("organisation", "Trust A"), month, "a")] == 2
    assert values[(Group("organisation", "Trust C"), month, "a")] == 0
    assert values[(Group("career_stage_group", "sas"), QUARTER.key, "a")] == 5
    assert values[(Group("specialty_group", "medical"), month, "a")] == 6
