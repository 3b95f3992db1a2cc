"""Check-in topics carry their check-in's week, and the topic counts read by it are unchanged.

Reports count a period's topics by the week kept on each topic row (migration b5d2e8f4a1c7). That
week must always be its check-in's, however the topic was written, and every count must be what
counting the check-ins themselves gives.
"""

from __future__ import annotations

import random
import uuid
from datetime import date

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import String, Uuid, column, create_engine, insert, select, table, text

from mentoring import create_app
from mentoring.checkins.models import CheckIn, CheckInTopic
from mentoring.core.vocabulary import CAREER_STAGE_GROUPS, NOT_SAID, SPECIALTY_GROUPS, TOPICS
from mentoring.extensions import db as _db
from mentoring.permissions import Role
from mentoring.reports.context import ReportContext
from mentoring.reports.disclosure import DisclosureRules
from mentoring.reports.filters import Period, ReportQuery
from mentoring.reports.wellbeing import topic_figures, wellbeing_figures
from tests.conftest import is_postgresql
from tests.functional.reports.helpers import LONDON, ORGANISATIONS
from tests.functional.test_checkins import check_in_data, close_this_week

TOPIC_VALUES = [value for value, _label in TOPICS]
BEFORE = table("wellbeing_check_in_topic", column("check_in_id", Uuid), column("topic", String))


def _weeks_match(db) -> list[tuple]:
    """(topic week, check-in week) of every topic."""
    return db.session.execute(
        select(
            CheckInTopic.iso_year, CheckInTopic.iso_week, CheckIn.iso_year, CheckIn.iso_week
        ).join(CheckIn, CheckIn.id == CheckInTopic.check_in_id)
    ).all()


def test_topics_released_with_their_week_carry_its_week(login_as, db, app):
    for topics in (["stress", "workload"], [], ["bullying_harassment"]):
        doctor = login_as(Role.DOCTOR)
        assert doctor.post("/check-in", data=check_in_data(topics=topics)).status_code == 200
    assert close_this_week(app, db) == 3
    pairs = _weeks_match(db)
    assert len(pairs) == 3
    assert all((y, w) == (cy, cw) for y, w, cy, cw in pairs)


def _check_in(year: int, week: int, **fields) -> CheckIn:
    return CheckIn(
        iso_year=year,
        iso_week=week,
        career_stage_group=fields.get("stage", "training"),
        specialty_group=fields.get("specialty", "medical"),
        organisation=fields.get("organisation", NOT_SAID),
        **{f"item_{n}": 2 for n in range(1, 6)},
        raw_score=10,
        topics=[CheckInTopic(topic=topic) for topic in fields.get("topics", ())],
    )


def test_topics_written_without_a_week_take_their_check_ins(db):
    # Through the check-in, as demo data and tests write them: no week given.
    db.session.add(_check_in(2026, 53, topics=["stress", "workload"]))
    db.session.add(_check_in(2027, 1, topics=["bullying_harassment"]))
    db.session.flush()
    # Straight into the table, as a bulk insert would.
    key = uuid.uuid4()
    db.session.execute(
        insert(CheckIn),
        [
            {
                "id": key,
                "iso_year": 2026,
                "iso_week": 40,
                "career_stage_group": "training",
                "specialty_group": "medical",
                "organisation": NOT_SAID,
                **{f"item_{n}": 1 for n in range(1, 6)},
                "raw_score": 5,
            }
        ],
    )
    db.session.execute(insert(CheckInTopic), [{"check_in_id": key, "topic": "stress"}])
    db.session.commit()
    pairs = sorted(_weeks_match(db))
    assert pairs == [
        (2026, 40, 2026, 40),
        (2026, 53, 2026, 53),
        (2026, 53, 2026, 53),
        (2027, 1, 2027, 1),
    ]


def _random_check_ins(seed: int) -> list[CheckIn]:
    """Check-ins over the second half of 2026 and the start of 2027 (ISO week 53 included), in
    listed and unlisted organisations and every group, naming 0 to 4 topics."""
    rng = random.Random(seed)  # noqa: S311 - test data
    weeks = [(2026, w) for w in range(20, 54)] + [(2027, w) for w in range(1, 8)]
    stages = [v for v, _ in CAREER_STAGE_GROUPS] + [NOT_SAID]
    specialties = [v for v, _ in SPECIALTY_GROUPS] + [NOT_SAID]
    organisations = [*ORGANISATIONS, "Example Unlisted Trust", NOT_SAID]
    return [
        _check_in(
            *rng.choice(weeks),
            stage=rng.choice(stages),
            specialty=rng.choice(specialties),
            organisation=rng.choice(organisations),
            topics=rng.sample(TOPIC_VALUES, k=rng.randint(0, 4)),
        )
        for _ in range(300)
    ]


