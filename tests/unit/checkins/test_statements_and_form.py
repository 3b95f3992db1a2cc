"""The check-in's statements built once send what SQLAlchemy's own constructs send, and the form's
values worked out once are its choices' values."""

from __future__ import annotations

import pytest
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import psycopg

from mentoring.checkins import forms, services
from mentoring.checkins.models import CheckInReceipt
from mentoring.core.vocabulary import CAREER_STAGE_GROUPS, NOT_SAID, SPECIALTY_GROUPS, TOPICS


@pytest.mark.parametrize(
    ("insert", "dialect"),
    [(postgresql.insert, psycopg.dialect()), (sqlite.insert, sqlite.dialect())],
)
def test_the_receipt_insert_is_the_one_sqlalchemy_would_send(insert, dialect):
    built = insert(CheckInReceipt.__table__).on_conflict_do_nothing()
    keys = ["user_id", "iso_year", "iso_week"]
    expected = built.compile(dialect=dialect, column_keys=keys)
    kept = services._receipt_insert().compile(dialect=dialect)
    assert str(kept) == str(expected)
    assert kept.positiontup == expected.positiontup
    # It is compiled once and kept: a text statement has a cache key, unlike the insert.
    assert built._generate_cache_key() is None
    assert services._receipt_insert()._generate_cache_key() is not None


def test_the_week_locks_are_built_once():
    assert str(services._WEEK_LOCKS[True]) == (
        "SELECT pg_advisory_xact_lock_shared(:namespace, :week)"
    )
    assert str(services._WEEK_LOCKS[False]) == "SELECT pg_advisory_xact_lock(:namespace, :week)"


def test_the_form_checks_against_its_choices_values(app):
    with app.test_request_context("/check-in"):
        form = forms.CheckInForm(meta={"csrf": False})
        for field in (form.career_stage_group, form.specialty_group):
            assert field.allowed == {choice.value for choice in field.iter_choices()}
        assert form.organisation.allowed == {
            choice.value for choice in form.organisation.iter_choices()
        } - {""}
        assert {*app.config["ORGANISATIONS"], NOT_SAID} == form.organisation.allowed
        assert {choice.value for choice in form.topics.iter_choices()} == forms._TOPIC_VALUES
        assert [choice.value for choice in form.topics.iter_choices()] == [v for v, _ in TOPICS]
        assert {choice.value for choice in form.career_stage_group.iter_choices()} == {
            *(value for value, _label in CAREER_STAGE_GROUPS),
            NOT_SAID,
        }
        assert {choice.value for choice in form.specialty_group.iter_choices()} == {
            *(value for value, _label in SPECIALTY_GROUPS),
            NOT_SAID,
        }
        for item in form.item_fields:
            assert [choice.value for choice in item.iter_choices()] == [5, 4, 3, 2, 1, 0]
