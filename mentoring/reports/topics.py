"""Topics as seed 003's Table 3 shows them: how often each appears, most frequent first."""

from __future__ import annotations

from collections.abc import Mapping

from mentoring.core.vocabulary import TOPICS
from mentoring.reports.context import ReportContext
from mentoring.reports.disclosure import Cell, protect_count, protect_share
from mentoring.reports.tables import Table, TableRow


def _rank(cell: Cell) -> tuple[int, float]:
    """Shown counts first, largest first; then hidden ones; then zeros."""
    if not cell.shown:
        return (1, 0)
    return (0, -cell.value) if cell.value else (2, 0)


def topic_table(
    ctx: ReportContext,
    *,
    key: str,
    caption: str,
    counts: Mapping[str, int],
    population: int,
    population_label: str,
) -> Table:
    """One row per topic, ordered by the published (rounded) count, then in the seed's order.

    A request or check-in can name several topics, so the rows publish no total between them and
    need no secondary suppression; each count is protected on its own. Ordering by the rounded
    count, then hidden rows, then zeros, each in the seed's order, means the order reveals nothing
    the numbers hide.
    """
    whole = protect_count(population, ctx.rules)
    rows = [
        TableRow(text, [cell, protect_share(cell, whole)])
        for text, cell in (
            (text, protect_count(int(counts.get(value, 0)), ctx.rules)) for value, text in TOPICS
        )
    ]
    # Stable sort: within equal keys the seed's order stands.
    rows.sort(key=lambda row: _rank(row.cells[0]))
    return Table(
        key=key,
        caption=caption,
        columns=[
            "Topic",
            f"{population_label.capitalize()} naming it",
            f"Share of {population_label}",
        ],
        rows=rows,
        total=TableRow(f"All {population_label}", [whole, protect_share(whole, whole)]),
        note=f"One of the {population_label} can name several topics, so the rows can add up to "
        "more than the total.",
    )
