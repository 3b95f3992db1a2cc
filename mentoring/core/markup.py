"""Design-system markup written in Python, for the parts of a form whose Jinja macros cost most.

`templates/macros/forms.html` wrote these fields' markup (nhsukInput's, nhsukTextarea's, the items
of nhsukCheckboxes) in Jinja; each item or field cost 80 to 190 function calls there (attribute
look-ups, escapes, joins, the macro's own context), and the session log form has 33 checkbox
items, 8 inputs and 7 text areas. Here each costs a few. Text is escaped exactly as Jinja's
autoescape escapes it (`markupsafe.escape`; markup passes as it is) and trimmed where the macros
trimmed it. tests/unit/core/test_form_markup.py compares each with the design system's component.
"""

from __future__ import annotations

from markupsafe import Markup, escape, soft_str

# What templates/macros/forms.html uses, as `form_markup.<name>` (mentoring/core/templating.py).
FIELDS = (
    "checkbox_group",
    "date_input",
    "number_input",
    "select",
    "text_input",
    "textarea",
)

_WIDTHS = frozenset(("2", "3", "4", "5", "10", "20", "30"))
_ERROR_PREFIX = '<span class="nhsuk-u-visually-hidden">Error: </span>'


def _joined(parts) -> Markup:
    """This module's markup, one line a part: every text in `parts` went through `escape`."""
    return Markup("\n".join(parts))  # nosec B704  # noqa: S704


def _trimmed(text) -> Markup:
    """Jinja's `{{ text | trim }}`."""
    return escape(soft_str(text).strip())


def _errors(field) -> Markup:
    """Jinja's `{{ field.errors | join(". ") }}`."""
    return Markup(". ").join(field.errors)


def _described_by(field_id, hint_text, errors) -> str:
    """` aria-describedby="..."` naming the hint and the error shown, if any (`field_id` raw)."""
    described = ([f"{field_id}-hint"] if hint_text else []) + (
        [f"{field_id}-error"] if errors else []
    )
    return f' aria-describedby="{escape(" ".join(described))}"' if described else ""


def checkbox_items(field) -> Markup:
    """nhsukCheckboxes' items for a field in a fieldset: ids `<field>`, `<field>-2`, and so on."""
    field_id = escape(field.id)
    name = escape(field.name)
    items = []
    for index, choice in enumerate(field.iter_choices(), start=1):
        item_id = field_id if index == 1 else f"{field_id}-{index}"
        checked = " checked" if choice.selected else ""
        items.append(
            '<div class="nhsuk-checkboxes__item">\n'
            f'<input class="nhsuk-checkboxes__input" id="{item_id}" name="{name}" type="checkbox"'
            f' value="{escape(choice.value)}"{checked}>\n'
            f'<label class="nhsuk-label nhsuk-checkboxes__label" for="{item_id}">'
            f"{escape(choice.label)}</label>\n</div>"
        )
    return _joined(items)


def label_hint_error(field, hint_text) -> Markup:
    """The label (when the field has one), hint and error above an input or a select."""
    field_id = escape(field.id)
    parts = []
    if field.label.text:
        parts.append(
            f'<label class="nhsuk-label nhsuk-label--s" for="{field_id}">'
            f"{_trimmed(field.label.text)}</label>"
        )
    if hint_text:
        parts.append(f'<div class="nhsuk-hint" id="{field_id}-hint">{_trimmed(hint_text)}</div>')
    if field.errors:
        parts.append(
            f'<span class="nhsuk-error-message" id="{field_id}-error">{_ERROR_PREFIX}'
            f"{_errors(field).strip()}</span>"
        )
    return _joined(parts)


def input_field(
    field,
    type,
    value,
    hint_text,
    width=None,
    autocomplete=None,
    spellcheck=None,
    inputmode=None,
    suffix=None,
) -> Markup:
    """nhsukInput's markup for a WTForms field: label, hint, error, the input and its suffix."""
    field_id = escape(field.id)
    errors = field.errors
    attributes = [
        '<input class="nhsuk-input',
        " nhsuk-input--error" if errors else "",
        f" nhsuk-input--width-{escape(width)}" if width and str(width) in _WIDTHS else "",
        f'" id="{field_id}" name="{escape(field.name)}" type="{escape(type or "text")}"',
    ]
    if spellcheck in (True, False):
        attributes.append(f' spellcheck="{str(spellcheck).lower()}"')
    if value is not None and value is not False:
        shown = "true" if value is True else value
        attributes.append(f' value="{escape(shown)}"')
    attributes.append(_described_by(field.id, hint_text, errors))
    if autocomplete is not None and autocomplete is not False:
        attributes.append(f' autocomplete="{escape(autocomplete)}"')
    if inputmode is not None and inputmode is not False:
        attributes.append(f' inputmode="{escape(inputmode)}"')
    element = "".join(attributes) + ">"
    if suffix:
        element = (
            f'<div class="nhsuk-input-wrapper">\n{element}\n'
            f'<div class="nhsuk-input-wrapper__suffix" aria-hidden="true">{escape(suffix)}</div>\n'
            "</div>"
        )
    group = "nhsuk-form-group nhsuk-form-group--error" if errors else "nhsuk-form-group"
    label = label_hint_error(field, hint_text)
    return _joined([f'<div class="{group}">', label, element, "</div>"])


