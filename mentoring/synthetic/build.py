"""Builds the whole synthetic scheme in one transaction, part by part, and reports what it wrote."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

from flask import current_app

from mentoring.auth.passwords import hash_password
from mentoring.extensions import db
from mentoring.sealing import note_keys
from mentoring.synthetic.anonymous import write_check_ins, write_directory
from mentoring.synthetic.mentors import plan_mentors, write_mentors
from mentoring.synthetic.people import write_people
from mentoring.synthetic.plan import Plan
from mentoring.synthetic.relationships import (
    places_taken,
    plan_relationships,
    write_relationships,
    write_requests,
)
from mentoring.synthetic.sessions import plan_session_counts, write_sessions
from mentoring.synthetic.writer import BulkWriter


def synthetic_data_create(
    *,
    scale: float,
    seed: int,
    password: str,
    totp_secret: str,
    today: date,
    progress: Callable[[str], None] = lambda _message: None,
) -> dict[str, int]:
    """Write a synthetic scheme of `scale` into the current transaction; the caller commits.

    Every account shares one password, hashed once: hashing 60,000 passwords with argon2 would take
    longer than everything else together. Returns rows written per table.
    """
    plan = Plan(scale=scale, seed=seed, today=today)
    writer = BulkWriter()
    keys = note_keys()
    organisations = list(current_app.config["ORGANISATIONS"])
    started = time.perf_counter()

    def step(message: str) -> None:
        progress(f"{time.perf_counter() - started:7.1f}s  {message}")

    step("accounts")
    people = write_people(
        writer, plan, password_hash=hash_password(password), totp_secret=totp_secret, keys=keys
    )
    mentors = plan_mentors(plan, people, organisations)
    relationships = plan_relationships(plan, people, mentors)
    step("mentors, training and availability")
    write_mentors(writer, plan, mentors, places_taken(relationships), people.coordinator_ids[0])
    step("requests")
    request_of = write_requests(writer, plan, people, mentors, relationships, keys)
    counts = plan_session_counts(plan, relationships)
    step("relationships")
    write_relationships(writer, plan, relationships, request_of, counts)
    step("session logs (sealing notes)")
    write_sessions(writer, plan, relationships, counts, keys)
    step("check-ins")
    write_check_ins(writer, plan, organisations)
    step("support directory")
    write_directory(writer, plan)
    db.session.flush()
    step("done")
    return writer.counts
