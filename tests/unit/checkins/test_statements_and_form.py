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


# Values each field may be sent with: none, empty, good, forged, and odd spellings `int` reads.
_SENT = {
    **{
        f"item_{n}": [None, [""], ["3"], ["0"], ["5"], ["6"], ["-1"], [" 4 "], ["lots"], ["2", "9"]]
        for n in range(1, 6)
    },
    "topics": [None, [""], ["stress"], ["stress", "workload"], ["stress", "forged"], ["forged"]],
    "career_stage_group": [None, [""], ["training"], [NOT_SAID], ["consultant_cardiologist"]],
    "specialty_group": [None, [""], ["medical"], [NOT_SAID], ["cardiology"], ["medical", "x"]],
    "organisation": [None, [""], [NOT_SAID], ["St Elsewhere"], ["x", NOT_SAID]],
}


def test_a_check_in_read_without_the_form_is_taken_exactly_when_the_form_takes_it(app):
    import random

    from werkzeug.datastructures import MultiDict

    organisations = tuple(app.config["ORGANISATIONS"])
    sent = {**_SENT, "organisation": [*_SENT["organisation"], [organisations[0]]]}
    pick = random.Random(6)  # noqa: S311  # not for security: varied test data
    good = {"item_1": ["3"], "career_stage_group": ["training"], "specialty_group": ["medical"]}
    cases = [{**{f"item_{n}": ["3"] for n in range(1, 6)}, **good, "organisation": [NOT_SAID]}]
    for _ in range(1500):
        case = {f"item_{n}": ["2"] for n in range(1, 6)} | good | {"organisation": [NOT_SAID]}
        for name in pick.sample(sorted(sent), pick.randint(1, 3)):
            case[name] = pick.choice(sent[name])
        cases.append(case)
    taken = 0
    for case in cases:
        formdata = MultiDict([(k, v) for k, values in case.items() if values for v in values])
        with app.test_request_context("/check-in", method="POST"):
            form = forms.CheckInForm(formdata=formdata, meta={"csrf": False})
            accepted = form.validate()
            read = forms.submitted_if_valid(formdata, organisations)
        assert (read is not None) == accepted, case
        if accepted:
            taken += 1
            assert read == forms.Submitted.of(form), case
    assert 200 < taken < len(cases) - 200, taken  # both kinds were tried