def textarea(field, rows=4, hint=None) -> Markup:
    """nhsukTextarea's markup for a WTForms field; the text given back exactly as it was."""
    hint_text = hint or field.description
    field_id = escape(field.id)
    errors = field.errors
    parts = [
        f'<div class="nhsuk-form-group{" nhsuk-form-group--error" if errors else ""}">',
        f'<label class="nhsuk-label nhsuk-label--s" for="{field_id}">'
        f"{escape(field.label.text)}</label>",
    ]
    if hint_text:
        parts.append(f'<div class="nhsuk-hint" id="{field_id}-hint">{_trimmed(hint_text)}</div>')
    if errors:
        parts.append(
            f'<span class="nhsuk-error-message" id="{field_id}-error">{_ERROR_PREFIX}'
            f"{_errors(field)}</span>"
        )
    parts.append(
        f'<textarea class="nhsuk-textarea{" nhsuk-textarea--error" if errors else ""}"'
        f' id="{field_id}" name="{escape(field.name)}" rows="{escape(rows or 5)}"'
        f"{_described_by(field.id, hint_text, errors)}>{escape(field.data or '')}</textarea>"
    )
    parts.append("</div>")
    return _joined(parts)


def text_input(field, type="text", autocomplete=None, width=None, spellcheck=None, hint=None):
    """A text input (`templates/macros/forms.html` exports this as `text_input`)."""
    return input_field(
        field,
        type,
        field.data if field.data is not None else "",
        hint or field.description,
        width=width,
        autocomplete=autocomplete,
        spellcheck=spellcheck,
    )


def date_input(field, hint=None) -> Markup:
    """A date input; `_value()` gives back what was typed when it could not be read as a date."""
    return input_field(field, "date", field._value(), hint or field.description, width=10)


def number_input(field, hint=None, inputmode="decimal", suffix=None) -> Markup:
    """A number typed as text; `_value()` gives back what was typed when it was not a number."""
    return input_field(
        field,
        "text",
        field._value(),
        hint or field.description,
        width=4,
        spellcheck=False,
        inputmode=inputmode,
        suffix=suffix,
    )


def select(field, hint=None, placeholder=None) -> Markup:
    """nhsukSelect's markup; `placeholder` adds an empty first option."""
    hint_text = hint or field.description
    field_id = escape(field.id)
    errors = field.errors
    parts = [
        f'<div class="nhsuk-form-group{" nhsuk-form-group--error" if errors else ""}">',
        label_hint_error(field, hint_text),
        f'<select class="nhsuk-select{" nhsuk-select--error" if errors else ""}" id="{field_id}"'
        f' name="{escape(field.name)}"{_described_by(field.id, hint_text, errors)}>',
    ]
    if placeholder:
        parts.append(f'<option value="">{escape(placeholder)}</option>')
    for choice in field.iter_choices():
        selected = " selected" if choice.selected else ""
        parts.append(
            f'<option value="{escape(choice.value)}"{selected}>{escape(choice.label)}</option>'
        )
    parts.append("</select>\n</div>")
    return _joined(parts)


def checkbox_group(field, legend_text, hint_text) -> Markup:
    """nhsukCheckboxes' group (form group, fieldset, legend, hint, error) around its items."""
    field_id = escape(field.id)
    errors = field.errors
    parts = [
        f'<div class="nhsuk-form-group{" nhsuk-form-group--error" if errors else ""}">',
        f'<fieldset class="nhsuk-fieldset"{_described_by(field.id, hint_text, errors)}>',
    ]
    if legend_text:
        parts.append(
            '<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">'
            f"{_trimmed(legend_text)}</legend>"
        )
    if hint_text:
        parts.append(f'<div class="nhsuk-hint" id="{field_id}-hint">{_trimmed(hint_text)}</div>')
    if errors:
        parts.append(
            f'<span class="nhsuk-error-message" id="{field_id}-error">{_ERROR_PREFIX}'
            f"{_errors(field).strip()}</span>"
        )
    parts.append('<div class="nhsuk-checkboxes" data-module="nhsuk-checkboxes">')
    parts.append(checkbox_items(field))
    parts.append("</div>\n</fieldset>\n</div>")
    return _joined(parts)
