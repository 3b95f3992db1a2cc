"""Helpers shared by every form in the scheme."""

from collections.abc import Callable

from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, IntegerField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from mentoring.core import unit_of_work
from mentoring.core.errors import ServiceError


def add_service_error(form: FlaskForm, error: ServiceError) -> None:
    """Show a service's refusal next to the field it concerns, or at the top of the form."""
    field = form._fields.get(error.field) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def commit_or_show_refusal(form: FlaskForm, change: Callable[[], object]) -> bool:
    """Make a service's change and commit it: True once saved. If the service refuses, nothing is
    kept, the reason is shown on `form`, and False comes back. Other errors (a concurrent save,
    say) are rolled back and raised for the view to explain in its own words."""
    try:
        change()
        unit_of_work.commit()
    except ServiceError as error:
        unit_of_work.rollback()
        add_service_error(form, error)
        return False
    except Exception:
        unit_of_work.rollback()
        raise
    return True


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


def choice_values(field) -> set:
    return {choice.value for choice in field.iter_choices()}


class DateInputField(DateField):
    """A date from an `<input type="date">` (YYYY-MM-DD), with a message people understand."""

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        super().__init__(label, validators, format="%Y-%m-%d", **kwargs)

    def process_formdata(self, valuelist) -> None:
        if not "".join(valuelist or []).strip():
            self.data = None  # empty: InputRequired, if any, says so
            return
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError("Enter a real date, for example 2025-03-14") from error


class NumberInputField(DecimalField):
    """A decimal number typed by a person; a clear message when it is not one."""

    def process_formdata(self, valuelist) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None  # empty: InputRequired, if any, says so
            return
        valuelist = [valuelist[0].strip().replace(",", ".")]
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError("Enter a number, like 1.5") from error
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError("Enter a number, like 1.5")


class ConfirmForm(FlaskForm):
    """Nothing but the CSRF token: for buttons that change something."""


class WholeNumberField(IntegerField):
    """A whole number typed by a person; a clear message when it is not one."""

    def process_formdata(self, valuelist) -> None:
        if not valuelist or not valuelist[0].strip():
            # Only spaces are nothing typed: InputRequired then asks for the number.
            self.raw_data = []
            self.data = None
            return
        try:
            self.data = int(valuelist[0].strip())
        except ValueError as error:
            self.data = None
            raise ValueError("Enter a whole number, like 2") from error


def choices_of(pairs) -> list[SelectChoice]:
    """A vocabulary's (value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]
