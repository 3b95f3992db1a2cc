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
from wtforms import Form, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from mentoring.core.forms import (
    DateInputField,
    MultiCheckboxField,
    NumberInputField,
    WholeNumberField,
)

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


# --- inputs and selects ---------------------------------------------------------------------------
# Each is compared with the component called as the macro called it before it wrote the markup.

INPUT_THROUGH_COMPONENT = """{% from "nhsuk/components/input/macro.jinja" import input %}
{% set field = form[name] %}
{{ input({
  "label": {"text": field.label.text, "size": "s"},
  "hint": {"text": hint or field.description} if (hint or field.description) else none,
  "id": field.id,
  "name": field.name,
  "type": type,
  "value": value,
  "autocomplete": autocomplete,
  "spellcheck": spellcheck,
  "inputmode": inputmode,
  "width": width,
  "suffix": {"text": suffix} if suffix else none,
  "errorMessage": {"text": field.errors | join(". ")} if field.errors else none
}) }}"""

SELECT_THROUGH_MACRO = """{% from "macros/forms.html" import select %}
{{ select(form.choice, hint=hint, placeholder=placeholder) }}"""
SELECT_THROUGH_COMPONENT = """{% from "nhsuk/components/select/macro.jinja" import select %}
{% set field = form.choice %}
{% set items = [{"value": "", "text": placeholder}] if placeholder else [] %}
{% for choice in field.iter_choices() %}
  {% set _ = items.append({"value": choice.value, "text": choice.label,
                           "selected": choice.selected}) %}
{% endfor %}
{{ select({
  "label": {"text": field.label.text, "size": "s"},
  "hint": {"text": hint or field.description} if (hint or field.description) else none,
  "id": field.id,
  "name": field.name,
  "items": items,
  "errorMessage": {"text": field.errors | join(". ")} if field.errors else none
}) }}"""


class InputsForm(Form):
    name = StringField("Your <name>", validators=[Length(max=12)])
    email = StringField("Email", description=HOSTILE)
    held_on = DateInputField("Date held")
    minutes = WholeNumberField("How long", validators=[Optional()])
    hours = NumberInputField("Hours", description="In hours", validators=[Optional()])
    choice = SelectField(
        "Format & place",
        choices=[
            SelectChoice("in_person", "In person"),
            SelectChoice("video", "Video <call>"),
            SelectChoice('x"y', HOSTILE),
        ],
    )


def _inputs(sent):
    form = InputsForm(sent)
    if sent:
        form.validate()
    return form


SENT = [
    MultiDict(),
    MultiDict(
        [
            ("name", HOSTILE),  # too long: an error, and given back exactly
            ("email", 'a"b@example.org'),
            ("held_on", "30/11/2026"),  # not a date: an error, and given back as typed
            ("minutes", "forty"),
            ("hours", "1.5"),
            ("choice", 'x"y'),
        ]
    ),
    MultiDict([("name", "Ann"), ("held_on", "2026-11-30"), ("minutes", "45"), ("choice", "no")]),
]

INPUT_CALLS = [
    # (our macro call, the component's arguments as the macro gave them)
    ("text_input(form.name, hint=hint)", dict(name="name", type="text", value="data")),
    (
        'text_input(form.email, type="email", autocomplete="email", spellcheck=false, hint=hint)',
        dict(name="email", type="email", value="data", autocomplete="email", spellcheck=False),
    ),
    (
        'text_input(form.name, type="time", width=5, hint=hint)',
        dict(name="name", type="time", width=5, value="data"),
    ),
    (
        "text_input(form.name, width=7, hint=hint)",
        dict(name="name", type="text", width=7, value="data"),
    ),
    (
        "date_input(form.held_on, hint=hint)",
        dict(name="held_on", type="date", width=10, value="_value"),
    ),
    (
        'number_input(form.minutes, inputmode="numeric", suffix="minutes", hint=hint)',
        dict(
            name="minutes",
            inputmode="numeric",
            spellcheck=False,
            width=4,
            suffix="minutes",
            value="_value",
        ),
    ),
    (
        "number_input(form.hours, hint=hint)",
        dict(name="hours", inputmode="decimal", spellcheck=False, width=4, value="_value"),
    ),
]


