"""Forms for the mentor profile, pause, supervision log and appraisal record."""

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from mentoring.core.forms import (
    DateInputField,
    MultiCheckboxField,
    NumberInputField,
    WholeNumberField,
    choices_of,
)
from mentoring.core.vocabulary import (
    CAREER_STAGES,
    DAYS_OF_WEEK,
    FORMATS,
    GENDERS,
    SPECIALTIES,
    SUPERVISION_KINDS,
    TIME_SLOTS,
    TOPICS,
    values,
)
from mentoring.mentors.models import MAX_CAPACITY
from mentoring.mentors.services import BIO_MAX_LENGTH

SLOT_CHOICES = [
    (f"{day}:{slot}", f"{day_label}: {slot_label}")
    for day, day_label in DAYS_OF_WEEK
    for slot, slot_label, _start, _end in TIME_SLOTS
]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _choice(label: str, choices, message: str) -> SelectField:
    return SelectField(
        label,
        choices=choices_of(choices),
        validate_choice=False,
        validators=[InputRequired(message), AnyOf(values(choices), message=message)],
    )


class ProfileForm(FlaskForm):
    career_stage = _choice("Career stage", CAREER_STAGES, "Choose your career stage")
    specialty = _choice("Specialty", SPECIALTIES, "Choose your specialty")
    organisation = StringField(
        "Organisation",
        description="Your trust, practice or employer",
        validators=[
            InputRequired("Enter your organisation"),
            Length(max=200, message="Organisation must be 200 characters or fewer"),
        ],
        filters=[_strip],
    )
    department = StringField(
        "Department (optional)",
        description="Mentees can ask for a mentor outside their own department",
        validators=[Optional(), Length(max=200, message="Must be 200 characters or fewer")],
        filters=[_strip],
    )
    bio = TextAreaField(
        "A short introduction",
        description=(
            "Plain text that doctors see when choosing a mentor: your background and how you "
            f"like to mentor. Up to {BIO_MAX_LENGTH} characters"
        ),
        validators=[
            InputRequired("Write a short introduction about yourself"),
            Length(
                max=BIO_MAX_LENGTH,
                message=f"Your introduction must be {BIO_MAX_LENGTH} characters or fewer",
            ),
        ],
        filters=[_strip],
    )
    models = MultiCheckboxField(
        "Models you offer",
        description=(
            "From your training records. A model counts for matching once a coordinator has "
            "verified training that teaches it"
        ),
        choices=[],
    )
    formats = MultiCheckboxField(
        "How you can meet",
        choices=choices_of(FORMATS),
        validators=[InputRequired("Choose at least one way you can meet")],
    )
    slots = MultiCheckboxField(
        "When you are available",
        choices=choices_of(SLOT_CHOICES),
        validators=[InputRequired("Choose at least one time you are available")],
    )
    topics = MultiCheckboxField(
        "Topics you are comfortable with",
        choices=choices_of(TOPICS),
        validators=[InputRequired("Choose at least one topic you are comfortable with")],
    )
    capacity = WholeNumberField(
        "How many mentees you can have at once",
        description=f"Between 1 and {MAX_CAPACITY}",
        default=2,
        validators=[
            InputRequired("Enter how many mentees you can have at once"),
            NumberRange(1, MAX_CAPACITY, message=f"Capacity must be between 1 and {MAX_CAPACITY}"),
        ],
    )
    gender = RadioField(
        "How do you describe your gender? (optional)",
        description="Only used when a doctor asks for a mentor of a particular gender",
        choices=[SelectChoice("", "Prefer not to say"), *choices_of(GENDERS)],
        default="",
        validators=[Optional()],
    )


class PauseForm(FlaskForm):
    until = DateInputField(
        "Return date (optional)",
        description="Leave it empty to pause until you resume. On this date you become available "
        "again by yourself",
        validators=[Optional()],
    )


class SupervisionForm(FlaskForm):
    held_on = DateInputField("Date", validators=[InputRequired("Enter the date of the session")])
    hours = NumberInputField(
        "Hours",
        description="Between 0.25 and 24, for example 1.5",
        validators=[InputRequired("Enter how many hours it lasted")],
    )
    kind = RadioField(
        "Kind of session",
        choices=choices_of(SUPERVISION_KINDS),
        validators=[InputRequired("Choose supervision or peer support")],
    )


class AppraisalForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    start = DateInputField("From", validators=[InputRequired("Enter the first day of the period")])
    end = DateInputField("To", validators=[InputRequired("Enter the last day of the period")])

    def validate_end(self, field) -> None:
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError("The end of the period must be on or after its start")
