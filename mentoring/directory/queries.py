"""Reading the directory: filtered lists, the poster, and services that fit a check-in."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import exists, literal_column, select, union_all

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


class ServiceCard(NamedTuple):
    """What a listing shows of a service: plain values, read as rows (no ORM objects).

    Named as `SupportService`'s columns and properties, so a template reads either alike. A
    named tuple: made in one call (a frozen dataclass sets each of its 14 fields by a call), and
    the check-in result makes one for every service in the directory.
    """

    id: int
    name: str
    description: str
    severity: str
    open_all_hours: bool
    self_referral: str | None
    phone: str | None
    website: str | None
    email: str | None
    is_internal: bool
    confidentiality: str
    kind_values: list[str]
    topic_values: list[str]
    windows: list[Window]


_CARD_COLUMNS = (
    SupportService.id,
    SupportService.name,
    SupportService.description,
    SupportService.severity,
    SupportService.open_all_hours,
    SupportService.self_referral,
    SupportService.phone,
    SupportService.website,
    SupportService.email,
    SupportService.is_internal,
    SupportService.confidentiality,
)


def service_cards(*conditions) -> list[ServiceCard]:
    """The services meeting `conditions` as cards: two statements however many there are (their
    columns; then their kinds, topics and opening windows together, each in the order the
    model's relationships give them)."""
    rows = db.session.execute(select(*_CARD_COLUMNS).where(*conditions)).all()
    kinds: defaultdict[int, list[str]] = defaultdict(list)
    topics: defaultdict[int, list[str]] = defaultdict(list)
    windows: defaultdict[int, list[Window]] = defaultdict(list)
    if rows:
        # The services again as a subquery, not as a list of their ids: one parameter per
        # condition rather than three per service.
        ids = select(SupportService.id).where(*conditions).scalar_subquery()
        nothing, zero = literal_column("''"), literal_column("0")
        details = union_all(
            select(
                SupportServiceKind.service_id,
                literal_column("'kind'").label("what"),
                SupportServiceKind.kind.label("value"),
                zero.label("day"),
                zero.label("start_minute"),
                zero.label("end_minute"),
            ).where(SupportServiceKind.service_id.in_(ids)),
            select(
                SupportServiceTopic.service_id,
                literal_column("'topic'"),
                SupportServiceTopic.topic,
                zero,
                zero,
                zero,
            ).where(SupportServiceTopic.service_id.in_(ids)),
            select(
                OpeningWindow.service_id,
                literal_column("'opening'"),
                nothing,
                OpeningWindow.day,
                OpeningWindow.start_minute,
                OpeningWindow.end_minute,
            ).where(OpeningWindow.service_id.in_(ids)),
        ).order_by(literal_column("value"), literal_column("day"), literal_column("start_minute"))
        for service_id, what, value, day, start, end in db.session.execute(details).all():
            if what == "opening":
                windows[service_id].append(Window(day, start, end))
            else:
                (kinds if what == "kind" else topics)[service_id].append(value)
    return [
        ServiceCard(
            *row,
            kind_values=kinds.get(row.id, []),
            topic_values=topics.get(row.id, []),
            windows=windows.get(row.id, []),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Listing:
    """A service as a person finding support sees it, with its hours worked out for now."""

    service: ServiceCard
    open_now: bool
    out_of_hours: bool
    hours: list[str]

    @property
    def severity(self) -> Severity:
        return Severity(self.service.severity)


def local_now() -> datetime:
    return datetime.now(ZoneInfo(current_app.config["TIMEZONE"]))


def listing_for(service: ServiceCard, now: datetime) -> Listing:
    windows = service.windows
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
    conditions = []
    if about:
        conditions.append(_is_about(about))
    if severity:
        conditions.append(SupportService.severity == severity)
    listings = [listing_for(service, now) for service in service_cards(*conditions)]
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
    services are read in full, as cards, so a page costs the same with 20 services or 2,000.
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
    cards = {card.id: card for card in service_cards(SupportService.id.in_(ids))} if ids else {}
    return [listing_for(cards[i], now) for i in ids], len(rows)


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

    Every service is read, and the choice made here: what is sent to the database is then the
    same whatever the check-in said, so no statement next to its receipt (statement logs,
    `pg_stat_activity`) tells its score band or its topics.
    """
    now = now or local_now()
    chosen = set(topics)
    shown = {severity.value for severity in severities}
    fitting = [
        listing_for(card, now)
        for card in service_cards()
        if card.severity in shown
        and (not card.topic_values or not chosen or chosen & set(card.topic_values))
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
