"""Reading the directory: filtered lists, the poster, and services that fit a check-in."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, bindparam, exists, literal_column, select, true, union_all
from sqlalchemy.orm import aliased

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

    Named as `SupportService`'s columns and properties, so a template reads either alike. All of
    it is values (tuples, not lists), so a listing can key its own rendered markup.
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
    kind_values: tuple[str, ...]
    topic_values: tuple[str, ...]
    windows: tuple[Window, ...]


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
_CARD_WIDTH = len(_CARD_COLUMNS)


def _cards_statement(condition):
    """The services meeting `condition` (a where clause on `SupportService`), each joined to its
    kinds, topics and opening windows, in the order the model's relationships give them: a row
    for each of those (one, of nothing, if it has none)."""
    chosen = select(SupportService.id).where(condition)
    nothing, zero = literal_column("''"), literal_column("0")
    details = union_all(
        select(
            SupportServiceKind.service_id,
            literal_column("'kind'").label("what"),
            SupportServiceKind.kind.label("value"),
            zero.label("day"),
            zero.label("start_minute"),
            zero.label("end_minute"),
        ).where(SupportServiceKind.service_id.in_(chosen)),
        select(
            SupportServiceTopic.service_id,
            literal_column("'topic'"),
            SupportServiceTopic.topic,
            zero,
            zero,
            zero,
        ).where(SupportServiceTopic.service_id.in_(chosen)),
        select(
            OpeningWindow.service_id,
            literal_column("'opening'"),
            nothing,
            OpeningWindow.day,
            OpeningWindow.start_minute,
            OpeningWindow.end_minute,
        ).where(OpeningWindow.service_id.in_(chosen)),
    ).subquery()
    return (
        select(
            *_CARD_COLUMNS,
            details.c.what,
            details.c.value,
            details.c.day,
            details.c.start_minute,
            details.c.end_minute,
        )
        .outerjoin(details, details.c.service_id == SupportService.id)
        .where(condition)
        .order_by(SupportService.id, details.c.value, details.c.day, details.c.start_minute)
    )


@cache
def _cards_by_id_statement():
    """`_cards_statement` for a list of ids (`ids`), built once: building it was most of the
    cost of reading a page's cards."""
    return _cards_statement(SupportService.id.in_(bindparam("ids", expanding=True)))


def service_cards(*conditions) -> list[ServiceCard]:
    """The services meeting `conditions` as cards, in one statement however many there are."""
    return _cards(db.session.connection().execute(_cards_statement(and_(true(), *conditions))))


def service_cards_by_id(ids: list[int]) -> list[ServiceCard]:
    """The services of `ids` as cards (in order of id), in one statement."""
    return _cards(db.session.connection().execute(_cards_by_id_statement(), {"ids": ids}))


def _cards(result) -> list[ServiceCard]:
    found: list[tuple] = []  # (columns, kinds, topics, windows) for each service, in order
    card_id = None
    for row in result.all():
        if row[0] != card_id:
            card_id = row[0]
            kinds: list[str] = []
            topics: list[str] = []
            windows: list[Window] = []
            found.append((row[:_CARD_WIDTH], kinds, topics, windows))
        what = row[_CARD_WIDTH]
        if what == "opening":
            windows.append(Window(*row[_CARD_WIDTH + 2 :]))
        elif what == "kind":
            kinds.append(row[_CARD_WIDTH + 1])
        elif what == "topic":
            topics.append(row[_CARD_WIDTH + 1])
    return [
        ServiceCard(*columns, tuple(kinds), tuple(topics), tuple(windows))
        for columns, kinds, topics, windows in found
    ]


class Listing(NamedTuple):
    """A service as a person finding support sees it, with its hours worked out for now: all a
    listing shows (with the heading level and whether the reader may change the service)."""

    service: ServiceCard
    open_now: bool
    out_of_hours: bool
    hours: tuple[str, ...]

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
        hours=("24 hours a day, 7 days a week",)
        if service.open_all_hours
        else tuple(describe(windows)),
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


class DirectoryPage(NamedTuple):
    listings: list[Listing]
    total: int
    has_examples: bool


_RANKS = {severity.value: severity.rank for severity in Severity}


@cache
def _page_rows_statement(about: bool, severity: bool):
    """What the directory's filters and order need of every service (built once for each
    combination of filters; values `about` and `severity`), and whether any is an example."""
    query = select(
        SupportService.id,
        SupportService.severity,
        SupportService.name,
        SupportService.open_all_hours,
        _has_examples().label("has_examples"),
    )
    if about:
        query = query.where(_is_about(bindparam("about")))
    if severity:
        query = query.where(SupportService.severity == bindparam("severity"))
    return query


@cache
def _openings_statement():
    return select(
        OpeningWindow.service_id,
        OpeningWindow.day,
        OpeningWindow.start_minute,
        OpeningWindow.end_minute,
    ).where(OpeningWindow.service_id.in_(bindparam("ids", expanding=True)))


def directory_page(
    *, about: str = "", severity: str = "", when: str = "", page: int, per_page: int
) -> DirectoryPage:
    """One page of `directory_search`'s results, how many there are in all, and whether the
    directory holds examples (`directory_has_examples`, read with the page's rows).

    Filters and order are worked out on plain rows (ids, names, opening windows); only the page's
    services are read in full, as cards, so a page costs the same with 20 services or 2,000.
    """
    now = local_now()
    connection = db.session.connection()
    rows = connection.execute(
        _page_rows_statement(bool(about), bool(severity)), {"about": about, "severity": severity}
    ).all()
    has_examples = bool(rows[0].has_examples) if rows else directory_has_examples()
    if when:
        windows: dict[int, list[Window]] = {}
        opening_rows = connection.execute(_openings_statement(), {"ids": [r.id for r in rows]})
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
    order = sorted([(_RANKS[r.severity], r.name.lower(), i, r.id) for i, r in enumerate(rows)])
    ids = [key[3] for key in order[(page - 1) * per_page : page * per_page]]
    cards = {card.id: card for card in service_cards_by_id(ids)} if ids else {}
    return DirectoryPage([listing_for(cards[i], now) for i in ids], len(rows), has_examples)


def _is_about(about: str):
    return exists().where(
        SupportServiceKind.service_id == SupportService.id, SupportServiceKind.kind == about
    ) | exists().where(
        SupportServiceTopic.service_id == SupportService.id, SupportServiceTopic.topic == about
    )


def _has_examples():
    """Whether any service is an example, whatever the query it is part of reads (an alias: not
    correlated with the services a query lists)."""
    example = aliased(SupportService)
    return exists().where(example.name.like(f"{EXAMPLE_PREFIX}%"))


def directory_has_examples() -> bool:
    return bool(db.session.scalar(select(_has_examples())))


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
