"""Design-system markup written in Python, for the components whose Jinja macros cost most.

`templates/macros/forms.html` wrote these fields' markup (nhsukInput's, nhsukTextarea's, the items
of nhsukCheckboxes) in Jinja; each item or field cost 80 to 190 function calls there (attribute
look-ups, escapes, joins, the macro's own context), and the session log form has 33 checkbox
items, 8 inputs and 7 text areas. Here each costs a few. Text is escaped exactly as Jinja's
autoescape escapes it (`markupsafe.escape`; markup passes as it is) and trimmed where the macros
trimmed it. The summary list (templates/macros/summary_list.html) likewise: its Jinja macro cost
about a hundred calls a row. tests/unit/core/test_form_markup.py compares each with the design
system's component.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from markupsafe import Markup, escape, soft_str

# What templates/macros/forms.html and summary_list.html use, as `nhsuk_markup.<name>`
# (mentoring/core/templating.py).
NAMES = (
    "checkbox_group",
    "date_input",
    "number_input",
    "select",
    "summary_list",
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


def _kept(build):
    """`build`, its result kept for the same arguments. A field's label, hint, attributes, whether
    it shows an error, and its choices are the same on every request: only the error's text, what
    was typed and what is ticked are added afresh. `typed` keeps text and markup with the same
    characters apart (one is escaped, the other not); the size bounds choices read from the
    database."""
    kept = lru_cache(maxsize=2048, typed=True)(build)

    def parts(*arguments):
        try:
            return kept(*arguments)
        except TypeError:  # an argument that cannot be kept (unhashable)
            return build(*arguments)

    return parts


@_kept
def _checkbox_item(item_id, name, value, label) -> tuple[str, str]:
    """One checkbox item's markup before and after its ` checked`."""
    item_id = escape(item_id)
    return (
        '<div class="nhsuk-checkboxes__item">\n'
        f'<input class="nhsuk-checkboxes__input" id="{item_id}" name="{escape(name)}"'
        f' type="checkbox" value="{escape(value)}"',
        f'>\n<label class="nhsuk-label nhsuk-checkboxes__label" for="{item_id}">'
        f"{escape(label)}</label>\n</div>",
    )


def checkbox_items(field) -> Markup:
    """nhsukCheckboxes' items for a field in a fieldset: ids `<field>`, `<field>-2`, and so on."""
    field_id, name = field.id, field.name
    items = []
    for index, choice in enumerate(field.iter_choices(), start=1):
        item_id = field_id if index == 1 else f"{field_id}-{index}"
        before, after = _checkbox_item(item_id, name, choice.value, choice.label)
        items.append(before + (" checked" if choice.selected else "") + after)
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


def _error_line(field, errors, trim: bool) -> str:
    if not errors:
        return ""
    text = _errors(field)
    return (
        f'\n<span class="nhsuk-error-message" id="{escape(field.id)}-error">{_ERROR_PREFIX}'
        f"{text.strip() if trim else text}</span>"
    )


def _label_and_hint(field_id, label_text, hint_text, trim_label: bool = True) -> list[str]:
    lines = []
    if label_text or not trim_label:
        label = _trimmed(label_text) if trim_label else escape(label_text)
        lines.append(
            f'<label class="nhsuk-label nhsuk-label--s" for="{escape(field_id)}">{label}</label>'
        )
    if hint_text:
        lines.append(
            f'<div class="nhsuk-hint" id="{escape(field_id)}-hint">{_trimmed(hint_text)}</div>'
        )
    return lines


