"""Helpers shared by every form in the scheme."""

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from mentoring.core.errors import ServiceError


def add_service_error(form: FlaskForm, error: ServiceError) -> None:
    """Show a service's refusal next to the field it concerns, or at the top of the form."""
    field = form._fields.get(error.field) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def error_summary_items(form: FlaskForm) -> list[dict[str, str]]:
    """The error summary's list: each message links to its field, form-wide ones to the form."""
    items = [{"text": message, "href": "#main-form"} for message in form.form_errors]
    for field in form._fields.values():
        for message in field.errors if isinstance(field.errors, list) else []:
            # The design system gives the first checkbox or radio the field's own id.
            items.append({"text": message, "href": f"#{field.id}"})
    return items


class MultiCheckboxField(SelectMultipleField):
    """Several choices at once, shown as NHS.UK checkboxes."""

    def __init__(self, *args, **kwargs) -> None:
        # Nothing ticked sends nothing (an empty POST has no form data at all): that is an empty
        # choice, not a missing one, so views can iterate `data` without a None check.
        kwargs.setdefault("default", ())
        super().__init__(*args, **kwargs)

    def pre_validate(self, form) -> None:
        allowed = {choice.value for choice in self.iter_choices()}
        if any(value not in allowed for value in self.data or ()):
            raise ValidationError("Choose only from the options shown")


def select_choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs, such as a vocabulary, as the choices WTForms expects."""
    return [SelectChoice(value, label) for value, label in pairs]


def choice_values(field) -> set:
    return {choice.value for choice in field.iter_choices()}
