"""The audit narrows only the lines whose ranges can still change: exactly what narrowing every line
again, round after round, finds.

The audit decides which counts an onlooker could pin down from the published figures, and so which
more figures are hidden. It skips a line whose last narrowing changed nothing and none of whose
entries changed since; these tests compare the ranges it ends with, on random lines of sums (closed
and open, sharing entries) over true counts, with the plain rounds over every line.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mentoring.reports.disclosure import _AUDIT_ROUNDS, INFINITY, Line, _narrow, _narrow_all


def plain_rounds(lines: list[Line], bounds: dict) -> None:
    for _round in range(_AUDIT_ROUNDS):
        if not any([bool(_narrow(line, bounds)) for line in lines]):
            break


@st.composite
def systems(draw):
    """Lines over up to 12 entries holding true counts, each entry's range around its count."""
    size = draw(st.integers(3, 12))
    true = draw(st.lists(st.integers(0, 30), min_size=size, max_size=size))
    lines = []
    for _ in range(draw(st.integers(1, 10))):
        members = draw(st.lists(st.integers(0, size - 1), min_size=2, max_size=5, unique=True))
        parts = tuple(("e", member) for member in members)
        # A new entry for the total: the parts' sum, or more when the line is open.
        is_open = draw(st.booleans())
        total = sum(true[member] for member in members) + (
            draw(st.integers(0, 5)) if is_open else 0
        )
        lines.append(Line(parts, ("t", len(lines)), open=is_open))
        true.append(total)
    bounds = {}
    for index, value in enumerate(true):
        key = ("e", index) if index < size else ("t", index - size)
        if draw(st.booleans()):
            bounds[key] = (value, value)  # shown exactly
        else:
            below, above = draw(st.integers(0, 6)), draw(st.sampled_from([0, 3, 10, INFINITY]))
            bounds[key] = (max(0, value - below), min(INFINITY, value + above))
    return lines, bounds


@settings(max_examples=300, deadline=None)
@given(systems())
def test_skipping_lines_that_cannot_change_finds_the_same_ranges(system):
    lines, bounds = system
    expected = dict(bounds)
    plain_rounds(lines, expected)
    found = dict(bounds)
    _narrow_all(lines, found)
    assert found == expected
