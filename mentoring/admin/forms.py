"""Forms for managing accounts and roles."""

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

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
