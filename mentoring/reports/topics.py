"""Topics as seed 003's Table 3 shows them: how often each appears, most frequent first."""

from __future__ import annotations

from collections.abc import Mapping

from mentoring.core.vocabulary import TOPICS
from mentoring.reports.context import ReportContext
from mentoring.reports.disclosure import protect_count, protect_share
from mentoring.reports.tables import Table, TableRow


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
    count, with hidden rows last in a fixed order, means the order reveals nothing the numbers hide.
    """
    whole = protect_count(population, ctx.rules)
    order = {value: index for index, (value, _label) in enumerate(TOPICS)}
    rows = []
    for value, text in TOPICS:
        cell = protect_count(int(counts.get(value, 0)), ctx.rules)
        rows.append((TableRow(text, [cell, protect_share(cell, whole)]), value))
    rows.sort(
        key=lambda item: (
            0
            if item[0].cells[0].shown and item[0].cells[0].value
            else 1
            if not item[0].cells[0].shown
            else 2,
            -(item[0].cells[0].value or 0),
            order[item[1]],
        )
    )
    return Table(
        key=key,
        caption=caption,
        columns=[
            "Topic",
            f"{population_label.capitalize()} naming it",
            f"Share of {population_label}",
        ],
        rows=[row for row, _value in rows],
        total=TableRow(f"All {population_label}", [whole, protect_share(whole, whole)]),
        note=f"One of the {population_label} can name several topics, so the rows add up to more "
        "than the total.",
    )
