"""Forms for training records and their review."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from mentoring.core.forms import (
    DateInputField,
    MultiCheckboxField,
    NumberInputField,
    choices_of,
)
from mentoring.core.vocabulary import MENTORING_MODELS


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class TrainingRecordForm(FlaskForm):
    title = StringField(
        "Course title",
        validators=[
            InputRequired("Enter the course title"),
            Length(max=200, message="Course title must be 200 characters or fewer"),
        ],
        filters=[_strip],
    )
    provider = StringField(
        "Provider",
        description="Who ran the course, for example a deanery, trust or training company",
        validators=[
            InputRequired("Enter who provided the course"),
            Length(max=200, message="Provider must be 200 characters or fewer"),
        ],
        filters=[_strip],
    )
    completed_on = DateInputField(
        "Date you completed the course",
        validators=[InputRequired("Enter the date you completed the course")],
    )
    hours = NumberInputField(
        "Hours of training",
        description="Between 0.5 and 500. Half hours are fine, for example 7.5",
        validators=[InputRequired("Enter the hours of training")],
    )
    models = MultiCheckboxField(
        "Models the course taught",
        choices=choices_of(MENTORING_MODELS),
        validators=[InputRequired("Choose at least one model the course taught")],
    )
    other_model_name = StringField(
        "Name of the other model",
        description="Only if you chose another model",
        validators=[Optional(), Length(max=100, message="Must be 100 characters or fewer")],
        filters=[_strip],
    )
    evidence = FileField(
        "Evidence (optional)",
        description="A certificate or letter as a PDF, PNG or JPEG",
    )


class TrainingRecordEditForm(TrainingRecordForm):
    remove_evidence = BooleanField("Remove the current evidence file")


class ReviewForm(FlaskForm):
    decision = RadioField(
        "Decision",
        choices=choices_of(
            [
                ("verify", "Verify: the training is as recorded"),
                ("return", "Return to the mentor with a reason"),
            ]
        ),
        validators=[InputRequired("Choose verify or return")],
    )
    return_reason = TextAreaField(
        "Reason for returning it",
        description="The mentor sees this. Say what they need to add or change",
        validators=[Length(max=2000, message="Reason must be 2000 characters or fewer")],
        filters=[_strip],
    )
