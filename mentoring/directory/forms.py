"""Forms for finding support and for coordinators keeping the directory."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import URL, Email, InputRequired, Length, Optional, ValidationError

from mentoring.core.forms import MultiCheckboxField, choice_values, choices_of
from mentoring.core.vocabulary import TOPICS
from mentoring.directory.models import PROBLEM_KINDS, Severity
from mentoring.directory.opening import OpeningHoursError, Window, parse_opening_hours

SEVERITY_PAIRS = [(severity.value, severity.label) for severity in Severity]
WHEN_PAIRS = [
    ("", "Any time"),
    ("open_now", "Open now"),
    ("out_of_hours", "Open out of hours (evenings, nights, weekends)"),
]
# "What is it about": the broad kinds of problem first, then the scheme's topics.
ABOUT_PAIRS = [("", "Anything"), *PROBLEM_KINDS, *TOPICS]
INTERNAL_PAIRS = [
    ("external", "Independent of your employer"),
    ("internal", "Run by your employer"),
]


NO_WAY_TO_REACH = (
    "Give at least one way to reach the service: how to refer yourself, a phone number, "
    "a website or an email address"
)


def web_address_scheme(form, field) -> None:
    """Only http(s) links: WTForms' URL check alone lets `javascript://host/%0a...` through."""
    if field.data and not field.data.lower().startswith(("https://", "http://")):
        raise ValidationError("Enter a web address starting with https://")


class DirectoryFilterForm(FlaskForm):
    """The directory's filters, read from the query string (a GET changes nothing)."""

    class Meta:
        csrf = False

    about = SelectField(
        "What is it about?", choices=choices_of(ABOUT_PAIRS), default="", validate_choice=False
    )
    urgency = SelectField(
        "How urgent is it?",
        choices=choices_of([("", "Any"), *SEVERITY_PAIRS]),
        default="",
        validate_choice=False,
    )
    when = SelectField(
        "When do you need it?",
        choices=choices_of(WHEN_PAIRS),
        default="",
        validate_choice=False,
    )

    def validate_about(self, field) -> None:
        _known(field, "Choose what it is about from the list")

    def validate_urgency(self, field) -> None:
        _known(field, "Choose how urgent it is from the list")

    def validate_when(self, field) -> None:
        _known(field, "Choose when you need it from the list")


def _known(field, message: str) -> None:
    if field.data not in choice_values(field):
        raise ValidationError(message)


class SupportServiceForm(FlaskForm):
    name = StringField(
        "Name of the service",
        validators=[InputRequired("Enter the name of the service"), Length(max=120)],
    )
    description = TextAreaField(
        "What it offers",
        description="In a sentence or two, in plain words.",
        validators=[InputRequired("Enter what the service offers"), Length(max=1000)],
    )
    kinds = MultiCheckboxField(
        "Kinds of problem it helps with",
        choices=choices_of(PROBLEM_KINDS),
        validators=[InputRequired("Choose at least one kind of problem it helps with")],
    )
    topics = MultiCheckboxField(
        "Topics it helps with",
        choices=choices_of(TOPICS),
        description="Leave all unticked if it helps with anything.",
    )
    severity = RadioField(
        "How urgent are the problems it is for?",
        choices=choices_of(SEVERITY_PAIRS),
        validators=[InputRequired("Choose how urgent the problems it is for are")],
    )
    open_all_hours = BooleanField("Open 24 hours a day, 7 days a week")
    opening_hours = TextAreaField(
        "Opening hours",
        description=(
            "One line each, such as 'Mon-Fri 09:00-17:00', 'Sat 10:00-14:00' or "
            "'Every day 18:00-24:00'. Hours end after they start on the same day: write overnight "
            "hours as two lines ('Fri 20:00-24:00' and 'Sat 00:00-08:00'). Leave empty if open "
            "24 hours."
        ),
        validators=[Length(max=2000)],
    )
    self_referral = StringField(
        "How to refer yourself",
        description="For example 'Fill in the short form on the website'. Leave empty if none.",
        validators=[Length(max=300)],
    )
    phone = StringField("Phone number", validators=[Optional(), Length(max=40)])
    website = StringField(
        "Website",
        validators=[
            Optional(),
            Length(max=300),
            URL(require_tld=True, message="Enter a web address starting with https://"),
            web_address_scheme,
        ],
    )
    email = StringField(
        "Email address",
        validators=[
            Optional(),
            Length(max=254),
            Email(
                message="Enter an email address like name@example.org", check_deliverability=False
            ),
        ],
    )
    is_internal = RadioField(
        "Who runs it?",
        choices=choices_of(INTERNAL_PAIRS),
        validators=[InputRequired("Choose whether your employer runs it")],
    )
    confidentiality = TextAreaField(
        "What stays confidential",
        description="What the service tells anyone else, and when; in plain words.",
        validators=[InputRequired("Say what stays confidential"), Length(max=1000)],
    )

    windows: list[Window] = []  # noqa: RUF012 - set by validate_opening_hours

    def validate_self_referral(self, field) -> None:
        """At least one way to reach the service; checked here so every error shows at once."""
        reach = (field.data, self.phone.data, self.website.data, self.email.data)
        if not any((way or "").strip() for way in reach):
            raise ValidationError(NO_WAY_TO_REACH)

    def validate_opening_hours(self, field) -> None:
        try:
            self.windows = parse_opening_hours(field.data or "")
        except OpeningHoursError as error:
            self.windows = []
            raise ValidationError(str(error)) from None
        if not self.windows and not self.open_all_hours.data:
            raise ValidationError("Enter the opening hours, or tick 'Open 24 hours a day'")
