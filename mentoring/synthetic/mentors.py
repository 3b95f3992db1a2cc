"""Trained mentors: verified training, profiles, what they offer, availability, supervision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np

from mentoring.core.vocabulary import FORMATS, SUPERVISION_KINDS, TIME_SLOTS, TOPICS
from mentoring.mentors.models import (
    AvailabilityWindow,
    MentorFormat,
    MentorModel,
    MentorProfile,
    MentorTopic,
    SupervisionSession,
)
from mentoring.synthetic.people import People
from mentoring.synthetic.plan import Plan, days_before
from mentoring.synthetic.writer import BulkWriter
from mentoring.training.models import TrainingModel, TrainingRecord, TrainingStatus

TEACHABLE_MODELS = ("egan", "grow", "clear", "oskar")
MENTOR_STAGES = ("consultant", "gp", "sas", "specialty_training")
MENTOR_SPECIALTIES = (
    "anaesthetics",
    "emergency_medicine",
    "general_medicine",
    "general_practice",
    "geriatric_medicine",
    "intensive_care",
    "obstetrics_gynaecology",
    "paediatrics",
    "psychiatry",
    "radiology",
    "surgery",
    "oncology",
)
PROVIDERS = ("Deanery mentoring programme", "Royal College course", "Trust faculty development")
DEPARTMENTS = ("Medicine", "Surgery", "Emergency department", "Women and children", "Primary care")


@dataclass
class MentorPlan:
    ids: list[int]
    capacity: np.ndarray
    models: list[tuple[str, ...]]  # the models each mentor was trained in and offers
    organisations: list[str]


def plan_mentors(plan: Plan, people: People, organisations: list[str]) -> MentorPlan:
    rng = plan.rng("mentors")
    ids = people.mentor_ids.tolist()
    n = len(ids)
    capacity = rng.choice([1, 2, 2, 3, 3, 4], size=n)
    models = []
    for count in rng.integers(1, 4, size=n).tolist():
        models.append(tuple(sorted(rng.choice(TEACHABLE_MODELS, size=count, replace=False))))
    orgs = [organisations[i] for i in rng.integers(len(organisations), size=n).tolist()]
    return MentorPlan(ids, capacity, models, orgs)


def write_mentors(
    writer: BulkWriter, plan: Plan, mentors: MentorPlan, places: dict[int, int], reviewer_id: int
) -> None:
    rng = plan.rng("mentor-profiles")
    n = len(mentors.ids)
    stages = rng.choice(MENTOR_STAGES, size=n).tolist()
    specialties = rng.choice(MENTOR_SPECIALTIES, size=n).tolist()
    departments = rng.choice(DEPARTMENTS, size=n).tolist()
    genders = rng.choice(["woman", "man", "", ""], size=n).tolist()
    paused = (rng.random(n) < 0.05).tolist()
    writer.write(
        MentorProfile.__table__,
        (
            "mentor_id",
            "career_stage",
            "specialty",
            "organisation",
            "department",
            "bio",
            "capacity",
            "places_taken",
            "gender",
            "paused",
            "paused_until",
            "updated_at",
        ),
        (
            (
                m,
                stages[k],
                specialties[k],
                mentors.organisations[k],
                departments[k],
                "Happy to talk through career and work-life questions.",
                int(mentors.capacity[k]),
                places.get(m, 0),
                genders[k] or None,
                paused[k],
                None,
                plan.now,
            )
            for k, m in enumerate(mentors.ids)
        ),
    )
    formats = [value for value, _ in FORMATS]
    topics = [value for value, _ in TOPICS]
    writer.write(
        MentorFormat.__table__,
        ("mentor_id", "format"),
        ((m, f) for m in mentors.ids for f in rng.choice(formats, size=2, replace=False).tolist()),
    )
    writer.write(
        MentorTopic.__table__,
        ("mentor_id", "topic"),
        ((m, t) for m in mentors.ids for t in rng.choice(topics, size=8, replace=False).tolist()),
    )
    writer.write(
        MentorModel.__table__,
        ("mentor_id", "model"),
        (
            (m, model)
            for m, models in zip(mentors.ids, mentors.models, strict=True)
            for model in models
        ),
    )
    _write_windows(writer, rng, mentors)
    _write_training(writer, plan, rng, mentors, reviewer_id)
    _write_supervision(writer, plan, rng, mentors)


def _write_windows(writer: BulkWriter, rng: np.random.Generator, mentors: MentorPlan) -> None:
    first = writer.next_id(AvailabilityWindow.__table__)
    rows = []
    for m in mentors.ids:
        for slot in rng.choice(len(TIME_SLOTS), size=3, replace=False).tolist():
            _value, _label, start, end = TIME_SLOTS[slot]
            rows.append((first + len(rows), m, int(rng.integers(7)), start, end))
    writer.write(
        AvailabilityWindow.__table__,
        ("id", "mentor_id", "day_of_week", "start_minute", "end_minute"),
        rows,
    )
    writer.reset_sequence(AvailabilityWindow.__table__)


def _write_training(writer, plan: Plan, rng, mentors: MentorPlan, reviewer_id: int) -> None:
    """One verified course per mentor, teaching exactly the models the mentor offers."""
    first = writer.next_id(TrainingRecord.__table__)
    completed = days_before(plan.now, rng.uniform(60, 3 * 365, size=len(mentors.ids)))
    providers = rng.choice(PROVIDERS, size=len(mentors.ids)).tolist()
    writer.write(
        TrainingRecord.__table__,
        (
            "id",
            "mentor_id",
            "title",
            "provider",
            "completed_on",
            "minutes",
            "status",
            "reviewed_by_id",
            "reviewed_at",
            "created_at",
            "updated_at",
        ),
        (
            (
                first + k,
                m,
                "Mentoring skills",
                providers[k],
                completed[k].date(),
                12 * 60,
                TrainingStatus.VERIFIED.value,
                reviewer_id,
                completed[k] + timedelta(days=7),
                completed[k] + timedelta(days=1),
                completed[k] + timedelta(days=7),
            )
            for k, m in enumerate(mentors.ids)
        ),
    )
    writer.reset_sequence(TrainingRecord.__table__)
    writer.write(
        TrainingModel.__table__,
        ("training_record_id", "model"),
        ((first + k, model) for k, models in enumerate(mentors.models) for model in models),
    )


def _write_supervision(writer, plan: Plan, rng, mentors: MentorPlan) -> None:
    first = writer.next_id(SupervisionSession.__table__)
    per_mentor = 4
    held = days_before(plan.now, rng.uniform(1, 700, size=len(mentors.ids) * per_mentor))
    kinds = rng.choice([value for value, _ in SUPERVISION_KINDS], size=len(held)).tolist()
    writer.write(
        SupervisionSession.__table__,
        ("id", "mentor_id", "held_on", "minutes", "kind", "created_at"),
        (
            (first + k, mentors.ids[k // per_mentor], at.date(), 60, kinds[k], at)
            for k, at in enumerate(held)
        ),
    )
    writer.reset_sequence(SupervisionSession.__table__)
