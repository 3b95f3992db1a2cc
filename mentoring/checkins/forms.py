"""The check-in form: WHO-5 answered as published, optional topics, and coarse groups."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField
from wtforms.validators import StopValidation, ValidationError

from mentoring.checkins.who5 import ANSWERS, ITEMS
from mentoring.core.forms import MultiCheckboxField, choices_of
from mentoring.core.vocabulary import (
    CAREER_STAGE_GROUPS,
    NOT_SAID,
    NOT_SAID_LABEL,
    SPECIALTY_GROUPS,
    TOPICS,
    values,
)

# Each field is made afresh for every request, from the same choices. WTForms looks through the
# choices it is given each time (for old-style tuples to warn about) and validates a value by
# listing every choice again; these fields are given their choices (`SelectChoice`s already) as
# they are, and check a value against the values worked out once, with the same messages.


class AnswerField(RadioField):
    """One WHO-5 item: an answer 0-5, refused with a clear message when missing or forged."""

    def __init__(self, label: str, **kwargs) -> None:
        super().__init__(label, coerce=int, validate_choice=False, **kwargs)
        self.choices = list(_ANSWER_CHOICES)

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            self.data = None
            return
        try:
            self.data = int(valuelist[0])
        except ValueError:
            self.data = -1  # not an answer the form offered

    def pre_validate(self, form) -> None:
        if self.data is None:
            raise StopValidation(f"Choose an answer for '{self.label.text}'")
        if self.data not in _ANSWER_VALUES:
            raise StopValidation(f"Choose one of the six answers for '{self.label.text}'")


class GroupField(RadioField):
    """A coarse group, from the list shown or 'Prefer not to say'; anything else is refused."""

    def __init__(
        self, label: str, *, choices, allowed: frozenset, missing: str, forged: str, **kwargs
    ) -> None:
        super().__init__(label, validate_choice=False, **kwargs)
        self.choices = list(choices)
        self.allowed = allowed  # the choices' values
        self.missing = missing
        self.forged = forged

    def pre_validate(self, form) -> None:
        if not self.data:
            raise StopValidation(self.missing)
        if self.data not in self.allowed:
            raise StopValidation(self.forged)


class GroupSelectField(SelectField):
    """The organisation: its choices, and the values allowed, are set by the form."""

    def __init__(self, label: str, *, missing: str, forged: str, **kwargs) -> None:
        super().__init__(label, validate_choice=False, **kwargs)
        self.allowed: frozenset = frozenset()  # the choices' values but "" (nothing chosen)
        self.missing = missing
        self.forged = forged

    def pre_validate(self, form) -> None:
        if not self.data:
            raise StopValidation(self.missing)
        if self.data not in self.allowed:
            raise StopValidation(self.forged)


class TopicsField(MultiCheckboxField):
    """The topics: any of those shown, or none."""

    def __init__(self, label: str, **kwargs) -> None:
        super().__init__(label, **kwargs)
        self.choices = list(_TOPIC_CHOICES)

    def pre_validate(self, form) -> None:
        if not _TOPIC_VALUES.issuperset(self.data or ()):
            raise ValidationError("Choose only from the options shown")


def _with_not_said(vocabulary):
    return choices_of([*vocabulary, (NOT_SAID, NOT_SAID_LABEL)])


_ANSWER_CHOICES = tuple(choices_of(ANSWERS))
_ANSWER_VALUES = frozenset(range(6))
_TOPIC_CHOICES = tuple(choices_of(TOPICS))
_TOPIC_VALUES = values(TOPICS)
_STAGE_CHOICES = tuple(_with_not_said(CAREER_STAGE_GROUPS))
_STAGE_VALUES = values(CAREER_STAGE_GROUPS) | {NOT_SAID}
_SPECIALTY_CHOICES = tuple(_with_not_said(SPECIALTY_GROUPS))
_SPECIALTY_VALUES = values(SPECIALTY_GROUPS) | {NOT_SAID}


@lru_cache(maxsize=8)
def _organisation_choices(organisations: tuple[str, ...]) -> tuple[tuple, frozenset]:
    """The organisation's choices, and the values allowed, for the configured organisations."""
    choices = tuple(
        choices_of(
            [
                ("", "Choose your organisation"),
                *((name, name) for name in organisations),
                (NOT_SAID, NOT_SAID_LABEL),
            ]
        )
    )
    return choices, frozenset(choice.value for choice in choices) - {""}


