"""How exporters write values: text people read on the page and in the JSON alike."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime


def when(moment: datetime | date | None) -> str:
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        return moment.isoformat(timespec="seconds")
    return moment.isoformat()


def listed(values: Iterable[str]) -> str:
    return "; ".join(values)


def yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return "yes" if value else "no"


def text(value: str | None) -> str:
    return value or ""
