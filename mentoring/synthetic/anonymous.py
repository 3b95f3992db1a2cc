"""Anonymous check-ins over two years, and the support directory.

Check-ins are written exactly as the check-in model keeps them: a random key, the ISO week and the
coarse groups, and nothing that names or points at an account. No receipts are written: a receipt
says who checked in, and synthetic people never did.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import numpy as np

from mentoring.checkins.models import CheckIn, CheckInTopic
from mentoring.core.vocabulary import CAREER_STAGE_GROUPS, NOT_SAID, SPECIALTY_GROUPS
from mentoring.directory.models import (
    PROBLEM_KINDS,
    OpeningWindow,
    Severity,
    SupportService,
    SupportServiceKind,
    SupportServiceTopic,
    directory_changed,
)
from mentoring.synthetic.plan import DIRECTORY_ENTRIES, HISTORY_DAYS, Plan
from mentoring.synthetic.relationships import TOPIC_VALUES, TOPIC_WEIGHTS
from mentoring.synthetic.writer import BulkWriter

CHUNK_CHECK_INS = 100_000


def write_check_ins(writer: BulkWriter, plan: Plan, organisations: list[str]) -> None:
    rng = plan.rng("check-ins")
    total = plan.count("check_ins")
    stages = [v for v, _ in CAREER_STAGE_GROUPS] + [NOT_SAID]
    specialties = [v for v, _ in SPECIALTY_GROUPS] + [NOT_SAID]
    orgs = [*organisations, NOT_SAID]
    for start in range(0, total, CHUNK_CHECK_INS):
        size = min(CHUNK_CHECK_INS, total - start)
        weeks = [
            (plan.today - timedelta(days=int(d))).isocalendar()[:2]
            for d in rng.integers(0, HISTORY_DAYS, size=size).tolist()
        ]
        # Answers lean towards the middle, as WHO-5 answers do; some weeks are harder than others.
        items = np.clip(rng.normal(2.8, 1.2, size=(size, 5)).round(), 0, 5).astype(int).tolist()
        ids = [uuid.uuid4() for _ in range(size)]  # random keys, as the check-in model has
        stage = rng.choice(stages, size=size).tolist()
        specialty = rng.choice(specialties, size=size).tolist()
        org = rng.choice(orgs, size=size).tolist()
        writer.write(
            CheckIn.__table__,
            (
                "id",
                "iso_year",
                "iso_week",
                "career_stage_group",
                "specialty_group",
                "organisation",
                "item_1",
                "item_2",
                "item_3",
                "item_4",
                "item_5",
                "raw_score",
            ),
            (
                (
                    ids[k],
                    weeks[k][0],
                    weeks[k][1],
                    stage[k],
                    specialty[k],
                    org[k],
                    *items[k],
                    sum(items[k]),
                )
                for k in range(size)
            ),
        )
        topic_counts = rng.choice([0, 1, 1, 2, 3], size=size).tolist()
        writer.write(
            CheckInTopic.__table__,
            ("check_in_id", "topic", "iso_year", "iso_week"),
            (
                (ids[k], topic, weeks[k][0], weeks[k][1])
                for k in range(size)
                if topic_counts[k]
                for topic in set(
                    rng.choice(TOPIC_VALUES, topic_counts[k], p=TOPIC_WEIGHTS).tolist()
                )
            ),
        )


def write_directory(writer: BulkWriter, plan: Plan) -> None:
    rng = plan.rng("directory")
    first = writer.next_id(SupportService.__table__)
    severities = [s.value for s in Severity]
    kinds = [v for v, _ in PROBLEM_KINDS]
    services, topics, service_kinds, openings = [], [], [], []
    for k in range(DIRECTORY_ENTRIES):
        service_id = first + k
        severity = severities[k % len(severities)]
        all_hours = severity == "urgent" and k % 2 == 0
        services.append(
            (
                service_id,
                f"Synthetic support service {k + 1}",
                "Confidential support for doctors: talk it through with someone independent.",
                severity,
                all_hours,
                "Self-refer online",
                f"0300 000 {k:04d}",
                f"https://service-{k + 1}.example.org",
                None,
                k % 4 == 0,
                "Nobody at work is told you made contact.",
            )
        )
        for topic in sorted(set(rng.choice(TOPIC_VALUES, size=3).tolist())):
            topics.append((service_id, topic))
        for kind in sorted(set(rng.choice(kinds, size=2).tolist())):
            service_kinds.append((service_id, kind))
        if not all_hours:
            for day in range(5 if k % 3 else 7):
                openings.append((day, 8 * 60, 20 * 60 if k % 3 else 22 * 60, service_id))
    writer.write(
        SupportService.__table__,
        (
            "id",
            "name",
            "description",
            "severity",
            "open_all_hours",
            "self_referral",
            "phone",
            "website",
            "email",
            "is_internal",
            "confidentiality",
        ),
        services,
    )
    writer.reset_sequence(SupportService.__table__)
    writer.write(SupportServiceTopic.__table__, ("service_id", "topic"), topics)
    writer.write(SupportServiceKind.__table__, ("service_id", "kind"), service_kinds)
    first_opening = writer.next_id(OpeningWindow.__table__)
    writer.write(
        OpeningWindow.__table__,
        ("id", "service_id", "day", "start_minute", "end_minute"),
        ((first_opening + n, sid, day, s, e) for n, (day, s, e, sid) in enumerate(openings)),
    )
    writer.reset_sequence(OpeningWindow.__table__)
    directory_changed(writer.connection)  # processes that kept the directory read it again
