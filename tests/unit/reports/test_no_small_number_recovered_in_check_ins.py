"""Property: well-being check-ins, by week and by group in every view, pin no count of 1 to 7.

Check-ins are the most sensitive figures, and their shape is the richest: each view (everyone or
one group; the quarter or one of its months) shows its weeks with their total, and a table by each
other kind of group (with "prefer not to say") with its total, every row with a median shown only
over 8 check-ins. Hypothesis makes up check-ins by organisation (a, b, or not said), career stage
group (x, y, or not said) and week, for a quarter read early in its second month (July's five
weeks and August's first). The dashboard's protection (`wellbeing.protect_check_ins`) publishes
every view, and the onlooker of `test_no_small_number_recovered_by_month` reads all of them: each
count as a range, a "*" as at least 1, a table's total less its shown rows as what its hidden rows
round to, a withheld view as 1 to 7 check-ins and a shown one as 0 or more than 7, and each row's
median as telling whether it has 0 check-ins, 1 to 7 or at least 8. Everyone's row for a group
is that group's own total of its weeks (rounded week by week), read where it is a total. No
count of 1 to 7 may be pinned to one value.
"""

from __future__ import annotations

import itertools
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from mentoring.core.vocabulary import NOT_SAID
from mentoring.reports.disclosure import DisclosureRules
from mentoring.reports.family import Family
from mentoring.reports.filters import Group, Period
from mentoring.reports.wellbeing import protect_check_ins
from tests.unit.reports.test_no_small_number_recovered_by_month import Onlooker

RULES = DisclosureRules()
TODAY = date(2026, 8, 5)
QUARTER = Period(2026, quarter=3)
FAMILY = Family.of(QUARTER, [], TODAY)
ORGS, STAGES = ("a", "b"), ("x", "y")
GROUPS = tuple(Group("organisation", o) for o in ORGS) + tuple(
    Group("career_stage_group", s) for s in STAGES
)
FAMILY = Family(quarter=QUARTER, months=FAMILY.months, groups=GROUPS)
WEEKS = {period.key: period.iso_weeks_until(TODAY) for period in FAMILY.periods}
ATOMS = list(itertools.product((*ORGS, NOT_SAID), (*STAGES, NOT_SAID), WEEKS[QUARTER.key]))
INF = 10**6


def kind_values(kind: str) -> tuple[str, ...]:
    return (*(ORGS if kind == "organisation" else STAGES), NOT_SAID)


def of(group: Group | None, period: Period, *, week=None, other: Group | None = None):
    weeks = [week] if week else WEEKS[period.key]

    def inside(atom, g):
        return g is None or atom[0 if g.kind == "organisation" else 1] == g.value

    return frozenset(
        atom for atom in ATOMS if atom[2] in weeks and inside(atom, group) and inside(atom, other)
    )