class CheckInForm(FlaskForm):
    item_1 = AnswerField(ITEMS[0])
    item_2 = AnswerField(ITEMS[1])
    item_3 = AnswerField(ITEMS[2])
    item_4 = AnswerField(ITEMS[3])
    item_5 = AnswerField(ITEMS[4])
    topics = TopicsField(
        "Is anything at work affecting how you feel? (optional)",
        description="Tick any that apply. This helps us show you support that fits.",
    )
    career_stage_group = GroupField(
        "Your career stage",
        choices=_STAGE_CHOICES,
        allowed=_STAGE_VALUES,
        missing="Choose your career stage, or 'Prefer not to say'",
        forged="Choose your career stage from the list shown",
    )
    specialty_group = GroupField(
        "Your specialty group",
        choices=_SPECIALTY_CHOICES,
        allowed=_SPECIALTY_VALUES,
        missing="Choose your specialty group, or 'Prefer not to say'",
        forged="Choose your specialty group from the list shown",
    )
    organisation = GroupSelectField(
        "Your organisation",
        missing="Choose your organisation, or 'Prefer not to say'",
        forged="Choose your organisation from the list shown",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices, allowed = _organisation_choices(tuple(current_app.config["ORGANISATIONS"]))
        self.organisation.choices = list(choices)
        self.organisation.allowed = allowed

    @property
    def answers(self) -> list[int]:
        return [getattr(self, f"item_{n}").data for n in range(1, len(ITEMS) + 1)]

    @property
    def item_fields(self) -> list[AnswerField]:
        return [getattr(self, f"item_{n}") for n in range(1, len(ITEMS) + 1)]


class Submitted(NamedTuple):
    """A check-in as sent, once the form has taken it."""

    answers: list[int]
    topics: list[str]
    career_stage_group: str
    specialty_group: str
    organisation: str

    @classmethod
    def of(cls, form: CheckInForm) -> Submitted:
        return cls(
            form.answers,
            form.topics.data or [],
            form.career_stage_group.data,
            form.specialty_group.data,
            form.organisation.data,
        )


_ITEM_NAMES = tuple(f"item_{n}" for n in range(1, len(ITEMS) + 1))


def submitted_if_valid(formdata, organisations: tuple[str, ...]) -> Submitted | None:
    """The check-in in `formdata`, if `CheckInForm` takes it as it is, read as the form reads it;
    otherwise None (and nothing said why: the form reads it again and says so).

    The form reads each field as its first value sent (`getlist(name)[0]`), topics as all those
    sent, and takes them when each answer is a whole number 0 to 5 (as `int` reads it), each group
    one of its choices' values and each topic one of those shown; so does this, without making the
    form's ten fields, their choices and their validation chains for every check-in. The caller
    sees that nothing else the form checks is left to check (its CSRF token, files, JSON).
    """
    answers = []
    for name in _ITEM_NAMES:
        sent = formdata.get(name)
        if sent is None:
            return None
        try:
            answer = int(sent)
        except ValueError:
            return None
        if answer not in _ANSWER_VALUES:
            return None
        answers.append(answer)
    stage = formdata.get("career_stage_group")
    specialty = formdata.get("specialty_group")
    organisation = formdata.get("organisation")
    topics = formdata.getlist("topics")
    if (
        stage not in _STAGE_VALUES
        or specialty not in _SPECIALTY_VALUES
        or organisation not in _organisation_choices(organisations)[1]
        or not _TOPIC_VALUES.issuperset(topics)
    ):
        return None
    return Submitted(answers, topics, stage, specialty, organisation)
