"""Topics as seed 003's Table 3 shows them: how often each appears, most frequent first.

The same shape serves any list of things a request, session or check-in can name several of
(topics, kinds of signposting): one row each, with its share of the whole, and no total between
the rows.
"""

from __future__ import annotations

from collections.abc import Mapping

from mentoring.core.vocabulary import TOPICS, Choices
from mentoring.reports.context import ReportContext
from mentoring.reports.disclosure import Cell, protect_count, protect_share
from mentoring.reports.tables import Table, TableRow


def _rank(cell: Cell) -> tuple[int, float]:
    """Shown counts first, largest first; then hidden ones; then zeros."""
    if not cell.shown:
        return (1, 0)
    return (0, -cell.value) if cell.value else (2, 0)


def ranked_table(
    ctx: ReportContext,
    *,
    key: str,
    caption: str,
    choices: Choices,
    counts: Mapping[str, int] | None = None,
    population: int = 0,
    columns: list[str],
    total_label: str,
    note: str,
    cells: Mapping[str, Cell] | None = None,
    whole: Cell | None = None,
) -> Table:
    """One row per choice, ordered by the published (rounded) count, then in the given order.

    One of the population can name several choices, so the rows publish no total between them and
    need no secondary suppression within the table; each count is protected on its own, or comes
    already protected with its family (`cells` by choice and `whole`, the population's cell: see
    `family`), kept safe across groups and months. Ordering by the rounded count, then hidden
    rows, then zeros, each in the given order, means the order reveals nothing the numbers hide.
    """
    if cells is None:
        counts = counts or {}
        cells = {value: protect_count(int(counts.get(value, 0)), ctx.rules) for value, _ in choices}
        whole = protect_count(population, ctx.rules)
    assert whole is not None
    rows = [
        TableRow(text, [cells[value], protect_share(cells[value], whole)])
        for value, text in choices
    ]
    # Stable sort: within equal keys the given order stands.
    rows.sort(key=lambda row: _rank(row.cells[0]))
    return Table(
        key=key,
        caption=caption,
        columns=columns,
        rows=rows,
        total=TableRow(total_label, [whole, protect_share(whole, whole)]),
        note=note,
    )


def topic_table(
    ctx: ReportContext,
    *,
    key: str,
    caption: str,
    counts: Mapping[str, int] | None = None,
    population: int = 0,
    population_label: str,
    cells: Mapping[str, Cell] | None = None,
    whole: Cell | None = None,
) -> Table:
    """Topics in seed 003's order, counted over requests, check-ins or relationships."""
    return ranked_table(
        ctx,
        key=key,
        caption=caption,
        choices=TOPICS,
        counts=counts,
        population=population,
        cells=cells,
        whole=whole,
        columns=[
            "Topic",
            f"{population_label.capitalize()} naming it",
            f"Share of {population_label}",
        ],
        total_label=f"All {population_label}",
        note=f"One of the {population_label} can name several topics, so the rows can add up to "
        "more than the total.",
    )
