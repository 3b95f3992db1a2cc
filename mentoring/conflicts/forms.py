"""The one form for naming a person by email address."""

from flask_wtf import FlaskForm

from mentoring.auth.forms import email_field


class ConflictForm(FlaskForm):
    email = email_field("Their email address")
