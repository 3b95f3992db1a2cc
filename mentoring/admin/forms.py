"""Forms for managing accounts and roles."""

from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from mentoring.auth.forms import email_field
from mentoring.core.forms import MultiCheckboxField
from mentoring.permissions import Role

ROLE_CHOICES = [SelectChoice(role.value, role.label) for role in Role]


class RolesForm(FlaskForm):
    roles = MultiCheckboxField("Roles", choices=ROLE_CHOICES, validate_choice=True)


class InvitationForm(FlaskForm):
    email = email_field("Their email address")
    roles = MultiCheckboxField(
        "Roles",
        choices=ROLE_CHOICES,
        validators=[InputRequired("Choose at least one role")],
    )


class AccountSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = StringField("Search by email or name", validators=[Length(max=254)])


class AuditSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    person = StringField(
        "Person's email address",
        description="Leave empty to see everyone",
        validators=[Optional(), Length(max=254)],
    )
    date_from = DateField(
        "From",
        validators=[Optional()],
        format="%Y-%m-%d",
        description="For example, 2026-11-01",
    )
    date_to = DateField("To", validators=[Optional()], format="%Y-%m-%d")

    def validate_date_to(self, field) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("The end date must be the same as or after the start date")
