"""Test data built through the real models, flushed to the real database."""

from __future__ import annotations

import itertools

from mentoring.auth.models import RoleGrant, User, utcnow
from mentoring.auth.passwords import hash_password
from mentoring.auth.second_factor import SecondFactor
from mentoring.directory.models import Severity, SupportService
from mentoring.directory.opening import parse_opening_hours
from mentoring.directory.services import SupportServiceDetails, support_service_create
from mentoring.extensions import db
from mentoring.permissions import Role

_sequence = itertools.count(1)
FACTORY_PASSWORD = "plum-orbit-lantern-meadow"
# Every factory-made authenticator shares this secret, so tests can compute its codes.
FACTORY_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
_hash_cache: dict[str, str] = {}


def _hash(password: str) -> str:
    if password not in _hash_cache:
        _hash_cache[password] = hash_password(password)
    return _hash_cache[password]


def make_user(
    *,
    roles: tuple[Role, ...] | list[Role] = (Role.DOCTOR,),
    email: str | None = None,
    display_name: str | None = None,
    password: str = FACTORY_PASSWORD,
    confirmed: bool = True,
    disabled: bool = False,
    second_factor: bool | None = None,
) -> User:
    """A person; `second_factor` defaults to enrolled for the roles that require one."""
    number = next(_sequence)
    user = User(
        email=email or f"person{number}@nhs.net",
        display_name=display_name or f"Dr Person {number}",
        password_hash=_hash(password),
        email_confirmed_at=utcnow() if confirmed else None,
        is_disabled=disabled,
        role_grants=[RoleGrant(role=Role(role).value) for role in roles],
    )
    db.session.add(user)
    db.session.flush()
    if second_factor is None:
        second_factor = bool({Role(role) for role in roles} & {Role.COORDINATOR, Role.ADMIN})
    if second_factor:
        factor = SecondFactor(id=user.id)
        factor.secret = FACTORY_TOTP_SECRET
        db.session.add(factor)
        db.session.flush()
    return user


def make_support_service(
    *,
    name: str | None = None,
    severity: Severity = Severity.EVERYDAY,
    kinds: tuple[str, ...] = ("emotional",),
    topics: tuple[str, ...] = (),
    hours: str = "Mon-Fri 09:00-17:00",
    open_all_hours: bool = False,
    phone: str | None = "0300 000 0000",
    website: str | None = None,
    email: str | None = None,
    self_referral: str | None = None,
    is_internal: bool = False,
) -> SupportService:
    return support_service_create(
        details=SupportServiceDetails(
            name=name or f"Service {next(_sequence)}",
            description="Listens and helps.",
            severity=severity,
            kinds=kinds,
            topics=topics,
            open_all_hours=open_all_hours,
            windows=tuple(parse_opening_hours(hours)),
            self_referral=self_referral,
            phone=phone,
            website=website,
            email=email,
            is_internal=is_internal,
            confidentiality="Nobody at work is told.",
        )
    )


# --- mentors: training, profiles, supervision, conflicts ------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def make_training_record(
    mentor: User,
    *,
    status: str = "verified",
    title: str = "Mentoring skills",
    models: tuple[str, ...] = ("grow",),
    completed_on=None,
    minutes: int = 600,
    evidence: bytes | None = None,
    reviewer: User | None = None,
):
    from datetime import date, timedelta

    from mentoring.training.evidence import evidence_folder
    from mentoring.training.models import TrainingModel, TrainingRecord

    record = TrainingRecord(
        mentor_id=mentor.id,
        title=title,
        provider="Deanery",
        completed_on=completed_on or date.today() - timedelta(days=100),
        minutes=minutes,
        status=status,
        reviewed_by_id=reviewer.id if reviewer else None,
        model_rows=[TrainingModel(model=model) for model in models],
    )
    if evidence is not None:
        name = f"factory{next(_sequence)}.pdf"
        (evidence_folder() / name).write_bytes(evidence)
        record.evidence_file = name
        record.evidence_name = "certificate.pdf"
        record.evidence_type = "application/pdf"
    db.session.add(record)
    db.session.flush()
    return record


def make_profile(
    mentor: User,
    *,
    capacity: int = 2,
    models: tuple[str, ...] = ("grow",),
    formats: tuple[str, ...] = ("video",),
    topics: tuple[str, ...] = ("workload",),
    windows: tuple[tuple[int, int, int], ...] = ((2, 18 * 60, 22 * 60),),
    paused: bool = False,
    paused_until=None,
):
    from mentoring.mentors.models import (
        AvailabilityWindow,
        MentorFormat,
        MentorModel,
        MentorProfile,
        MentorTopic,
    )

    profile = MentorProfile(
        mentor_id=mentor.id,
        career_stage="consultant",
        specialty="surgery",
        organisation="Riverside Hospitals",
        bio="Surgeon and mentor.",
        capacity=capacity,
        paused=paused,
        paused_until=paused_until,
        format_rows=[MentorFormat(format=value) for value in formats],
        topic_rows=[MentorTopic(topic=value) for value in topics],
        model_rows=[MentorModel(model=value) for value in models],
        windows=[
            AvailabilityWindow(day_of_week=day, start_minute=start, end_minute=end)
            for day, start, end in windows
        ],
    )
    db.session.add(profile)
    db.session.flush()
    return profile


def make_supervision(mentor: User, *, held_on=None, minutes: int = 60, kind: str = "supervision"):
    from datetime import date

    from mentoring.mentors.models import SupervisionSession

    entry = SupervisionSession(
        mentor_id=mentor.id, held_on=held_on or date.today(), minutes=minutes, kind=kind
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def make_support_request(mentor: User):
    from mentoring.mentors.models import SupportRequest

    support_request = SupportRequest(mentor_id=mentor.id)
    db.session.add(support_request)
    db.session.flush()
    return support_request


def make_conflict(*, mentor_email: str, doctor_email: str, declared_by: User, declared_as: str):
    from mentoring.conflicts.models import ConflictOfInterest

    conflict = ConflictOfInterest(
        mentor_email=mentor_email,
        doctor_email=doctor_email,
        declared_by_id=declared_by.id,
        declared_as=declared_as,
    )
    db.session.add(conflict)
    db.session.flush()
    return conflict
