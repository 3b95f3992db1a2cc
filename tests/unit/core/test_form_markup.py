"""Form macros that write the design system's markup themselves give the same page as its component.

`checkboxes` (templates/macros/forms.html) writes the items itself (the component's per-item
macros cost more than the rest of a long form); a person, a screen reader or the design system's
JavaScript must not be able to tell. Compared after collapsing whitespace between tags, which
changes nothing a browser shows.
"""

from __future__ import annotations

import re

import pytest
from flask import render_template_string
from werkzeug.datastructures import MultiDict
from wtforms import Form, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from mentoring.core.forms import MultiCheckboxField

HOSTILE = '<script>alert("x")</script> & "quotes"'

THROUGH_MACRO = """{% from "macros/forms.html" import checkboxes %}
{{ checkboxes(form.topics, legend=legend, hint=hint) }}"""

THROUGH_COMPONENT = """{% from "nhsuk/components/checkboxes/macro.jinja" import checkboxes %}
{% set items = [] %}
{% for choice in form.topics.iter_choices() %}
  {% set _ = items.append({"value": choice.value, "text": choice.label, "checked": choice.selected,
                           "conditional": none}) %}
{% endfor %}
{{ checkboxes({
  "idPrefix": form.topics.id,
  "name": form.topics.name,
  "fieldset": {"legend": {"text": legend or form.topics.label.text, "size": "s"}},
  "hint": {"text": hint or form.topics.description} if (hint or form.topics.description) else none,
  "items": items,
  "errorMessage": {"text": form.topics.errors | join(". ")} if form.topics.errors else none
}) }}"""


class TopicsForm(Form):
    topics = MultiCheckboxField(
        "What did you talk about?",
        choices=[
            SelectChoice("workload", "Workload"),
            SelectChoice("stress", "Stress and <pressure>"),
            SelectChoice("x&y", HOSTILE),
        ],
    )


def normalised(html: str) -> str:
    html = re.sub(r"\s+", " ", html)
    html = re.sub(r"\s*>\s*", ">", html)
    return re.sub(r"\s*<", "<", html).strip()


def rendered(app, template: str, form: Form, legend=None, hint=None) -> str:
    with app.test_request_context():
        return render_template_string(template, form=form, legend=legend, hint=hint)


@pytest.mark.parametrize(
    ("sent", "legend", "hint"),
    [
        (MultiDict(), None, None),
        (MultiDict([("topics", "stress"), ("topics", "x&y")]), "Topics", "Choose any"),
        (MultiDict([("topics", "not offered")]), None, HOSTILE),
    ],
)
def test_checkboxes_match_the_design_system_component(app, sent, legend, hint):
    form = TopicsForm(sent)
    if sent:
        form.validate()
    ours = rendered(app, THROUGH_MACRO, form, legend, hint)
    theirs = rendered(app, THROUGH_COMPONENT, form, legend, hint)
    assert normalised(ours) == normalised(theirs)
    assert "<script>" not in ours
    assert 'id="topics"' in ours and 'id="topics-3"' in ours


def test_ticked_choices_stay_ticked_and_errors_show(app):
    form = TopicsForm(MultiDict([("topics", "stress"), ("topics", "not offered")]))
    assert not form.validate()
    html = rendered(app, THROUGH_MACRO, form)
    assert re.search(r'value="stress"\s*checked', html)
    assert not re.search(r'value="workload"\s*checked', html)
    assert "Choose only from the options shown" in html
    assert "nhsuk-form-group--error" in html


TAG_THROUGH_MACRO = """{% from "macros/tags.html" import tag %}
{{ tag({"text": text, "colour": colour}) }}"""
TAG_THROUGH_COMPONENT = """{% from "nhsuk/components/tag/macro.jinja" import tag %}
{{ tag({"text": text, "colour": colour}) }}"""


@pytest.mark.parametrize(
    "colour", ["red", "orange", "blue", "green", "grey", "purple", "white", "not-a-colour", None]
)
def test_tags_match_the_design_system_component(app, colour):
    for text in ("Open now", HOSTILE):
        with app.test_request_context():
            ours = render_template_string(TAG_THROUGH_MACRO, text=text, colour=colour)
            theirs = render_template_string(TAG_THROUGH_COMPONENT, text=text, colour=colour)
        assert normalised(ours) == normalised(theirs)
        assert "<script>" not in ours


TEXTAREA_THROUGH_MACRO = """{% from "macros/forms.html" import textarea %}
{{ textarea(form.summary, rows=rows, hint=hint) }}"""
TEXTAREA_THROUGH_COMPONENT = """{% from "nhsuk/components/textarea/macro.jinja" import textarea %}
{% set field = form.summary %}
{{ textarea({
  "label": {"text": field.label.text, "size": "s"},
  "hint": {"text": hint or field.description} if (hint or field.description) else none,
  "id": field.id,
  "name": field.name,
  "rows": rows,
  "value": field.data or "",
  "errorMessage": {"text": field.errors | join(". ")} if field.errors else none
}) }}"""
TEXTAREA_CONTENT = re.compile(r"<textarea[^>]*>(.*?)</textarea>", re.S)


class SummaryForm(Form):
    summary = TextAreaField(
        "Shared summary", description="Your mentee can read this.", validators=[Length(max=20)]
    )
    note = TextAreaField("Note")


@pytest.mark.parametrize(
    ("sent", "hint", "rows"),
    [
        (MultiDict(), None, 4),
        (MultiDict([("summary", "\n  First line\n\n" + HOSTILE)]), "Keep it short", 5),
        (MultiDict([("summary", "short")]), None, None),
    ],
)
def test_textareas_match_the_design_system_component(app, sent, hint, rows):
    form = SummaryForm(sent)
    form.validate()
    with app.test_request_context():
        ours = render_template_string(TEXTAREA_THROUGH_MACRO, form=form, hint=hint, rows=rows)
        theirs = render_template_string(TEXTAREA_THROUGH_COMPONENT, form=form, hint=hint, rows=rows)
    assert normalised(ours) == normalised(theirs)
    # What the person typed comes back exactly, line breaks and all, and escaped.
    assert TEXTAREA_CONTENT.findall(ours) == TEXTAREA_CONTENT.findall(theirs)
    assert "<script>" not in ours


def test_a_textarea_without_hint_or_error_matches_too(app):
    form = SummaryForm(MultiDict([("note", "Kept")]))
    template = TEXTAREA_THROUGH_MACRO.replace("form.summary", "form.note")
    component = TEXTAREA_THROUGH_COMPONENT.replace("form.summary", "form.note")
    with app.test_request_context():
        ours = render_template_string(template, form=form, hint=None, rows=4)
        theirs = render_template_string(component, form=form, hint=None, rows=4)
    assert normalised(ours) == normalised(theirs)
    assert ">Kept</textarea>" in ours
