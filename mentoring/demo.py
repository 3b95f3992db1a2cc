"""A small example scheme, so every page has something real to show on a laptop."""

from __future__ import annotations

import secrets

from sqlalchemy import func, select, update

from mentoring.auth.models import RoleGrant, User, utcnow
from mentoring.auth.passwords import hash_password
from mentoring.checkins.demo import demo_check_ins_create
from mentoring.directory.demo import demo_directory_create
from mentoring.directory.queries import local_now
from mentoring.extensions import db
from mentoring.permissions import Role
from mentoring.relationships.demo import demo_relationships_create
from mentoring.reports.demo import demo_uptake_create
from mentoring.requests_.demo import demo_requests_create
from mentoring.training.demo import demo_training_create

DEMO_DOMAIN = "demo.test"

DEMO_ACCOUNTS: list[tuple[str, str, tuple[Role, ...]]] = [
    ("doctor@demo.test", "Dr Amara Okafor", (Role.DOCTOR,)),
    ("mentor@demo.test", "Dr Sam Patel", (Role.MENTOR, Role.DOCTOR)),
    ("coordinator@demo.test", "Jo Williams", (Role.COORDINATOR,)),
    ("admin@demo.test", "Chris Morgan", (Role.ADMIN,)),
]

# Further people so lists and, later, matching and reports have more than one row.
OTHER_DOCTORS = [
    ("Dr Priya Nair", (Role.DOCTOR,)),
    ("Dr Tom Evans", (Role.DOCTOR,)),
    ("Dr Fatima Hussain", (Role.DOCTOR,)),
    ("Dr Liam O'Brien", (Role.DOCTOR,)),
    ("Dr Grace Chen", (Role.MENTOR, Role.DOCTOR)),
    ("Dr Owen Davies", (Role.MENTOR,)),
    ("Dr Hannah Lewis", (Role.MENTOR, Role.DOCTOR)),
    ("Dr Kwame Mensah", (Role.MENTOR,)),
]


def new_demo_password() -> str:
    return "-".join(secrets.token_urlsafe(6) for _ in range(3))


def has_accounts() -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(User)))


def has_demo_accounts() -> bool:
    first_email = DEMO_ACCOUNTS[0][0]
    return bool(
        db.session.scalar(select(func.count()).select_from(User).where(User.email == first_email))
    )


def _person(email: str, name: str, roles: tuple[Role, ...], password_hash: str) -> User:
    return User(
        email=email,
        display_name=name,
        password_hash=password_hash,
        email_confirmed_at=utcnow(),
        role_grants=[RoleGrant(role=role.value) for role in roles],
    )


def demo_data_create(*, password: str | None = None) -> str:
    """Create the demo scheme; return the password every demo account shares."""
    password = password or new_demo_password()
    password_hash = hash_password(password)
    people = [_person(email, name, roles, password_hash) for email, name, roles in DEMO_ACCOUNTS]
    for name, roles in OTHER_DOCTORS:
        local = name.removeprefix("Dr ").lower().replace(" ", ".").replace("'", "")
        people.append(_person(f"{local}@{DEMO_DOMAIN}", name, roles, password_hash))
    db.session.add_all(people)
    db.session.flush()
    demo_directory_create()
    demo_check_ins_create(today=local_now().date())
    by_email = {person.email: person for person in people}
    demo_training_create(by_email)
    demo_relationships_create(by_email)
    demo_requests_create(by_email)
    demo_uptake_create(by_email, password_hash=password_hash, today=local_now().date())
    return password


def demo_accounts_reset_password(*, password: str | None = None) -> str:
    password = password or new_demo_password()
    db.session.execute(
        update(User)
        .where(User.email.like(f"%@{DEMO_DOMAIN}"))
        .values(password_hash=hash_password(password))
    )
    return password
