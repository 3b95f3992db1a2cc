"""The check-in form: WHO-5 answered as published, optional topics, and coarse groups."""

from __future__ import annotations

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField
from wtforms.validators import StopValidation

from mentoring.checkins.who5 import ANSWERS, ITEMS
from mentoring.core.forms import MultiCheckboxField, choice_values, choices_of
from mentoring.core.vocabulary import (
    CAREER_STAGE_GROUPS,
    NOT_SAID,
    NOT_SAID_LABEL,
    SPECIALTY_GROUPS,
    TOPICS,
)


class AnswerField(RadioField):
    """One WHO-5 item: an answer 0-5, refused with a clear message when missing or forged."""

    def __init__(self, label: str, **kwargs) -> None:
        super().__init__(
            label, choices=choices_of(ANSWERS), coerce=int, validate_choice=False, **kwargs
        )

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
        if self.data not in range(6):
            raise StopValidation(f"Choose one of the six answers for '{self.label.text}'")


class GroupField(RadioField):
    """A coarse group, from the list shown or 'Prefer not to say'; anything else is refused."""

    def __init__(self, label: str, *, missing: str, forged: str, **kwargs) -> None:
        super().__init__(label, validate_choice=False, **kwargs)
        self.missing = missing
        self.forged = forged

    def pre_validate(self, form) -> None:
        if not self.data:
            raise StopValidation(self.missing)
        if self.data not in choice_values(self):
            raise StopValidation(self.forged)


class GroupSelectField(SelectField):
    def __init__(self, label: str, *, missing: str, forged: str, **kwargs) -> None:
        super().__init__(label, validate_choice=False, **kwargs)
        self.missing = missing
        self.forged = forged

    def pre_validate(self, form) -> None:
        if not self.data:
            raise StopValidation(self.missing)
        if self.data not in choice_values(self) - {""}:
            raise StopValidation(self.forged)


def _with_not_said(vocabulary):
    return choices_of([*vocabulary, (NOT_SAID, NOT_SAID_LABEL)])


class CheckInForm(FlaskForm):
    item_1 = AnswerField(ITEMS[0])
    item_2 = AnswerField(ITEMS[1])
    item_3 = AnswerField(ITEMS[2])
    item_4 = AnswerField(ITEMS[3])
    item_5 = AnswerField(ITEMS[4])
    topics = MultiCheckboxField(
        "Is anything at work affecting how you feel? (optional)",
        choices=choices_of(TOPICS),
        description="Tick any that apply. This helps us show you support that fits.",
    )
    career_stage_group = GroupField(
        "Your career stage",
        choices=_with_not_said(CAREER_STAGE_GROUPS),
        missing="Choose your career stage, or 'Prefer not to say'",
        forged="Choose your career stage from the list shown",
    )
    specialty_group = GroupField(
        "Your specialty group",
        choices=_with_not_said(SPECIALTY_GROUPS),
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
        self.organisation.choices = choices_of(
            [
                ("", "Choose your organisation"),
                *((name, name) for name in current_app.config["ORGANISATIONS"]),
                (NOT_SAID, NOT_SAID_LABEL),
            ]
        )

    @property
    def answers(self) -> list[int]:
        return [getattr(self, f"item_{n}").data for n in range(1, len(ITEMS) + 1)]

    @property
    def item_fields(self) -> list[AnswerField]:
        return [getattr(self, f"item_{n}") for n in range(1, len(ITEMS) + 1)]