@pytest.mark.parametrize("sent", SENT)
@pytest.mark.parametrize(("call", "component"), INPUT_CALLS)
@pytest.mark.parametrize("hint", [None, "A hint & <more>"])
def test_inputs_match_the_design_system_component(app, sent, call, component, hint):
    form = _inputs(sent)
    field = form[component["name"]]
    value = (
        field._value()
        if component["value"] == "_value"
        else (field.data if field.data is not None else "")
    )
    arguments = {
        "type": None,
        "autocomplete": None,
        "spellcheck": None,
        "inputmode": None,
        "width": None,
        "suffix": None,
        **component,
        "value": value,
        "hint": hint,
    }
    with app.test_request_context():
        ours = render_template_string(
            '{% from "macros/forms.html" import text_input, date_input, number_input %}{{ '
            + call
            + " }}",
            form=form,
            hint=hint,
        )
        theirs = render_template_string(INPUT_THROUGH_COMPONENT, form=form, **arguments)
    assert normalised(ours) == normalised(theirs)
    assert "<script>" not in ours


def test_typed_text_and_errors_come_back(app):
    form = _inputs(SENT[1])
    with app.test_request_context():
        html = render_template_string(
            '{% from "macros/forms.html" import text_input, date_input, number_input %}'
            "{{ text_input(form.name) }}{{ date_input(form.held_on) }}"
            "{{ number_input(form.minutes) }}",
            form=form,
        )
    assert 'value="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;quotes&#34;"' in html
    assert 'value="30/11/2026"' in html and 'value="forty"' in html
    assert html.count("nhsuk-form-group--error") == 3
    assert 'aria-describedby="held_on-error"' in html


@pytest.mark.parametrize("sent", SENT)
@pytest.mark.parametrize("hint", [None, HOSTILE])
@pytest.mark.parametrize("placeholder", [None, "Choose one & <only> one"])
def test_selects_match_the_design_system_component(app, sent, hint, placeholder):
    form = _inputs(sent)
    with app.test_request_context():
        ours = render_template_string(
            SELECT_THROUGH_MACRO, form=form, hint=hint, placeholder=placeholder
        )
        theirs = render_template_string(
            SELECT_THROUGH_COMPONENT, form=form, hint=hint, placeholder=placeholder
        )
    assert normalised(ours) == normalised(theirs)
    assert "<script>" not in ours


def test_the_chosen_option_stays_chosen_and_a_forged_one_is_refused(app):
    chosen = _inputs(MultiDict([("choice", 'x"y')]))
    forged = _inputs(MultiDict([("choice", "no")]))
    with app.test_request_context():
        html = render_template_string(
            SELECT_THROUGH_MACRO, form=chosen, hint=None, placeholder=None
        )
        refused = render_template_string(
            SELECT_THROUGH_MACRO, form=forged, hint=None, placeholder=None
        )
    assert re.findall(r'<option value="([^"]*)" selected>', html) == ["x&#34;y"]
    assert " selected" not in refused
    assert "nhsuk-select--error" in refused and "Not a valid choice" in refused


# --- header and cards -----------------------------------------------------------------------------

HEADER_PARAMS = """{
  "service": {"text": service, "href": "/?a=1&b=<2>"},
  "account": {"items": account},
  "navigation": {"items": navigation}
}"""
HEADER_THROUGH_MACRO = (
    '{% from "macros/header.html" import header %}{{ header(' + HEADER_PARAMS + ") }}"
)
HEADER_THROUGH_COMPONENT = (
    '{% from "nhsuk/components/header/macro.jinja" import header %}{{ header('
    + HEADER_PARAMS
    + ") }}"
)


def _signout(text: str):
    from markupsafe import Markup

    return Markup('<form action="/out" method="post"><button>{}</button></form>').format(text)


