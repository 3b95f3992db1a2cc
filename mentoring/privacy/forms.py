"""The form for deleting one's own account."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired, InputRequired


class DeleteAccountForm(FlaskForm):
    understood = BooleanField(
        "I understand that my account and what I wrote will be deleted, and this cannot be undone",
        validators=[DataRequired("Confirm that you understand what will be deleted")],
    )
    password = PasswordField("Your password", validators=[InputRequired("Enter your password")])
