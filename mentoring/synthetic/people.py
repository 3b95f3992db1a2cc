"""Accounts: doctors (some of them mentors), coordinators with a known second factor, an admin."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

import numpy as np

from mentoring.auth.models import RoleGrant, User
from mentoring.auth.second_factor import SecondFactor
from mentoring.extensions import db
from mentoring.permissions import Role
from mentoring.sealing import NoteKey, context, seal
from mentoring.synthetic.plan import COORDINATORS, HISTORY_DAYS, SYNTHETIC_DOMAIN, Plan, days_before
from mentoring.synthetic.writer import BulkWriter

FIRST_NAMES = (
    "Amara",
    "Sam",
    "Priya",
    "Owen",
    "Grace",
    "Tom",
    "Fatima",
    "Hannah",
    "Liam",
    "Aisha",
    "Ben",
    "Chloe",
    "David",
    "Elif",
    "Farah",
    "George",
    "Ioana",
    "James",
    "Kemi",
    "Lucy",
    "Mohammed",
    "Niamh",
    "Oliver",
    "Rhys",
    "Sofia",
    "Tariq",
    "Una",
    "Yusuf",
    "Zara",
    "Wei",
)
LAST_NAMES = (
    "Okafor",
    "Patel",
    "Nair",
    "Davies",
    "Chen",
    "Evans",
    "Hussain",
    "Lewis",
    "O'Brien",
    "Khan",
    "Jones",
    "Williams",
    "Brown",
    "Taylor",
    "Wilson",
    "Singh",
    "Ahmed",
    "Murphy",
    "Roberts",
    "Walker",
    "Wright",
    "Thompson",
    "Hughes",
    "Edwards",
    "Green",
    "Hall",
    "Wood",
    "Clarke",
)


@dataclass
class People:
    doctor_ids: np.ndarray  # every doctor, mentors included
    mentor_ids: np.ndarray  # the doctors who are also trained mentors
    coordinator_ids: list[int] = field(default_factory=list)
    admin_id: int = 0


def write_people(
    writer: BulkWriter, plan: Plan, *, password_hash: str, totp_secret: str, keys: list[NoteKey]
) -> People:
    rng = plan.rng("people")
    first = writer.next_id(User.__table__)
    doctor_ids = np.arange(first, first + plan.doctors)
    mentor_ids = np.sort(rng.choice(doctor_ids, size=plan.mentors, replace=False))
    coordinator_ids = list(range(doctor_ids[-1] + 1, doctor_ids[-1] + 1 + COORDINATORS))
    admin_id = coordinator_ids[-1] + 1
    joined = days_before(plan.now, rng.uniform(30, HISTORY_DAYS + 60, size=plan.doctors))
    names = zip(
        rng.integers(len(FIRST_NAMES), size=plan.doctors).tolist(),
        rng.integers(len(LAST_NAMES), size=plan.doctors).tolist(),
        strict=True,
    )
    accounts = [
        (
            int(user_id),
            f"doctor-{user_id}@{SYNTHETIC_DOMAIN}",
            f"Dr {FIRST_NAMES[f]} {LAST_NAMES[s]}",
        )
        for user_id, (f, s) in zip(doctor_ids.tolist(), names, strict=True)
    ]
    accounts += [
        (i, f"coordinator-{i}@{SYNTHETIC_DOMAIN}", f"Coordinator {i}") for i in coordinator_ids
    ]
    accounts.append((admin_id, f"admin-{admin_id}@{SYNTHETIC_DOMAIN}", "Administrator"))
    joined += [plan.now] * (COORDINATORS + 1)
    writer.write(
        User.__table__,
        (
            "id",
            "email",
            "display_name",
            "password_hash",
            "session_token",
            "email_confirmed_at",
            "is_disabled",
            "created_at",
        ),
        (
            (user_id, email, name, password_hash, secrets.token_urlsafe(32), at, False, at)
            for (user_id, email, name), at in zip(accounts, joined, strict=True)
        ),
    )
    writer.reset_sequence(User.__table__)
    grants = [(int(i), Role.DOCTOR.value) for i in doctor_ids.tolist()]
    grants += [(int(i), Role.MENTOR.value) for i in mentor_ids.tolist()]
    grants += [(i, Role.COORDINATOR.value) for i in coordinator_ids]
    grants.append((admin_id, Role.ADMIN.value))
    writer.write(
        RoleGrant.__table__,
        ("user_id", "role", "granted_at"),
        ((user_id, role, plan.now) for user_id, role in grants),
    )
    # Coordinators and the admin must use a second factor: give them one with a known secret, so
    # a benchmark client can sign in with a code the way a person would.
    writer.write(
        SecondFactor.__table__,
        ("id", "secret_sealed", "enrolled_at", "last_used_step"),
        (
            (
                i,
                seal(totp_secret, bound_to=context("second_factor", i, "secret"), keys=keys),
                plan.now,
                None,
            )
            for i in [*coordinator_ids, admin_id]
        ),
    )
    return People(doctor_ids, mentor_ids, coordinator_ids, admin_id)


def has_accounts() -> bool:
    return db.session.query(User.id).limit(1).first() is not None