@pytest.mark.parametrize(
    ("account", "navigation"),
    [
        # Signed out, as the ceiling and the sign-in page show it.
        ([{"href": "/auth/login", "text": "Sign in", "icon": True}], []),
        # Signed in: the name (hostile here), links, the sign-out form, the current page.
        (
            [
                {"text": HOSTILE, "icon": True},
                {"href": "/auth/account?x=1&y=2", "text": "Your account"},
                {"html": "SIGNOUT"},
            ],
            [
                {"href": "/home", "text": "Home", "current": True},
                {"href": "/support", "text": "Find <support>", "current": False},
                {"href": "/check-in", "text": HOSTILE, "current": False},
            ],
        ),
        (
            [{"text": "  Dr Spaced  ", "icon": True}],
            [
                {"href": "/a", "text": "A", "current": False},
                {"href": "/b", "text": "B", "current": True},
            ],
        ),
    ],
)
@pytest.mark.parametrize("service", ["Mentoring for doctors", HOSTILE])
def test_the_header_matches_the_design_system_component(app, account, navigation, service):
    account = [
        {**item, "html": _signout(HOSTILE)} if item.get("html") == "SIGNOUT" else item
        for item in account
    ]
    with app.test_request_context():
        context = dict(service=service, account=account, navigation=navigation)
        ours = render_template_string(HEADER_THROUGH_MACRO, **context)
        theirs = render_template_string(HEADER_THROUGH_COMPONENT, **context)
    assert normalised(ours) == normalised(theirs)
    assert "<script>" not in ours


@pytest.fixture
def pages_through_the_components(app):
    """Serve pages with the design system's own header and card macros in place of ours."""
    from jinja2 import ChoiceLoader, DictLoader

    shims = {
        "macros/header.html": '{% from "nhsuk/components/header/macro.jinja" import header as h %}'
        "{% set header = h %}",
        "macros/cards.html": '{% from "nhsuk/components/card/macro.jinja" import card as c %}'
        "{% set card = c %}",
        "macros/summary_list.html": '{% from "nhsuk/components/summary-list/macro.jinja" '
        "import summaryList as s %}{% set summary_list = s %}",
        "macros/inset.html": '{% from "nhsuk/components/inset-text/macro.jinja" '
        "import insetText as i %}{% set inset_text = i %}",
    }
    original = app.jinja_env.loader

    def use(components: bool) -> None:
        app.jinja_env.loader = (
            ChoiceLoader([DictLoader(shims), original]) if components else original
        )
        app.jinja_env.cache.clear()

    yield use
    use(False)


def _without_tokens(html: str) -> str:
    """The page without what changes on every request: CSRF tokens and CSP nonces."""
    html = re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', html)
    return re.sub(r'nonce="[^"]*"', 'nonce=""', html)


@pytest.mark.parametrize("path", ["/home", "/support", "/check-in"])
def test_signed_in_pages_are_the_same_as_through_the_components(
    login_as, pages_through_the_components, path
):
    from mentoring.permissions import Role

    person = login_as(Role.DOCTOR, Role.MENTOR, display_name='Dr <b>"Bold"</b> & Co')
    ours = person.get(path)
    pages_through_the_components(True)
    theirs = person.get(path)
    assert ours.status_code == theirs.status_code == 200
    ours, theirs = ours.get_data(as_text=True), theirs.get_data(as_text=True)
    assert normalised(_without_tokens(ours)) == normalised(_without_tokens(theirs))
    assert 'aria-current="page"' in ours and "Sign out" in ours and "<b>" not in ours


CARD_PARAMS = """{"heading": heading, "href": "/requests?a=1&b=2", "clickable": clickable,
  "description": description}"""


