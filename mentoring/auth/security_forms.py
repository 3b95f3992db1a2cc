"""Forms for the second factor, re-entering a password, and changing email."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from mentoring.auth.forms import email_field


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class SecondFactorForm(FlaskForm):
    code = StringField(
        "Security code",
        description="The 6-digit code from your authenticator app, or one of your recovery codes",
        validators=[
            InputRequired("Enter the code from your authenticator app"),
            Length(max=32, message="Enter the 6-digit code, or a recovery code"),
        ],
        filters=[_strip],
    )


class EnrolSecondFactorForm(FlaskForm):
    code = StringField(
        "Code from your app",
        description="The 6-digit code your authenticator app shows now",
        validators=[
            InputRequired("Enter the 6-digit code from your authenticator app"),
            Length(max=32, message="Enter the 6-digit code"),
        ],
        filters=[_strip],
    )


class ConfirmPasswordForm(FlaskForm):
    password = PasswordField("Password", validators=[InputRequired("Enter your password")])


class ChangeEmailForm(FlaskForm):
    email = email_field("New email address")


class EmptyForm(FlaskForm):
    """A button that posts: CSRF protection and nothing else."""
