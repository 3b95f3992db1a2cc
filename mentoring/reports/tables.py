"""What a report section publishes: tables of `Cell`s, ready for a page, a chart and a CSV.

A `Table` holds nothing but published figures (text and protected cells), so the page, the chart
and the CSV are three views of one object and cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from mentoring.reports.disclosure import Cell


@dataclass(frozen=True)
class TableRow:
    label: str
    cells: list[Cell]


@dataclass
class Table:
    key: str  # unique on the dashboard: the CSV's name and the table's id
    caption: str
    columns: list[str]  # headings, the first for the row labels
    rows: list[TableRow] = field(default_factory=list)
    total: TableRow | None = None
    chart_column: int | None = 0  # which cell column the bar chart draws; None for no chart
    note: str | None = None
    # Set when the view's population is too small to show anything: the page shows this instead.
    withheld: str | None = None

    @property
    def has_hidden(self) -> bool:
        return any(not cell.shown for row in self.all_rows for cell in row.cells)

    @property
    def all_rows(self) -> list[TableRow]:
        return [*self.rows, *([self.total] if self.total else [])]

    def as_text_rows(self) -> list[list[str]]:
        """Exactly what the page's table shows, heading first: the CSV's content."""
        if self.withheld:
            return [["Message"], [self.withheld]]
        return [list(self.columns)] + [
            [row.label, *(cell.text for cell in row.cells)] for row in self.all_rows
        ]

    def bars(self) -> list[tuple[str, Cell, float]]:
        """(label, cell, share of the longest bar) for the chart; hidden cells get no bar."""
        if self.chart_column is None or self.withheld:
            return []
        cells = [(row.label, row.cells[self.chart_column]) for row in self.rows]
        longest = max((float(c.value) for _, c in cells if c.shown and c.value), default=0.0)
        return [
            (text, cell, (float(cell.value) / longest if cell.shown and longest else 0.0))
            for text, cell in cells
        ]


@dataclass
class Section:
    """A part of the dashboard: a heading, a sentence on what it counts, and its tables."""

    key: str
    title: str
    intro: str
    tables: list[Table] = field(default_factory=list)


SectionBuilder = Callable[..., Section]