@pytest.mark.parametrize("heading", ["Your mentor request", HOSTILE, "  Spaced  "])
@pytest.mark.parametrize("description", ["Ask for a mentor in confidence.", HOSTILE])
@pytest.mark.parametrize("clickable", [True, False])
def test_link_cards_match_the_design_system_component(app, heading, description, clickable):
    context = dict(heading=heading, description=description, clickable=clickable)
    with app.test_request_context():
        ours = render_template_string(
            '{% from "macros/cards.html" import card %}{{ card(' + CARD_PARAMS + ") }}", **context
        )
        theirs = render_template_string(
            '{% from "nhsuk/components/card/macro.jinja" import card %}{{ card('
            + CARD_PARAMS
            + ") }}",
            **context,
        )
    assert normalised(ours) == normalised(theirs)
    assert "<script>" not in ours


SUMMARY_ROWS = """[
  {"key": {"text": "Model"}, "value": {"text": model}},
  {"key": {"text": "Planned <sessions>"}, "value": {"text": planned}},
  {"key": {"text": "Notes"}, "value": {"html": html}},
  {"key": {"text": "Empty"}, "value": {"text": none}}
]"""


@pytest.mark.parametrize("model", ["GROW", HOSTILE, "  spaced  "])
@pytest.mark.parametrize("planned", [6, 0, None, "12"])
def test_summary_lists_match_the_design_system_component(app, model, planned):
    from markupsafe import Markup

    context = dict(model=model, planned=planned, html=Markup("<strong>kept</strong> &amp; safe"))
    with app.test_request_context():
        ours = render_template_string(
            '{% from "macros/summary_list.html" import summary_list %}'
            '{{ summary_list({"rows": ' + SUMMARY_ROWS + "}) }}",
            **context,
        )
        theirs = render_template_string(
            '{% from "nhsuk/components/summary-list/macro.jinja" import summaryList %}'
            '{{ summaryList({"rows": ' + SUMMARY_ROWS + "}) }}",
            **context,
        )
    assert normalised(ours) == normalised(theirs)
    assert "<script>" not in ours and "<strong>kept</strong>" in ours


@pytest.mark.parametrize("text", ["Save session log", HOSTILE, "  Show services  "])
def test_submit_buttons_match_the_design_system_component(app, text):
    with app.test_request_context():
        ours = render_template_string(
            '{% from "macros/forms.html" import submit %}{{ submit(text) }}', text=text
        )
        theirs = render_template_string(
            '{% from "nhsuk/components/button/macro.jinja" import button %}'
            '{{ button({"text": text}) }}',
            text=text,
        )
    assert normalised(ours) == normalised(theirs)
    assert "<script>" not in ours


@pytest.mark.parametrize("text", ["Figures are rounded.", HOSTILE, "  <p>kept</p>  "])
def test_inset_text_matches_the_design_system_component(app, text):
    body = "{{ text }}<p>A <strong>{{ text }}</strong> stands for a small number.</p>"
    with app.test_request_context():
        ours = render_template_string(
            '{% from "macros/inset.html" import inset_text %}'
            "{% call inset_text() %}" + body + "{% endcall %}",
            text=text,
        )
        theirs = render_template_string(
            '{% from "nhsuk/components/inset-text/macro.jinja" import insetText %}'
            "{% call insetText() %}" + body + "{% endcall %}",
            text=text,
        )
    assert normalised(ours) == normalised(theirs)
    assert "<script>" not in ours and "<strong>" in ours
    assert "Information: " in ours


@pytest.mark.parametrize(
    "path",
    ["/reports/?period=2026-Q3", "/reports/?period=nonsense", "/reports/?group=nonsense"],
)
def test_the_reports_page_is_the_same_as_through_the_components(
    login_as, pages_through_the_components, path
):
    from mentoring.permissions import Role

    person = login_as(Role.COORDINATOR, display_name='Dr <b>"Bold"</b> & Co')
    ours = person.get(path)
    pages_through_the_components(True)
    theirs = person.get(path)
    assert ours.status_code == theirs.status_code
    ours, theirs = ours.get_data(as_text=True), theirs.get_data(as_text=True)
    assert normalised(_without_tokens(ours)) == normalised(_without_tokens(theirs))
    assert "nhsuk-inset-text" in ours and "<b>" not in ours
