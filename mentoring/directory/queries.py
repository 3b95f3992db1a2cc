"""Reading the directory: filtered lists, the poster, and services that fit a check-in."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Select, exists, select

from mentoring.directory.models import (
    OpeningWindow,
    Severity,
    SupportService,
    SupportServiceKind,
    SupportServiceTopic,
)
from mentoring.directory.opening import Window, describe, is_open_at, is_open_out_of_hours
from mentoring.extensions import db

EXAMPLE_PREFIX = "Example:"


@dataclass(frozen=True)
class Listing:
    """A service as a person finding support sees it, with its hours worked out for now."""

    service: SupportService
    open_now: bool
    out_of_hours: bool
    hours: list[str]

    @property
    def severity(self) -> Severity:
        return self.service.severity_enum


def local_now() -> datetime:
    return datetime.now(ZoneInfo(current_app.config["TIMEZONE"]))


def listing_for(service: SupportService, now: datetime) -> Listing:
    windows = [Window(o.day, o.start_minute, o.end_minute) for o in service.openings]
    return Listing(
        service=service,
        open_now=is_open_at(windows, service.open_all_hours, now),
        out_of_hours=is_open_out_of_hours(windows, service.open_all_hours),
        hours=["24 hours a day, 7 days a week"] if service.open_all_hours else describe(windows),
    )


def _by_severity(listings: Iterable[Listing]) -> list[Listing]:
    return sorted(listings, key=lambda item: (item.severity.rank, item.service.name.lower()))


def directory_search(
    *, about: str = "", severity: str = "", when: str = "", now: datetime | None = None
) -> list[Listing]:
    """The directory, most urgent first, narrowed by what it is about, urgency and opening."""
    now = now or local_now()
    query: Select = select(SupportService)
    if about:
        query = query.where(
            exists().where(
                SupportServiceKind.service_id == SupportService.id, SupportServiceKind.kind == about
            )
            | exists().where(
                SupportServiceTopic.service_id == SupportService.id,
                SupportServiceTopic.topic == about,
            )
        )
    if severity:
        query = query.where(SupportService.severity == severity)
    listings = [listing_for(service, now) for service in db.session.scalars(query)]
    if when == "open_now":
        listings = [item for item in listings if item.open_now]
    elif when == "out_of_hours":
        listings = [item for item in listings if item.out_of_hours]
    return _by_severity(listings)


def directory_page(
    *, about: str = "", severity: str = "", when: str = "", page: int, per_page: int
) -> tuple[list[Listing], int]:
    """One page of `directory_search`'s results, and how many there are in all.

    Filters and order are worked out on plain rows (ids, names, opening windows); only the page's
    services are loaded as objects, so a page costs the same with 20 services or 2,000.
    """
    now = local_now()
    query = select(
        SupportService.id,
        SupportService.severity,
        SupportService.name,
        SupportService.open_all_hours,
    )
    if about:
        query = query.where(_is_about(about))
    if severity:
        query = query.where(SupportService.severity == severity)
    rows = db.session.execute(query).all()
    if when:
        windows: dict[int, list[Window]] = {}
        opening_rows = db.session.execute(
            select(
                OpeningWindow.service_id,
                OpeningWindow.day,
                OpeningWindow.start_minute,
                OpeningWindow.end_minute,
            ).where(OpeningWindow.service_id.in_([r.id for r in rows]))
        )
        for service_id, day, start, end in opening_rows:
            windows.setdefault(service_id, []).append(Window(day, start, end))
        fits = is_open_at if when == "open_now" else None
        rows = [
            r
            for r in rows
            if (
                fits(windows.get(r.id, []), r.open_all_hours, now)
                if fits
                else is_open_out_of_hours(windows.get(r.id, []), r.open_all_hours)
            )
        ]
    rows.sort(key=lambda r: (Severity(r.severity).rank, r.name.lower()))
    ids = [r.id for r in rows[(page - 1) * per_page : page * per_page]]
    services = {
        s.id: s
        for s in db.session.scalars(select(SupportService).where(SupportService.id.in_(ids)))
    }
    return [listing_for(services[i], now) for i in ids], len(rows)


def _is_about(about: str):
    return exists().where(
        SupportServiceKind.service_id == SupportService.id, SupportServiceKind.kind == about
    ) | exists().where(
        SupportServiceTopic.service_id == SupportService.id, SupportServiceTopic.topic == about
    )


def directory_has_examples() -> bool:
    return bool(
        db.session.scalar(select(exists().where(SupportService.name.like(f"{EXAMPLE_PREFIX}%"))))
    )


def services_for_check_in(
    *, severities: list[Severity], topics: Iterable[str], now: datetime | None = None
) -> list[Listing]:
    """Services of these severities (in the order given) that fit the chosen topics.

    A service with no topics helps with anything, so it always fits. Within each severity, those
    open now come first, then those open out of hours.
    """
    now = now or local_now()
    chosen = set(topics)
    query = select(SupportService).where(SupportService.severity.in_([s.value for s in severities]))
    fitting = [
        listing_for(service, now)
        for service in db.session.scalars(query)
        if not service.topics or not chosen or chosen & set(service.topic_values)
    ]
    order = {severity: index for index, severity in enumerate(severities)}
    return sorted(
        fitting,
        key=lambda item: (
            order[item.severity],
            not item.open_now,
            not item.out_of_hours,
            item.service.name.lower(),
        ),
    )
