"""The mentor pool: who is trained, verified, available or paused, their capacity and refreshers.

Pause and capacity are kept as they are now, not as history, so the pool is read as at today (or
the period's last day, for training). Supervision hours are those logged within the period.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import ColumnElement, and_, case, func, or_, select

from mentoring.auth.models import RoleGrant, User
from mentoring.core.vocabulary import MENTORING_MODELS
from mentoring.extensions import db
from mentoring.mentors.models import MentorProfile, SupervisionSession
from mentoring.mentors.queries import available_mentors
from mentoring.permissions import Role
from mentoring.reports.context import ReportContext
from mentoring.reports.disclosure import (
    Cell,
    protect_count,
    protect_counts,
    protect_share,
    protect_summary,
)
from mentoring.reports.sql import group_condition
from mentoring.reports.tables import Section, Table, TableRow
from mentoring.training.models import TrainingModel, TrainingRecord, TrainingStatus
from mentoring.training.queries import add_years


def _in_group(ctx: ReportContext) -> ColumnElement[bool]:
    return group_condition(
        ctx.query.group,
        organisation=MentorProfile.organisation,
        career_stage=MentorProfile.career_stage,
        specialty=MentorProfile.specialty,
        precise=True,
    )


def _mentor_ids(ctx: ReportContext):
    """Mentors in the pool (and in the group, through their profile), as a subquery of ids."""
    statement = (
        select(User.id)
        .join(RoleGrant, and_(RoleGrant.user_id == User.id, RoleGrant.role == Role.MENTOR.value))
        .where(User.is_disabled.is_(False))
    )
    if ctx.query.group is not None:
        statement = statement.join(MentorProfile, MentorProfile.mentor_id == User.id).where(
            _in_group(ctx)
        )
    return statement.scalar_subquery()


def _latest_training(ctx: ReportContext, *, verified: bool):
    conditions = [
        TrainingRecord.completed_on <= ctx.as_at,
        TrainingRecord.mentor_id.in_(_mentor_ids(ctx)),
    ]
    if verified:
        conditions.append(TrainingRecord.status == TrainingStatus.VERIFIED.value)
    return (
        select(TrainingRecord.mentor_id, func.max(TrainingRecord.completed_on).label("latest"))
        .where(*conditions)
        .group_by(TrainingRecord.mentor_id)
        .subquery()
    )


def pool_counts(ctx: ReportContext) -> dict[str, int]:
    """Every person-count of the pool in a handful of aggregate queries."""
    day = ctx.as_at
    years = current_app.config["TRAINING_REFRESHER_YEARS"]
    notice = current_app.config["TRAINING_REFRESHER_NOTICE_DAYS"]
    mentors = int(db.session.scalar(select(func.count()).where(User.id.in_(_mentor_ids(ctx)))))
    trained = _latest_training(ctx, verified=False)
    verified = _latest_training(ctx, verified=True)
    n_trained = int(db.session.scalar(select(func.count()).select_from(trained)) or 0)
    overdue_before = add_years(day, -years)
    soon_before = add_years(day + timedelta(days=notice), -years)
    n_verified, n_overdue, n_soon = db.session.execute(
        select(
            func.count(),
            func.sum(case((verified.c.latest <= overdue_before, 1), else_=0)),
            func.sum(
                case(
                    (and_(verified.c.latest > overdue_before, verified.c.latest <= soon_before), 1),
                    else_=0,
                )
            ),
        ).select_from(verified)
    ).one()
    available = available_mentors(on=day).where(User.id.in_(_mentor_ids(ctx))).subquery()
    n_available = int(db.session.scalar(select(func.count()).select_from(available)) or 0)
    n_paused = int(
        db.session.scalar(
            select(func.count())
            .select_from(MentorProfile)
            .where(
                MentorProfile.mentor_id.in_(_mentor_ids(ctx)),
                MentorProfile.paused.is_(True),
                or_(MentorProfile.paused_until.is_(None), MentorProfile.paused_until > day),
            )
        )
        or 0
    )
    return {
        "mentors": mentors,
        "trained": n_trained,
        "verified": int(n_verified or 0),
        "available": n_available,
        "paused": n_paused,
        "refresher_overdue": int(n_overdue or 0),
        "refresher_soon": int(n_soon or 0),
    }


def capacity(ctx: ReportContext) -> tuple[int, int, int]:
    """(mentors counted, places offered, places used) over verified mentors not paused today."""
    day = ctx.as_at
    verified = _latest_training(ctx, verified=True)
    row = db.session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(MentorProfile.capacity), 0),
            func.coalesce(func.sum(MentorProfile.places_taken), 0),
        )
        .select_from(MentorProfile)
        .join(verified, verified.c.mentor_id == MentorProfile.mentor_id)
        .where(
            or_(
                MentorProfile.paused.is_(False),
                and_(MentorProfile.paused_until.is_not(None), MentorProfile.paused_until <= day),
            )
        )
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


def training_by_model(ctx: ReportContext) -> dict[str, int]:
    """Mentors with verified training in each model (one course can teach several)."""
    return dict(
        db.session.execute(
            select(TrainingModel.model, func.count(func.distinct(TrainingRecord.mentor_id)))
            .join(TrainingRecord, TrainingRecord.id == TrainingModel.training_record_id)
            .where(
                TrainingRecord.status == TrainingStatus.VERIFIED.value,
                TrainingRecord.completed_on <= ctx.as_at,
                TrainingRecord.mentor_id.in_(_mentor_ids(ctx)),
            )
            .group_by(TrainingModel.model)
        ).all()
    )


def supervision(ctx: ReportContext) -> tuple[int, int, int]:
    """(sessions, mentors, minutes) of supervision and peer support held within the period."""
    period = ctx.query.period
    held = [SupervisionSession.held_on >= period.start, SupervisionSession.held_on < period.end]
    if ctx.query.group is not None:
        # A group is known through the mentor's profile. Without one, supervision held in the
        # period counts whoever held it, a mentor who has since left included: history stays.
        held.append(SupervisionSession.mentor_id.in_(_mentor_ids(ctx)))
    row = db.session.execute(
        select(
            func.count(),
            func.count(func.distinct(SupervisionSession.mentor_id)),
            func.coalesce(func.sum(SupervisionSession.minutes), 0),
        ).where(*held)
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


POOL_ROWS = (
    ("mentors", "Mentors (hold the mentor role)"),
    ("trained", "Have recorded mentor training"),
    ("verified", "Have verified training"),
    ("available", "Available for a new mentee"),
    ("paused", "Paused"),
    ("refresher_overdue", "Refresher training overdue"),
    ("refresher_soon", "Refresher training due within the notice period"),
)


def pool_section(ctx: ReportContext) -> Section:
    section = Section(
        key="pool",
        title="Mentor pool",
        intro=f"Mentors as at {ctx.as_at:%-d %B %Y}. Availability and pauses are as they are now; "
        "supervision is what mentors logged within the period.",
    )
    counts = pool_counts(ctx)
    if not ctx.rules.population_allows(counts["mentors"]):
        section.tables.append(ctx.withheld_table("pool-mentors", "Mentors"))
        return section
    whole = protect_count(counts["mentors"], ctx.rules)
    rows = []
    for key, text in POOL_ROWS:
        cell = whole if key == "mentors" else protect_count(counts[key], ctx.rules)
        rows.append(TableRow(text, [cell, protect_share(cell, whole)]))
    section.tables.append(
        Table(
            key="pool-mentors",
            caption="Mentors",
            columns=["Mentors", "Number", "Share of mentors"],
            rows=rows,
            note="A mentor can be in several rows, so the rows do not add up.",
        )
    )
    section.tables.append(_capacity_table(ctx))
    model_counts = training_by_model(ctx)
    labels = dict(MENTORING_MODELS)
    cells = protect_counts([int(model_counts.get(m, 0)) for m, _ in MENTORING_MODELS], ctx.rules)
    section.tables.append(
        Table(
            key="pool-models",
            caption="Mentors with verified training, by model",
            columns=["Model", "Mentors"],
            rows=[
                TableRow(labels[m], [cell])
                for (m, _), cell in zip(MENTORING_MODELS, cells, strict=True)
            ],
            note="One course can teach several models, so the rows do not add up.",
        )
    )
    section.tables.append(_supervision_table(ctx))
    return section


def _capacity_table(ctx: ReportContext) -> Table:
    mentors, offered, used = capacity(ctx)
    offered_cell = _summed(offered, mentors, ctx)
    used_cell = _summed(used, mentors, ctx)
    return Table(
        key="pool-capacity",
        caption="Capacity of verified mentors who are not paused",
        columns=["Places", "Number"],
        rows=[
            TableRow("Mentors counted", [protect_count(mentors, ctx.rules)]),
            TableRow("Places offered", [offered_cell]),
            TableRow("Places taken", [used_cell]),
            TableRow("Share of places taken", [protect_share(used_cell, offered_cell)]),
        ],
        chart_column=None,
        note="A place is taken by an active mentee or by an offer awaiting the mentor's answer. "
        "Places are shown only when at least "
        f"{ctx.rules.min_group_for_summary} mentors contribute, rounded like counts.",
    )


def _summed(total: int, contributors: int, ctx: ReportContext) -> Cell:
    """A sum over people (places, hours): hidden over too few people, else rounded like a count."""
    if contributors < ctx.rules.min_group_for_summary:
        return protect_summary(None, contributors, ctx.rules)
    return Cell(ctx.rules.round(total))


def _supervision_table(ctx: ReportContext) -> Table:
    sessions, mentors, minutes = supervision(ctx)
    return Table(
        key="pool-supervision",
        caption="Supervision and peer support in the period",
        columns=["Supervision", "Number"],
        rows=[
            TableRow("Mentors who had supervision", [protect_count(mentors, ctx.rules)]),
            TableRow("Sessions", [protect_count(sessions, ctx.rules)]),
            TableRow("Hours", [_summed(round(minutes / 60), mentors, ctx)]),
        ],
        chart_column=None,
    )
