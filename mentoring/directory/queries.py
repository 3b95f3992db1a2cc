"""Reading the directory: filtered lists, the poster, and services that fit a check-in."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cache, lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, literal_column, select, true, union_all

from mentoring.directory.models import (
    DirectoryVersion,
    OpeningWindow,
    Severity,
    SupportService,
    SupportServiceKind,
    SupportServiceTopic,
)
from mentoring.directory.opening import Window, describe, is_open_out_of_hours
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


def service_cards(*conditions) -> list[ServiceCard]:
    """The services meeting `conditions` as cards, in one statement however many there are."""
    return _cards(db.session.connection().execute(_cards_statement(and_(true(), *conditions))))


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


class CheckInOrder(NamedTuple):
    """A severity's services in the order a check-in's result shows them, and which fit a topic:
    by their places in that order, those that help with anything, and those for each topic."""

    listings: tuple[Listing, ...]
    for_anything: frozenset[int]
    for_topic: dict[str, frozenset[int]]

    @classmethod
    def of(cls, listings: tuple[Listing, ...]) -> CheckInOrder:
        for_topic: dict[str, set[int]] = {}
        for place, item in enumerate(listings):
            for topic in item.service.topic_values:
                for_topic.setdefault(topic, set()).add(place)
        return cls(
            listings,
            frozenset(
                place for place, item in enumerate(listings) if not item.service.topic_values
            ),
            {topic: frozenset(places) for topic, places in for_topic.items()},
        )

    def fitting(self, chosen: frozenset[str]) -> list[Listing]:
        """Those that help with anything or with a topic chosen (all of them if none was), in
        order: a few set operations, whatever the number of services."""
        if not chosen:
            return list(self.listings)
        places = self.for_anything.union(
            *[self.for_topic[t] for t in chosen if t in self.for_topic]
        )
        return [self.listings[place] for place in sorted(places)]


class KeptDirectory:
    """The whole directory as one process last read it, under the version it read it at.

    A national directory is a few hundred services, read by every check-in and every page of the
    directory: each process reads it once for each version (`DirectoryVersion`, moved by every
    change), and each request reads only the version. Its listings are worked out once a minute
    ("open now" changes on the minute), and each filter's results once a minute as well. It holds
    services' public text only, never anything of a person.
    """

    def __init__(self, token, cards: list[ServiceCard]) -> None:
        self.token = token
        self.has_examples = any(card.name.startswith(EXAMPLE_PREFIX) for card in cards)
        # Most urgent first, then by name: the order every list of services is shown in.
        ordered = sorted(
            cards, key=lambda card: (_RANKS[card.severity], card.name.lower(), card.id)
        )
        self._unchanging = [
            (
                card,
                is_open_out_of_hours(card.windows, card.open_all_hours),
                ("24 hours a day, 7 days a week",)
                if card.open_all_hours
                else tuple(describe(card.windows)),
            )
            for card in ordered
        ]
        self.pages: dict = {}  # the directory's rendered page blocks (`directory.views`)
        self.listings_at_minute = lru_cache(maxsize=4)(self._listings_at_minute)
        self.search_at_minute = lru_cache(maxsize=256)(self._search_at_minute)
        self.check_in_order_at_minute = lru_cache(maxsize=4)(self._check_in_order_at_minute)

    def listings(self, now: datetime) -> tuple[Listing, ...]:
        """Every service, most urgent first, with its hours worked out for `now` (local time)."""
        return self.listings_at_minute(now.weekday(), now.hour * 60 + now.minute)

    def _listings_at_minute(self, weekday: int, minute: int) -> tuple[Listing, ...]:
        return tuple(
            Listing(card, _open_at(card, weekday, minute), out_of_hours, hours)
            for card, out_of_hours, hours in self._unchanging
        )

    def check_in_order(self, now: datetime) -> dict[str, CheckInOrder]:
        """Every service by severity (its value), in the order a check-in's result shows them:
        open now first, then open out of hours, then by name
        (`services_for_check_in_by_severity`)."""
        return self.check_in_order_at_minute(now.weekday(), now.hour * 60 + now.minute)

    def _check_in_order_at_minute(self, weekday: int, minute: int) -> dict[str, CheckInOrder]:
        listings = sorted(
            self.listings_at_minute(weekday, minute),
            key=lambda item: (not item.open_now, not item.out_of_hours, item.service.name.lower()),
        )
        return {
            severity.value: CheckInOrder.of(
                tuple(item for item in listings if item.service.severity == severity)
            )
            for severity in Severity
        }

    def search(self, now: datetime, about: str, severity: str, when: str) -> tuple[Listing, ...]:
        minute = now.hour * 60 + now.minute
        return self.search_at_minute(now.weekday(), minute, about, severity, when)

    def _search_at_minute(
        self, weekday: int, minute: int, about: str, severity: str, when: str
    ) -> tuple[Listing, ...]:
        return tuple(
            item
            for item in self.listings_at_minute(weekday, minute)
            if (
                not about or about in item.service.kind_values or about in item.service.topic_values
            )
            and (not severity or item.service.severity == severity)
            and (
                not when
                or (when == "open_now" and item.open_now)
                or (when == "out_of_hours" and item.out_of_hours)
            )
        )


def _open_at(card: ServiceCard, weekday: int, minute: int) -> bool:
    """Whether the service is open at a moment of the week: `opening.is_open_at` for a moment
    given as its weekday and minute of the day, as the kept listings are worked out."""
    return card.open_all_hours or any(
        window.day == weekday and window.start_minute <= minute < window.end_minute
        for window in card.windows
    )


_KEPT = "directory_kept"


@cache
def _version_statement():
    return select(DirectoryVersion.token)  # the table's one row, with no value sent


def directory_version_column():
    """The directory's version as a column of another statement (`version_read=` below): a page
    that reads something else first reads the version with it, in the same round trip."""
    return _version_statement().scalar_subquery().label("directory_version")


_UNREAD = object()


def kept_directory(version_read=_UNREAD) -> KeptDirectory:
    """The directory as it is now: the one this process keeps, if it is still the latest version
    (one row read), or read again (one statement) and kept.

    The version is read first and the services after, so what is kept is never older than the
    version it is kept under. (It may be newer, if a change commits in between: the next request
    then reads the newer version and reads the services again.) A caller that has already read
    the version in this request (`directory_version_column`) gives it, and it is not read again.
    """
    if version_read is _UNREAD:
        token = db.session.connection().execute(_version_statement()).scalar()
    else:
        token = version_read
    kept = current_app.extensions.get(_KEPT)
    if kept is None or kept.token != token:
        kept = KeptDirectory(token, service_cards())
        current_app.extensions[_KEPT] = kept
    return kept


def directory_search(
    *, about: str = "", severity: str = "", when: str = "", now: datetime | None = None
) -> list[Listing]:
    """The directory, most urgent first, narrowed by what it is about, urgency and opening."""
    return list(kept_directory().search(now or local_now(), about, severity, when))


_RANKS = {severity.value: severity.rank for severity in Severity}


def directory_has_examples() -> bool:
    return kept_directory().has_examples


def services_for_check_in_by_severity(
    *,
    severities: list[Severity],
    topics: Iterable[str],
    now: datetime | None = None,
    version_read=_UNREAD,
) -> list[tuple[Severity, list[Listing]]]:
    """Services of these severities (in the order given, each with its own) that fit the chosen
    topics, for the check-in result.

    A service with no topics helps with anything, so it always fits. Within each severity, those
    open now come first, then those open out of hours.

    The choice is made here, from the whole kept directory: what is sent to the database (the
    directory's version, and the services when it moved) is then the same whatever the check-in
    said, so no statement next to its receipt (statement logs, `pg_stat_activity`) tells its score
    band or its topics.

    Each severity's services are put in order once a minute (`KeptDirectory.check_in_order`), the
    same for every check-in; only which of them fit the topics is worked out for this one.
    `version_read`: the directory's version, if this request has read it already (`kept_directory`).
    """
    chosen = frozenset(topics)
    ordered = kept_directory(version_read).check_in_order(now or local_now())
    return [(severity, ordered[severity.value].fitting(chosen)) for severity in severities]
