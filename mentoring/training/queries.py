"""Reads about training: a mentor's records, the verification queue, refresher dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from mentoring.extensions import db
from mentoring.training.models import TrainingModel, TrainingRecord, TrainingStatus


def training_records_of(mentor_id: int) -> list[TrainingRecord]:
    return list(
        db.session.scalars(
            select(TrainingRecord)
            .where(TrainingRecord.mentor_id == mentor_id)
            .order_by(TrainingRecord.completed_on.desc(), TrainingRecord.id.desc())
        )
    )


def training_awaiting_verification() -> list[TrainingRecord]:
    """Oldest first: whoever has waited longest is seen first."""
    return list(
        db.session.scalars(
            select(TrainingRecord)
            .where(TrainingRecord.status == TrainingStatus.AWAITING.value)
            .options(selectinload(TrainingRecord.mentor))
            .order_by(TrainingRecord.updated_at, TrainingRecord.id)
        )
    )


def verified_training_exists(mentor_id_column) -> Select:
    """A correlated EXISTS for queries over mentors: has at least one verified record."""
    return (
        select(TrainingRecord.id)
        .where(
            TrainingRecord.mentor_id == mentor_id_column,
            TrainingRecord.status == TrainingStatus.VERIFIED.value,
        )
        .exists()
    )


def verified_models_of(mentor_id: int) -> set[str]:
    return set(
        db.session.scalars(
            select(TrainingModel.model)
            .join(TrainingRecord)
            .where(
                TrainingRecord.mentor_id == mentor_id,
                TrainingRecord.status == TrainingStatus.VERIFIED.value,
            )
            .distinct()
        )
    )


def trained_models_of(mentor_id: int) -> set[str]:
    """Every model any of the mentor's records teaches, verified or not."""
    return set(
        db.session.scalars(
            select(TrainingModel.model)
            .join(TrainingRecord)
            .where(TrainingRecord.mentor_id == mentor_id)
            .distinct()
        )
    )


@dataclass(frozen=True)
class Refresher:
    latest_verified: date
    due_on: date
    notice_from: date

    def state(self, today: date) -> str:
        if today >= self.due_on:
            return "overdue"
        if today >= self.notice_from:
            return "soon"
        return "later"


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def refresher_of(mentor_id: int) -> Refresher | None:
    """When the mentor's next refresher is due: years after their latest verified training."""
    latest = db.session.scalar(
        select(func.max(TrainingRecord.completed_on)).where(
            TrainingRecord.mentor_id == mentor_id,
            TrainingRecord.status == TrainingStatus.VERIFIED.value,
        )
    )
    if latest is None:
        return None
    due_on = add_years(latest, current_app.config["TRAINING_REFRESHER_YEARS"])
    notice = timedelta(days=current_app.config["TRAINING_REFRESHER_NOTICE_DAYS"])
    return Refresher(latest_verified=latest, due_on=due_on, notice_from=due_on - notice)