def publish(atoms: dict[tuple, int], rules: DisclosureRules) -> Onlooker:  # noqa: C901
    counts = [(org, stage, None, week, (n, 0, 0)) for (org, stage, week), n in atoms.items() if n]
    figures = protect_check_ins(FAMILY, WEEKS, counts, rules)
    cells = figures.cells
    onlooker = Onlooker(rules, knows_stars_are_not_zero=True, atoms=ATOMS)
    half_down, half_up = rules.rounding_base // 2, (rules.rounding_base - 1) // 2

    def read_table(rows, total):
        """rows: (cell, atoms, how many figures rounded on their own it adds up: more than 1 for a
        total shown elsewhere); total: the total's cell. As `Onlooker.read_view` reads a table."""
        hidden = []
        for cell, members, summed in rows:
            n = sum(atoms[a] for a in members)
            # The median beside each row: "-" for none, "*" for 1 to 7, a value for 8 or more.
            if n >= rules.min_group_for_summary:
                onlooker.learn(members, rules.min_group_for_summary, INF)
            elif n:
                onlooker.learn(members, 1, rules.min_group_for_summary - 1)
            else:
                onlooker.learn(members, 0, 0)
            if not cell.shown:
                hidden.append(members)
                onlooker.learn(members, 1, INF)
            elif cell.value == 0:
                onlooker.learn(members, 0, 0)
            elif summed == 1:  # a total elsewhere is read there, from its own rows
                onlooker.learn(
                    members, max(cell.value - half_down, rules.threshold + 1), cell.value + half_up
                )
        if total.shown and hidden:
            # What the hidden rows round to; each is off by a few for each figure rounded in it.
            rounded = total.value - sum(cell.value for cell, _, _ in rows if cell.shown)
            widths = {members: summed for cell, members, summed in rows if not cell.shown}
            onlooker.learn(
                frozenset().union(*hidden),
                max(len(hidden), rounded - half_down * sum(widths.values())),
                rounded + half_up * sum(widths.values()),
            )
            for members in hidden:
                onlooker.learn(members, 1, rounded + half_up * widths[members])

    for group in (None, *GROUPS):
        for period in FAMILY.periods:
            everyone = of(group, period)
            if cells[("t", group, period.key, "n")].hidden == "withheld":
                onlooker.learn(everyone, 1, rules.threshold)
                continue
            onlooker.shown_views.append(everyone)
            read_table(
                [
                    (cells[("w", group, week, "n")], of(group, period, week=week), 1)
                    for week in WEEKS[period.key]
                ],
                cells[("t", group, period.key, "n")],
            )
            for kind in ("organisation", "career_stage_group"):
                if group is not None and group.kind == kind:
                    continue
                rows = []
                for value in kind_values(kind):
                    other = Group(kind, value)
                    key = (
                        ("t", other, period.key, "n")
                        if group is None
                        else ("x", frozenset((group, other)), period.key, "n")
                    )
                    # Everyone's row for a group is that group's own total (of its weeks).
                    summed = len(WEEKS[period.key]) if group is None else 1
                    rows.append((cells[key], of(group, period, other=other), summed))
                read_table(rows, cells[("a", group, period.key, kind, "n")])
    return onlooker


def check(atoms: dict[tuple, int], rules: DisclosureRules = RULES) -> None:
    onlooker = publish(atoms, rules)
    bounds = onlooker.narrow()
    targets = set()
    for group in (None, *GROUPS):
        for period in FAMILY.periods:
            targets.add(of(group, period))
            targets.update(of(group, period, week=week) for week in WEEKS[period.key])
            for kind in ("organisation", "career_stage_group"):
                for value in kind_values(kind):
                    targets.add(of(group, period, other=Group(kind, value)))
    for members in targets:
        truth = sum(atoms[a] for a in members)
        low, high = onlooker.range_of(members, bounds)
        assert low <= truth <= high, (sorted(members), truth, low, high)
        if rules.is_small(truth):
            assert low < high, (sorted(members), truth)


counts = st.sampled_from([0, 0, 0, 0, 0, 0, 1, 2, 3, 5, 7, 8, 9, 12, 13])
check_ins = st.fixed_dictionaries({atom: counts for atom in ATOMS})


@settings(max_examples=60, deadline=None)
@given(atoms=check_ins)
def test_check_ins_in_every_view_pin_nothing(atoms):
    check(atoms)


def test_everyone_less_two_organisations_does_not_pin_the_third_week():
    # In week 30, organisations a and b had 8 check-ins each and the rest said nothing of their
    # organisation: 1. Everyone's week shows 15 (at most 17), a's and b's 10 (at least 8 each),
    # and everyone's table by organisation has a row "prefer not to say".
    atoms = dict.fromkeys(ATOMS, 0) | {
        ("a", "x", (2026, 30)): 8,
        ("b", "x", (2026, 30)): 8,
        (NOT_SAID, "x", (2026, 30)): 1,
    }
    check(atoms)
