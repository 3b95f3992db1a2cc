"""The request form: what a doctor would like to talk about, and who and when suits them."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from mentoring.core.forms import MultiCheckboxField
from mentoring.core.vocabulary import (
    CAREER_STAGES,
    DAYS_OF_WEEK,
    FORMATS,
    GENDERS,
    MENTORING_MODELS,
    SPECIALTIES,
    TIME_SLOTS,
    TOPICS,
)
from mentoring.requests_.models import DECLINE_REASONS
from mentoring.requests_.services import RequestDetails

WISHES_MAX_LENGTH = 2000

# Topics that always bring urgent and out-of-hours support onto the page at once.
URGENT_TOPICS = frozenset({"negative_thoughts", "mental_health"})


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


SLOT_CHOICES = [
    SelectChoice(f"{day}:{slot}", f"{day_label} {slot_label[0].lower()}{slot_label[1:]}")
    for day, day_label in DAYS_OF_WEEK
    for slot, slot_label, _start, _end in TIME_SLOTS
]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class RequestForm(FlaskForm):
    topics = MultiCheckboxField(
        "What would you like to talk about?",
        choices=_choices(TOPICS),
        description="Choose all that apply. Only your mentor will see these with your name",
        validators=[InputRequired("Choose at least one topic")],
    )
    wishes = TextAreaField(
        "What would you like from mentoring? (optional)",
        description="Only the mentor who accepts your request will read this. "
        "It is stored encrypted",
        validators=[
            Optional(),
            Length(max=WISHES_MAX_LENGTH, message=f"Keep this to {WISHES_MAX_LENGTH} characters"),
        ],
        filters=[_strip],
    )
    career_stage = SelectField(
        "Your career stage",
        choices=[SelectChoice("", "Choose your career stage"), *_choices(CAREER_STAGES)],
        validators=[InputRequired("Choose your career stage")],
    )
    specialty = SelectField(
        "Your specialty",
        choices=[SelectChoice("", "Choose your specialty"), *_choices(SPECIALTIES)],
        validators=[InputRequired("Choose your specialty")],
    )
    organisation = StringField(
        "Your organisation",
        description="For example, the trust or practice you work for. Used only for matching",
        validators=[
            InputRequired("Enter your organisation"),
            Length(max=200, message="Organisation must be 200 characters or fewer"),
        ],
        filters=[_strip],
    )
    department = StringField(
        "Your department",
        validators=[
            InputRequired("Enter your department"),
            Length(max=200, message="Department must be 200 characters or fewer"),
        ],
        filters=[_strip],
    )
    outside_department = BooleanField("A mentor outside my department")
    outside_organisation = BooleanField("A mentor outside my organisation")
    specialty_preference = RadioField(
        "Your mentor's specialty",
        choices=[
            SelectChoice("any", "No preference"),
            SelectChoice("same", "The same as mine"),
            SelectChoice("different", "Different from mine"),
        ],
        default="any",
        validators=[InputRequired("Choose a specialty preference")],
    )
    more_senior_only = BooleanField("Only mentors further on in their career than me")
    gender_preference = RadioField(
        "Your mentor's gender (optional)",
        choices=[SelectChoice("", "No preference"), *_choices(GENDERS)],
        default="",
        validators=[Optional()],
    )
    preferred_model = RadioField(
        "A mentoring model you would like (optional)",
        choices=[
            SelectChoice("", "No preference"),
            *_choices(pair for pair in MENTORING_MODELS if pair[0] != "other"),
        ],
        default="",
        validators=[Optional()],
    )
    formats = MultiCheckboxField(
        "How could you meet?",
        choices=_choices(FORMATS),
        validators=[InputRequired("Choose at least one way to meet")],
    )
    slots = MultiCheckboxField(
        "When could you meet?",
        choices=SLOT_CHOICES,
        description="Choose every time that could work around your shifts, including evenings, "
        "nights and weekends",
        validators=[InputRequired("Choose at least one time you could meet")],
    )

    def details(self) -> RequestDetails:
        slots = []
        for value in self.slots.data:
            day, slot = value.split(":", 1)
            slots.append((int(day), slot))
        return RequestDetails(
            topics=list(self.topics.data),
            wishes=self.wishes.data or "",
            career_stage=self.career_stage.data,
            specialty=self.specialty.data,
            organisation=self.organisation.data,
            department=self.department.data,
            outside_department=bool(self.outside_department.data),
            outside_organisation=bool(self.outside_organisation.data),
            specialty_preference=self.specialty_preference.data,
            more_senior_only=bool(self.more_senior_only.data),
            gender_preference=self.gender_preference.data or None,
            preferred_model=self.preferred_model.data or None,
            formats=list(self.formats.data),
            slots=slots,
        )

    @classmethod
    def data_from(cls, request) -> dict:
        """The form's initial values from a saved request, for editing."""
        return {
            "topics": request.topics,
            "wishes": request.wishes or "",
            "career_stage": request.career_stage,
            "specialty": request.specialty,
            "organisation": request.organisation,
            "department": request.department,
            "outside_department": request.outside_department,
            "outside_organisation": request.outside_organisation,
            "specialty_preference": request.specialty_preference,
            "more_senior_only": request.more_senior_only,
            "gender_preference": request.gender_preference or "",
            "preferred_model": request.preferred_model or "",
            "formats": request.formats,
            "slots": [f"{day}:{slot}" for day, slot in request.slots],
        }


class ChooseMentorForm(FlaskForm):
    mentor_id = StringField(validators=[InputRequired("Choose a mentor")])


class DeclineForm(FlaskForm):
    reason = RadioField(
        "Why are you declining? (only you and the scheme's totals see this)",
        choices=_choices(DECLINE_REASONS),
        validators=[InputRequired("Choose a reason")],
    )


class EmptyForm(FlaskForm):
    """Only the CSRF token: for buttons that change something."""
