"""Bulk writing: COPY on PostgreSQL, batched Core inserts elsewhere, in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice

from sqlalchemy import Table, func, insert, select, text

from mentoring.extensions import db

BATCH_ROWS = 5000


class BulkWriter:
    """Writes rows (tuples in the order of `columns`) straight into a table.

    Bypasses the ORM on purpose: no identity map, no per-row events, no defaults. Every value,
    ids included, is given by the caller, so the rows are exactly what was generated.
    """

    def __init__(self) -> None:
        self.connection = db.session.connection()
        self.is_postgresql = self.connection.dialect.name == "postgresql"
        self.counts: dict[str, int] = {}

    def write(self, table: Table, columns: Sequence[str], rows: Iterable[tuple]) -> int:
        written = (
            self._copy(table, columns, rows)
            if self.is_postgresql
            else self._insert(table, columns, rows)
        )
        self.counts[table.name] = self.counts.get(table.name, 0) + written
        return written

    def _copy(self, table: Table, columns: Sequence[str], rows: Iterable[tuple]) -> int:
        raw = self.connection.connection.driver_connection
        names = ", ".join(f'"{name}"' for name in columns)
        written = 0
        statement = f'COPY "{table.name}" ({names}) FROM STDIN'
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                written += 1
        return written

    def _insert(self, table: Table, columns: Sequence[str], rows: Iterable[tuple]) -> int:
        iterator = iter(rows)
        written = 0
        statement = insert(table)
        while batch := list(islice(iterator, BATCH_ROWS)):
            self.connection.execute(
                statement, [dict(zip(columns, row, strict=True)) for row in batch]
            )
            written += len(batch)
        return written

    def next_id(self, table: Table) -> int:
        """The first free id of `table`, so generated ids never collide with existing ones."""
        return (self.connection.scalar(select(func.max(table.c.id))) or 0) + 1

    def reset_sequence(self, table: Table) -> None:
        """After writing explicit ids, move PostgreSQL's sequence past them."""
        if not self.is_postgresql:
            return
        highest = self.connection.scalar(select(func.max(table.c.id))) or 1
        self.connection.execute(
            text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :highest)"),
            {"table": f'"{table.name}"', "highest": highest},
        )


def vacuum_analyze() -> None:
    """After a committed bulk load on PostgreSQL: planner statistics, and the visibility map that
    index-only scans need. Autovacuum would get there, later; a benchmark should not wait for it."""
    engine = db.engine
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in db.metadata.sorted_tables:
            connection.execute(text(f'VACUUM ANALYZE "{table.name}"'))
