"""SQL building blocks the report figures share: medians, and a coarse group as a condition.

Medians use `percentile_cont` on PostgreSQL. SQLite has no such function, so there the median is
taken with window functions in the database (the middle one or two rows of each group by rank):
still one query, and only one row per group comes back to Python.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, FromClause, and_, case, false, func, literal, null, select

from mentoring.core.vocabulary import CAREER_STAGE_GROUP_OF, SPECIALTY_GROUP_OF
from mentoring.extensions import db
from mentoring.reports.filters import Group


def is_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def medians(
    value: ColumnElement,
    *,
    source: FromClause,
    conditions: list[ColumnElement[bool]],
    group_by: list[ColumnElement] | None = None,
) -> dict[tuple, float]:
    """Median of `value` per group (key: the group's values as a tuple; () when ungrouped)."""
    groups = group_by or []
    if is_postgresql():
        statement = (
            select(*groups, func.percentile_cont(0.5).within_group(value))
            .select_from(source)
            .where(*conditions)
            .group_by(*groups)
        )
        return _by_key(db.session.execute(statement))
    partition = groups or [literal(1)]
    ranked = (
        select(
            *(column.label(f"g{i}") for i, column in enumerate(groups)),
            value.label("v"),
            func.row_number().over(partition_by=partition, order_by=value).label("rn"),
            func.count().over(partition_by=partition).label("n"),
        )
        .select_from(source)
        .where(*conditions)
        .subquery()
    )
    keys = [ranked.c[f"g{i}"] for i in range(len(groups))]
    statement = (
        select(*keys, func.avg(ranked.c.v))
        .where(
            ranked.c.rn >= (ranked.c.n + 1) // 2,
            ranked.c.rn <= (ranked.c.n + 2) // 2,
        )
        .group_by(*keys)
    )
    return _by_key(db.session.execute(statement))


def _by_key(rows) -> dict[tuple, float]:
    """An aggregate over no rows is NULL: no median, rather than a median of nothing."""
    return {tuple(row[:-1]): float(row[-1]) for row in rows if row[-1] is not None}


def group_condition(
    group: Group | None,
    *,
    organisation: Any,
    career_stage: Any,
    specialty: Any,
    precise: bool,
) -> ColumnElement[bool]:
    """The group as a WHERE condition on a table's columns.

    `precise` says the columns hold precise career stages and specialties (requests, profiles),
    which are mapped to their coarse groups here; check-ins hold the coarse groups themselves.
    """
    if group is None:
        return and_(literal(True))
    if group.kind == "organisation":
        return organisation == group.value
    column, mapping = (
        (career_stage, CAREER_STAGE_GROUP_OF)
        if group.kind == "career_stage_group"
        else (specialty, SPECIALTY_GROUP_OF)
    )
    if not precise:
        return column == group.value
    members = sorted(value for value, coarse in mapping.items() if coarse == group.value)
    return column.in_(members) if members else false()


def group_keys(
    *, organisation: Any, career_stage: Any, specialty: Any, organisations, precise: bool = True
) -> list[ColumnElement]:
    """Each record's group of each kind (organisation, career stage group, specialty group) as
    three columns, NULL for none: what a family's figures are grouped by instead of filtered on.

    The same mapping as `group_condition`, so a group's sum over these keys is the figure its own
    view would count.
    """
    listed = list(organisations)
    keys = [
        case((organisation.in_(listed), organisation), else_=null()) if listed else null(),
    ]
    for column, mapping in ((career_stage, CAREER_STAGE_GROUP_OF), (specialty, SPECIALTY_GROUP_OF)):
        if not precise:
            keys.append(column)
            continue
        members: dict[str, list[str]] = {}
        for value, coarse in mapping.items():
            members.setdefault(coarse, []).append(value)
        keys.append(
            case(
                *((column.in_(sorted(values)), coarse) for coarse, values in members.items()),
                else_=null(),
            )
        )
    return [key.label(f"group_{index}") for index, key in enumerate(keys)]


def count_when(condition: ColumnElement[bool]) -> ColumnElement:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def count_distinct_when(condition: ColumnElement[bool], value: ColumnElement) -> ColumnElement:
    return func.count(func.distinct(case((condition, value), else_=null())))
