"""The mentor pool: who is trained, verified, available or paused, their capacity and refreshers.

Pause and capacity are kept as they are now, not as history, so the pool is read as at today (or
the period's last day, for training). Supervision hours are those logged within the period.

The counts (mentors, training, availability, refreshers, mentors counted for capacity, training by
model, supervision sessions and mentors) are read for their whole family (`family`) in three GROUP
BY queries, a mentor's groups being those of their profile, and protected there. A quarter's counts
are those of its last month. Places and hours are sums over people, shown only over enough mentors.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select

from mentoring.auth.models import RoleGrant, User
from mentoring.core.vocabulary import MENTORING_MODELS
from mentoring.extensions import db
from mentoring.mentors.models import MentorProfile, SupervisionSession
from mentoring.mentors.queries import mentors_available_unless_paused, not_paused_on
from mentoring.permissions import Role
from mentoring.reports.context import ReportContext
from mentoring.reports.disclosure import (
    Cell,
    protect_share,
    protect_summary,
)
from mentoring.reports.family import Figures, add_atoms, protect_family
from mentoring.reports.sql import count_distinct_when, count_when, group_condition, group_keys
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
    """Every person-count of the pool for the view (true counts, from its family)."""
    figures, group, period = pool_figures(ctx), ctx.query.group, ctx.query.period
    return {key: figures.true(group, period, key) for key, _text in POOL_ROWS}


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
    """Mentors with verified training in each model (one course can teach several): true counts."""
    figures, group, period = pool_figures(ctx), ctx.query.group, ctx.query.period
    return {m: figures.true(group, period, MODEL + m) for m, _ in MENTORING_MODELS}


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


MODEL = "model:"
SNAPSHOTS = (
    "mentors",
    "trained",
    "verified",
    "available",
    "paused",
    "refresher_overdue",
    "refresher_soon",
    "counted",
)


def _mentor_keys(ctx: ReportContext):
    """Mentors in the pool now, with their groups (through their profile; none without one)."""
    return (
        select(
            User.id.label("id"),
            *group_keys(
                organisation=MentorProfile.organisation,
                career_stage=MentorProfile.career_stage,
                specialty=MentorProfile.specialty,
                organisations=ctx.organisations,
            ),
        )
        .join(RoleGrant, and_(RoleGrant.user_id == User.id, RoleGrant.role == Role.MENTOR.value))
        .outerjoin(MentorProfile, MentorProfile.mentor_id == User.id)
        .where(User.is_disabled.is_(False))
        .subquery()
    )


def pool_figures(ctx: ReportContext) -> Figures:
    """The pool's person-counts, trained mentors by model, and supervision, for every view of
    the family, protected together: three queries.

    Each period is read as at its last day (or today); a quarter's is its last month's. A mentor's
    groups are those of their profile now.
    """
    return ctx.once(_pool_figures)


def _pool_figures(ctx: ReportContext) -> Figures:
    family = ctx.family
    mentors = _mentor_keys(ctx)
    keys = [mentors.c.group_0, mentors.c.group_1, mentors.c.group_2]
    atoms: dict[tuple, int] = {}
    names, columns = [], []
    days = [period.last_day_for(ctx.today) for period in family.periods]
    latest = _latest_by_day(days)
    # Available but for a pause: read once, not once per day (only the pause depends on the day,
    # and it is tested on the mentor's profile, joined below).
    unless_paused = (
        mentors_available_unless_paused()
        .with_only_columns(User.id.label("mentor_id"))
        .order_by(None)
        .subquery()
    )
    for index, (period, day) in enumerate(zip(family.periods, days, strict=True)):
        for name, condition in _pool_conditions(day, latest, index, unless_paused).items():
            names.append((period.key, name))
            columns.append(count_when(condition))
    add_atoms(
        atoms,
        db.session.execute(
            select(*keys, *columns)
            .select_from(mentors)
            .outerjoin(MentorProfile, MentorProfile.mentor_id == mentors.c.id)
            .outerjoin(latest, latest.c.mentor_id == mentors.c.id)
            .outerjoin(unless_paused, unless_paused.c.mentor_id == mentors.c.id)
            .group_by(*keys)
        ),
        names,
    )
    add_atoms(
        atoms,
        db.session.execute(
            select(
                *keys,
                (literal(MODEL) + TrainingModel.model).label("row"),
                *(
                    count_distinct_when(
                        TrainingRecord.completed_on <= period.last_day_for(ctx.today),
                        TrainingRecord.mentor_id,
                    )
                    for period in family.periods
                ),
            )
            .select_from(TrainingModel)
            .join(TrainingRecord, TrainingRecord.id == TrainingModel.training_record_id)
            .join(mentors, mentors.c.id == TrainingRecord.mentor_id)
            .where(TrainingRecord.status == TrainingStatus.VERIFIED.value)
            .group_by(*keys, TrainingModel.model)
        ),
        [(period.key, None) for period in family.periods],
    )
    add_atoms(atoms, *_supervision_rows(family, mentors, keys))
    models = [MODEL + value for value, _ in MENTORING_MODELS]
    rows = [*SNAPSHOTS, *models, "supervision_sessions", "supervision_mentors"]
    values = family.totals(atoms, rows)
    cells = protect_family(
        family,
        values,
        ctx.rules,
        rows=rows,
        additive=["supervision_sessions"],
        same_at_end=[*SNAPSHOTS, *models],
        population="mentors",
        beyond_population=["supervision_sessions"],
    )
    return Figures(values, cells)


def _latest_by_day(days):
    """Each mentor's latest training, and latest verified training, completed by each day: one
    aggregate over training records (columns `trained_i`, `verified_i` for `days[i]`), joined to
    the mentors once rather than looked up per mentor, per day and per figure."""
    verified = TrainingRecord.status == TrainingStatus.VERIFIED.value
    columns = []
    for index, day in enumerate(days):
        by_day = TrainingRecord.completed_on <= day
        columns += [
            func.max(case((by_day, TrainingRecord.completed_on))).label(f"trained_{index}"),
            func.max(case((and_(by_day, verified), TrainingRecord.completed_on))).label(
                f"verified_{index}"
            ),
        ]
    return (
        select(TrainingRecord.mentor_id, *columns)
        .where(TrainingRecord.completed_on <= max(days))
        .group_by(TrainingRecord.mentor_id)
        .subquery()
    )


def _pool_conditions(day, latest, index, unless_paused) -> dict[str, ColumnElement[bool]]:
    years = current_app.config["TRAINING_REFRESHER_YEARS"]
    notice = current_app.config["TRAINING_REFRESHER_NOTICE_DAYS"]
    overdue_before = add_years(day, -years)
    soon_before = add_years(day + timedelta(days=notice), -years)
    verified = latest.c[f"verified_{index}"]
    paused = and_(
        MentorProfile.paused.is_(True),
        or_(MentorProfile.paused_until.is_(None), MentorProfile.paused_until > day),
    )
    # `available_mentors(on=day)`: available but for a pause, and the profile not paused on the
    # day (the profile joined is the mentor's own: one per mentor).
    available = and_(unless_paused.c.mentor_id.is_not(None), not_paused_on(day))
    return {
        "mentors": literal(True),
        "trained": latest.c[f"trained_{index}"].is_not(None),
        "verified": verified.is_not(None),
        "available": available,
        "paused": paused,
        "refresher_overdue": verified <= overdue_before,
        "refresher_soon": and_(verified > overdue_before, verified <= soon_before),
        # Capacity counts verified mentors with a profile who are not paused on the day.
        "counted": and_(verified.is_not(None), MentorProfile.mentor_id.is_not(None), ~paused),
    }


def _supervision_rows(family, mentors, keys):
    """Supervision held in each period, by the groups of mentors still in the pool (everyone's
    counts whoever held it, a mentor who has since left included: history stays)."""
    names, columns = [], []
    for period in family.periods:
        held = and_(
            SupervisionSession.held_on >= period.start, SupervisionSession.held_on < period.end
        )
        names += [(period.key, "supervision_sessions"), (period.key, "supervision_mentors")]
        columns += [count_when(held), count_distinct_when(held, SupervisionSession.mentor_id)]
    rows = db.session.execute(
        select(*keys, *columns)
        .select_from(SupervisionSession)
        .outerjoin(mentors, mentors.c.id == SupervisionSession.mentor_id)
        .where(
            SupervisionSession.held_on >= family.quarter.start,
            SupervisionSession.held_on < family.quarter.end,
        )
        .group_by(*keys)
    )
    return rows, names


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
    figures, group, period = pool_figures(ctx), ctx.query.group, ctx.query.period
    if figures.withheld(group, period):
        section.tables.append(ctx.withheld_table("pool-mentors", "Mentors"))
        return section
    whole = figures.cell(group, period, "mentors")
    rows = []
    for key, text in POOL_ROWS:
        cell = figures.cell(group, period, key)
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
    labels = dict(MENTORING_MODELS)
    cells = [figures.cell(group, period, MODEL + m) for m, _ in MENTORING_MODELS]
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
            TableRow(
                "Mentors counted",
                [pool_figures(ctx).cell(ctx.query.group, ctx.query.period, "counted")],
            ),
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
    figures, group, period = pool_figures(ctx), ctx.query.group, ctx.query.period
    return Table(
        key="pool-supervision",
        caption="Supervision and peer support in the period",
        columns=["Supervision", "Number"],
        rows=[
            TableRow(
                "Mentors who had supervision",
                [figures.cell(group, period, "supervision_mentors")],
            ),
            TableRow("Sessions", [figures.cell(group, period, "supervision_sessions")]),
            TableRow("Hours", [_summed(round(minutes / 60), mentors, ctx)]),
        ],
        chart_column=None,
    )
