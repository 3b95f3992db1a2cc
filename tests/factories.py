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
