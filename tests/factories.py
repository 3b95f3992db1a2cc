"""Test data built through the real models, flushed to the real database."""

from __future__ import annotations

import itertools

from mentoring.auth.models import RoleGrant, User, utcnow
from mentoring.auth.passwords import hash_password
from mentoring.extensions import db
from mentoring.permissions import Role

_sequence = itertools.count(1)
FACTORY_PASSWORD = "plum-orbit-lantern-meadow"
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
) -> User:
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
    return user
