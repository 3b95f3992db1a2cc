"""The disclosure rules, figure by figure: primary and secondary suppression, rounding, shares,
summaries and whole populations."""

from __future__ import annotations

import pytest

from mentoring.reports.disclosure import (
    Cell,
    DisclosureRules,
    Hidden,
    protect_column,
    protect_count,
    protect_grid,
    protect_share,
    protect_summary,
)

RULES = DisclosureRules()


def texts(cells: list[Cell]) -> list[str]:
    return [cell.text for cell in cells]


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        (0, "0"),
        (1, "*"),
        (5, "*"),
        (7, "*"),
        (8, "10"),
        (12, "10"),
        (13, "15"),
        (17, "15"),
        (18, "20"),
        (22, "20"),
        (23, "25"),
        (1234, "1,235"),
    ],
)
def test_counts_zero_stays_small_hidden_others_rounded_to_five(count, shown):
    assert protect_count(count, RULES).text == shown


def test_configuration_changes_threshold_and_base():
    rules = DisclosureRules.from_config(
        {
            "REPORT_SUPPRESSION_THRESHOLD": 10,
            "REPORT_ROUNDING_BASE": 10,
            "REPORT_MIN_GROUP_FOR_SUMMARY": 20,
        }
    )
    assert protect_count(10, rules).text == "*"
    assert protect_count(14, rules).text == "10"
    assert protect_count(15, rules).text == "20"
    assert protect_summary(50.0, 19, rules).text == "*"
    assert protect_summary(50.0, 20, rules).text == "50"


def test_defaults_come_from_the_app_config(app):
    assert DisclosureRules.from_config(app.config) == DisclosureRules(7, 5, 8)


def test_negative_counts_and_nonsense_rules_are_refused():
    with pytest.raises(ValueError):
        protect_count(-1, RULES)
    with pytest.raises(ValueError):
        DisclosureRules(rounding_base=0)


@pytest.mark.parametrize(("threshold", "base"), [(8, 5), (3, 5), (5, 10), (15, 10)])
def test_a_threshold_that_rounding_could_pin_down_is_refused(threshold, base):
    # 8 is the smallest count that rounds to 10 (base 5): a hidden count at most 8 whose rounded
    # value is known to be 10 could only be 8.
    with pytest.raises(ValueError):
        DisclosureRules(threshold=threshold, rounding_base=base, min_group_for_summary=20)


def test_percentages_come_from_the_rounded_counts():
    # True 13 of 22 would be 59%; published 15 of 20 is 75%.
    assert protect_share(protect_count(13, RULES), protect_count(22, RULES)).text == "75%"
    assert protect_share(protect_count(3, RULES), protect_count(40, RULES)).text == "*"
    assert protect_share(protect_count(0, RULES), protect_count(40, RULES)).text == "0%"
    assert protect_share(protect_count(0, RULES), protect_count(0, RULES)).text == "-"


def test_summaries_need_eight_people():
    assert protect_summary(52.0, 7, RULES).text == "*"
    assert protect_summary(52.0, 7, RULES).hidden is Hidden.FEW_PEOPLE
    assert protect_summary(52.0, 8, RULES).text == "52"
    assert protect_summary(3.25, 30, RULES).text == "3.2"
    assert protect_summary(None, 0, RULES).text == "-"


def test_total_is_the_sum_of_rounded_cells():
    cells, total = protect_column([13, 22, 40], RULES)
    assert texts(cells) == ["15", "20", "40"]
    assert total.text == "75"  # true total 75 by coincidence; 15 + 20 + 40
    cells, total = protect_column([12, 12, 12], RULES)
    assert texts(cells) == ["10", "10", "10"]
    assert total.text == "30"  # true total 36 would round to 35: totals follow the cells


def test_a_lone_hidden_cell_takes_the_next_smallest_with_it():
    cells, total = protect_column([3, 40, 20, 0], RULES)
    assert texts(cells) == ["*", "40", "*", "0"]
    assert cells[0].hidden is Hidden.SMALL
    assert cells[2].hidden is Hidden.COMPLEMENT
    assert total.text == "65"


def test_two_hidden_cells_need_no_complement():
    cells, total = protect_column([3, 5, 40], RULES)
    assert texts(cells) == ["*", "*", "40"]
    assert all(cell.hidden is Hidden.SMALL for cell in cells[:2])


def test_a_small_total_is_hidden_with_its_only_cell():
    cells, total = protect_column([4, 0, 0], RULES)
    assert texts(cells) == ["*", "0", "0"]
    assert total.text == "*"


def test_grid_suppression_reaches_every_line():
    grid = protect_grid([[3, 20], [15, 30]], RULES, row_totals=True)
    # Row 1 hides 20 beside the 3; column 1 then hides 15; row 2 then hides 30.
    assert [texts(row) for row in grid.cells] == [["*", "*"], ["*", "*"]]
    assert texts(grid.row_totals) == ["25", "45"]
    assert texts(grid.column_totals) == ["20", "50"]
    assert grid.grand_total.text == "70"
    assert grid.hidden_by_complement == 3


def test_grid_lines_never_hold_exactly_one_hidden_entry():
    grid = protect_grid([[2, 30, 40], [25, 5, 50], [60, 70, 80]], RULES, row_totals=True)
    rows = [[*row, total] for row, total in zip(grid.cells, grid.row_totals, strict=True)]
    columns = [[row[k] for row in grid.cells] + [grid.column_totals[k]] for k in range(3)]
    for line in rows + columns:
        assert sum(not cell.shown for cell in line) != 1