@_kept
def _input_parts(
    field_id,
    name,
    label_text,
    hint_text,
    errors,
    type,
    width,
    autocomplete,
    spellcheck,
    inputmode,
    suffix,
) -> tuple[str, str, str]:
    """An input's markup but its error and value: (before the error, before the value, after)."""
    group = "nhsuk-form-group nhsuk-form-group--error" if errors else "nhsuk-form-group"
    head = "\n".join([f'<div class="{group}">', *_label_and_hint(field_id, label_text, hint_text)])
    opening = [
        '<div class="nhsuk-input-wrapper">\n' if suffix else "",
        '<input class="nhsuk-input',
        " nhsuk-input--error" if errors else "",
        f" nhsuk-input--width-{escape(width)}" if width and str(width) in _WIDTHS else "",
        f'" id="{escape(field_id)}" name="{escape(name)}" type="{escape(type or "text")}"',
    ]
    if spellcheck in (True, False):
        opening.append(f' spellcheck="{str(spellcheck).lower()}"')
    closing = [_described_by(field_id, hint_text, errors)]
    if autocomplete is not None and autocomplete is not False:
        closing.append(f' autocomplete="{escape(autocomplete)}"')
    if inputmode is not None and inputmode is not False:
        closing.append(f' inputmode="{escape(inputmode)}"')
    closing.append(">")
    if suffix:
        closing.append(
            f'\n<div class="nhsuk-input-wrapper__suffix" aria-hidden="true">{escape(suffix)}</div>'
            "\n</div>"
        )
    closing.append("\n</div>")
    return head, "\n" + "".join(opening), "".join(closing)


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
    errors = bool(field.errors)
    head, opening, closing = _input_parts(
        field.id,
        field.name,
        field.label.text,
        hint_text,
        errors,
        type,
        width,
        autocomplete,
        spellcheck,
        inputmode,
        suffix,
    )
    shown = ""
    if value is not None and value is not False:
        shown = f' value="{escape("true" if value is True else value)}"'
    return _joined([head + _error_line(field, errors, trim=True) + opening + shown + closing])


@_kept
def _textarea_parts(field_id, name, label_text, hint_text, errors, rows) -> tuple[str, str]:
    """A text area's markup but its error and text: (before the error, before the text)."""
    group = "nhsuk-form-group nhsuk-form-group--error" if errors else "nhsuk-form-group"
    head = "\n".join(
        [f'<div class="{group}">', *_label_and_hint(field_id, label_text, hint_text, False)]
    )
    opening = (
        f'\n<textarea class="nhsuk-textarea{" nhsuk-textarea--error" if errors else ""}"'
        f' id="{escape(field_id)}" name="{escape(name)}" rows="{escape(rows or 5)}"'
        f"{_described_by(field_id, hint_text, errors)}>"
    )
    return head, opening


def textarea(field, rows=4, hint=None) -> Markup:
    """nhsukTextarea's markup for a WTForms field; the text given back exactly as it was."""
    hint_text = hint or field.description
    errors = bool(field.errors)
    head, opening = _textarea_parts(field.id, field.name, field.label.text, hint_text, errors, rows)
    text = str(escape(field.data or ""))  # text, not markup: `str + Markup` would escape the str
    return _joined(
        [head + _error_line(field, errors, trim=False) + opening + text + "</textarea>\n</div>"]
    )


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


def _cell(cell) -> str:
    """A summary list cell, {"html": ...} (trusted markup) or {"text": ...}."""
    if not isinstance(cell, Mapping):
        return ""
    if cell.get("html"):
        return Markup(soft_str(cell["html"])).strip()  # nosec B704  # noqa: S704 - given as markup
    if cell.get("text"):
        return _trimmed(cell["text"])
    return ""


def summary_list(params) -> Markup:
    """nhsukSummaryList's markup for rows of a key and a value, without row actions."""
    parts = ['<dl class="nhsuk-summary-list">']
    for row in params.get("rows") or ():
        if isinstance(row, Mapping):
            parts.append(
                '<div class="nhsuk-summary-list__row">\n'
                f'<dt class="nhsuk-summary-list__key">{_cell(row.get("key"))}</dt>\n'
                f'<dd class="nhsuk-summary-list__value">{_cell(row.get("value"))}</dd>\n'
                "</div>"
            )
    parts.append("</dl>")
    return _joined(parts)
