"""Coordinators keep the directory: add, change and remove support services."""

from __future__ import annotations

from dataclasses import dataclass

from mentoring.core.errors import ServiceError
from mentoring.core.vocabulary import TOPICS, values
from mentoring.directory.models import (
    MINUTES_PER_DAY,
    PROBLEM_KINDS,
    OpeningWindow,
    Severity,
    SupportService,
    SupportServiceKind,
    SupportServiceTopic,
)
from mentoring.directory.opening import Window
from mentoring.extensions import db


@dataclass(frozen=True)
class SupportServiceDetails:
    name: str
    description: str
    severity: Severity
    kinds: tuple[str, ...]
    topics: tuple[str, ...]
    open_all_hours: bool
    windows: tuple[Window, ...]
    self_referral: str | None
    phone: str | None
    website: str | None
    email: str | None
    is_internal: bool
    confidentiality: str


def support_service_create(*, details: SupportServiceDetails) -> SupportService:
    service = SupportService()
    _apply(service, details)
    db.session.add(service)
    db.session.flush()
    return service


def support_service_update(*, service: SupportService, details: SupportServiceDetails) -> None:
    _apply(service, details)
    db.session.flush()


def support_service_delete(*, service: SupportService) -> None:
    db.session.delete(service)
    db.session.flush()


def _apply(service: SupportService, details: SupportServiceDetails) -> None:
    _check(details)
    service.name = details.name.strip()
    service.description = details.description.strip()
    service.severity = details.severity.value
    service.open_all_hours = details.open_all_hours
    service.self_referral = _blank_to_none(details.self_referral)
    service.phone = _blank_to_none(details.phone)
    service.website = _blank_to_none(details.website)
    service.email = _blank_to_none(details.email)
    service.is_internal = details.is_internal
    service.confidentiality = details.confidentiality.strip()
    service.kinds = [SupportServiceKind(kind=kind) for kind in sorted(set(details.kinds))]
    service.topics = [SupportServiceTopic(topic=topic) for topic in sorted(set(details.topics))]
    windows = () if details.open_all_hours else details.windows
    service.openings = [
        OpeningWindow(day=w.day, start_minute=w.start_minute, end_minute=w.end_minute)
        for w in sorted(set(windows))
    ]


def _check(details: SupportServiceDetails) -> None:
    reach = (details.self_referral, details.phone, details.website, details.email)
    if not any(_blank_to_none(way) for way in reach):
        raise ServiceError(
            "Give at least one way to reach the service: how to refer yourself, a phone number, "
            "a website or an email address",
            field="self_referral",
        )
    if not details.kinds:
        raise ServiceError("Choose at least one kind of problem it helps with", field="kinds")
    if set(details.kinds) - set(values(PROBLEM_KINDS)):
        raise ServiceError("Choose only from the kinds of problem shown", field="kinds")
    if set(details.topics) - set(values(TOPICS)):
        raise ServiceError("Choose only from the topics shown", field="topics")
    if not details.open_all_hours and not details.windows:
        raise ServiceError(
            "Enter the opening hours, or tick 'Open 24 hours a day'", field="opening_hours"
        )
    for window in details.windows:
        if not 0 <= window.day <= 6:
            raise ServiceError("Opening days run from Monday to Sunday", field="opening_hours")
        if not 0 <= window.start_minute < window.end_minute <= MINUTES_PER_DAY:
            raise ServiceError(
                "Opening hours must end after they start, on the same day", field="opening_hours"
            )


def _blank_to_none(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None