def _expected(check_ins, family, weeks) -> dict[tuple, int]:
    """Each entry counted from the check-ins themselves: a month's check-ins are those of its
    weeks, a quarter's those of its months."""
    expected = {}
    for group in (None, *family.groups):
        members = [
            c
            for c in check_ins
            if group is None
            or getattr(c, "organisation" if group.kind == "organisation" else group.kind)
            == group.value
        ]
        for period in family.periods:
            months = family.months if period == family.quarter else [period]
            in_period = {week for month in months for week in weeks[month.key]}
            for topic in TOPIC_VALUES:
                expected[(group, period.key, topic)] = sum(
                    1
                    for c in members
                    if (c.iso_year, c.iso_week) in in_period
                    and topic in {t.topic for t in c.topics}
                )
    return expected


@pytest.mark.parametrize(
    ("quarter", "today"),
    [
        (Period(2026, quarter=3), date(2026, 11, 22)),  # ended
        (Period(2026, quarter=4), date(2026, 11, 18)),  # running: December not begun
        (Period(2026, quarter=4), date(2026, 12, 31)),  # ISO week 53, of December
        (Period(2027, quarter=1), date(2027, 2, 10)),  # a new ISO year
    ],
)
def test_topic_counts_are_those_of_the_check_ins(db, app, quarter, today):
    check_ins = _random_check_ins(seed=quarter.year * 10 + quarter.quarter)
    db.session.add_all(check_ins)
    db.session.commit()
    for period in (quarter, *quarter.months()):
        if period.start > today:
            continue
        ctx = ReportContext(
            query=ReportQuery(period=period, group=None),
            rules=DisclosureRules(),
            today=today,
            organisations=ORGANISATIONS,
            zone=LONDON,
        )
        figures = wellbeing_figures(ctx)
        topics = topic_figures(ctx, figures)
        expected = _expected(check_ins, figures.family, figures.weeks)
        assert topics.values == expected
        assert sum(expected.values()) > 0


def _schema_url(app, schema: str) -> str:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema}"


@pytest.fixture
def migration_database(app, tmp_path):
    """An empty database of its own: a schema on PostgreSQL, a file on SQLite."""
    if not is_postgresql(app):
        yield f"sqlite:///{tmp_path / 'migration.sqlite'}"
        return
    schema = f"migration_{uuid.uuid4().hex[:8]}"
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield _schema_url(app, schema)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def test_the_migration_gives_existing_topics_their_check_ins_week(migration_database):
    other = create_app({"SQLALCHEMY_DATABASE_URI": migration_database})
    with other.app_context():
        upgrade(revision="fcd96a5b7935")
        keys = {uuid.uuid4(): (2026, 53), uuid.uuid4(): (2027, 1), uuid.uuid4(): (2026, 40)}
        with _db.engine.begin() as connection:
            for key, (year, week) in keys.items():
                connection.execute(
                    insert(CheckIn.__table__),
                    {
                        "id": key,
                        "iso_year": year,
                        "iso_week": week,
                        "career_stage_group": "training",
                        "specialty_group": "medical",
                        "organisation": NOT_SAID,
                        **{f"item_{n}": 1 for n in range(1, 6)},
                        "raw_score": 5,
                    },
                )
                # The table as it was before the migration: a key and a topic.
                connection.execute(
                    insert(BEFORE),
                    [{"check_in_id": key, "topic": topic} for topic in ("stress", "workload")],
                )
        upgrade()
        rows = _db.session.execute(
            select(CheckInTopic.check_in_id, CheckInTopic.iso_year, CheckInTopic.iso_week)
        ).all()
        assert sorted(rows) == sorted(
            (key, year, week) for key, (year, week) in keys.items() for _ in range(2)
        )
        _db.session.rollback()
        downgrade(revision="base")
        upgrade()
        _db.session.remove()
        _db.engine.dispose()


def test_synthetic_check_in_topics_carry_their_check_ins_week(db):
    from mentoring.synthetic.anonymous import write_check_ins
    from mentoring.synthetic.plan import Plan
    from mentoring.synthetic.writer import BulkWriter

    write_check_ins(BulkWriter(), Plan(scale=0.001, seed=6, today=date(2027, 1, 6)), ORGANISATIONS)
    db.session.commit()
    pairs = _weeks_match(db)
    assert len(pairs) > 100
    assert {(y, w) for y, w, _, _ in pairs} >= {(2026, 53), (2027, 1)}  # across an ISO year
    assert all((y, w) == (cy, cw) for y, w, cy, cw in pairs)
