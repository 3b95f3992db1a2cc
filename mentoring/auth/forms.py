"""Forms for signing in and managing one's own account."""

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from mentoring.auth.passwords import PASSWORD_MAX_LENGTH

EMAIL_REQUIRED = "Enter your email address"
EMAIL_FORMAT = "Enter an email address in the correct format, like name@nhs.net"


def email_format(form, field) -> None:
    """An address that could receive mail: email-validator's syntax rules, no DNS look-up.

    Development and test installations also accept the reserved `.test` domain of the demo accounts.
    """
    try:
        validate_email(
            field.data or "",
            check_deliverability=False,
            test_environment=current_app.config["EMAIL_ALLOW_TEST_DOMAINS"],
        )
    except EmailNotValidError as error:
        raise ValidationError(EMAIL_FORMAT) from error


def email_field(label: str = "Email address") -> EmailField:
    return EmailField(
        label,
        validators=[
            InputRequired(EMAIL_REQUIRED),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            email_format,
        ],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )


def name_field() -> StringField:
    return StringField(
        "Your name",
        description="The name your mentor or mentee will see",
        validators=[
            InputRequired("Enter your name"),
            Length(max=120, message="Name must be 120 characters or fewer"),
        ],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )


def new_password_field(label: str = "Create a password") -> PasswordField:
    return PasswordField(
        label,
        description="At least 12 characters. 3 or 4 random words together work well",
        validators=[
            InputRequired("Enter a password"),
            Length(max=PASSWORD_MAX_LENGTH, message="Password is too long"),
        ],
    )


def confirm_password_field(other: str) -> PasswordField:
    return PasswordField(
        "Confirm password",
        validators=[
            InputRequired("Confirm your password"),
            EqualTo(other, message="The passwords do not match"),
        ],
    )


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField("Password", validators=[InputRequired("Enter your password")])


class RegisterForm(FlaskForm):
    display_name = name_field()
    email = email_field()
    password = new_password_field()
    confirm_password = confirm_password_field("password")


class AcceptInvitationForm(FlaskForm):
    display_name = name_field()
    password = new_password_field()
    confirm_password = confirm_password_field("password")


class ForgotPasswordForm(FlaskForm):
    email = email_field()


class ResetPasswordForm(FlaskForm):
    password = new_password_field("New password")
    confirm_password = confirm_password_field("password")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[InputRequired("Enter your current password")]
    )
    new_password = new_password_field("New password")
    confirm_password = confirm_password_field("new_password")
