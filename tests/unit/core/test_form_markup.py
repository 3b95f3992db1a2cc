"""Form macros that write the design system's markup themselves give the same page as its component.

`checkboxes` (templates/macros/forms.html) writes the items itself (the component's per-item
macros cost more than the rest of a long form); a person, a screen reader or the design system's
JavaScript must not be able to tell. Compared after collapsing whitespace between tags, which
changes nothing a browser shows.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import render_template_string
from werkzeug.datastructures import MultiDict
from wtforms import Form, HiddenField, SelectField, StringField, TextAreaField
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


def test_kept_checkbox_items_keep_text_and_markup_apart(app):
    """Items are kept once built: a label given as text is escaped, and one given as markup with
    the same characters is not, whichever was shown first."""
    from markupsafe import Markup

    class TextForm(Form):
        topics = MultiCheckboxField("Topics", choices=[SelectChoice("v", "<b>x</b>")])

    class MarkupForm(Form):
        topics = MultiCheckboxField("Topics", choices=[SelectChoice("v", Markup("<b>x</b>"))])

    for form_class, shown in [
        (TextForm, "&lt;b&gt;x&lt;/b&gt;"),
        (MarkupForm, "<b>x</b>"),
        (TextForm, "&lt;b&gt;x&lt;/b&gt;"),
    ]:
        html = rendered(app, THROUGH_MACRO, form_class())
        assert f'for="topics">{shown}</label>' in html


def test_kept_input_and_text_area_parts_keep_text_and_markup_apart_and_errors_fresh(app):
    """An input's and a text area's label, hint and attributes are kept once built: a label given
    as markup is not escaped, the same characters as text are, and each error is its own."""
    from markupsafe import Markup

    def form_labelled(label, sent=()):
        class LabelledForm(Form):
            name = StringField(label, validators=[Length(max=3)])
            note = TextAreaField(label, validators=[Length(max=3)])

        form = LabelledForm(MultiDict(sent))
        form.validate()
        return form

    template = (
        '{% from "macros/forms.html" import text_input, textarea %}'
        "{{ text_input(form.name) }}{{ textarea(form.note) }}"
    )
    for label, sent, shown in [
        ("<b>x</b>", (), "&lt;b&gt;x&lt;/b&gt;"),
        (Markup("<b>x</b>"), (), "<b>x</b>"),
        ("<b>x</b>", [("name", "long"), ("note", "longer")], "&lt;b&gt;x&lt;/b&gt;"),
        ("<b>x</b>", [("name", "long")], "&lt;b&gt;x&lt;/b&gt;"),
    ]:
        with app.test_request_context():
            html = render_template_string(template, form=form_labelled(label, sent))
        assert html.count(f">{shown}</label>") == 2
        assert html.count("nhsuk-error-message") == len(sent)
        assert ('value="long"' in html) == bool(sent) and (">longer</textarea>" in html) == (
            len(sent) == 2
        )


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


LINKS_THROUGH_COMPONENTS = """
{% from "nhsuk/components/button/macro.jinja" import button %}
{% from "nhsuk/components/back-link/macro.jinja" import backLink %}
{% from "nhsuk/components/inset-text/macro.jinja" import insetText %}
{% macro button_link(text, href) %}{{ button({"text": text, "href": href}) }}{% endmacro %}
{% macro back_link(href, text="Back") %}{{ backLink({"href": href, "text": text}) }}{% endmacro %}
{% macro inset_text(html=none) %}
{{ insetText({"html": caller() if caller else html}) }}{% endmacro %}
"""


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
        "macros/links.html": LINKS_THROUGH_COMPONENTS,
    }
    original = app.jinja_env.loader

    def use(components: bool) -> None:
        app.jinja_env.loader = (
            ChoiceLoader([DictLoader(shims), original]) if components else original
        )
        app.jinja_env.cache.clear()
        # Headers kept once rendered were rendered through the other macros.
        app.jinja_env.globals["nhsuk_markup"].signed_in_header.cache_clear()
        # So are the session log form's kept fields (mentoring/relationships/session_views.py).
        app.extensions.pop("session_log_fields", None)

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


# The listings as they were: a template included per listing, tags through the component.
LISTING_AS_IT_WAS = (Path(__file__).parent / "listing_as_it_was.html").read_text()


def _listings_to_show():
    from mentoring.directory.opening import Window
    from mentoring.directory.queries import Listing, ServiceCard

    hostile = ServiceCard(
        id=7,
        name=HOSTILE,
        description=HOSTILE + "\nsecond line",
        severity="urgent",
        open_all_hours=False,
        self_referral=HOSTILE,
        phone="0800 <1> 2 3",
        website='https://example.org/?a=1&b="2"',
        email='x"&<y>@example.org',
        is_internal=True,
        confidentiality=HOSTILE,
        kind_values=("crisis", "emotional", HOSTILE),
        topic_values=("stress", HOSTILE),
        windows=(Window(0, 540, 1020),),
    )
    plain = hostile._replace(
        id=8,
        name="Plain line",
        description="Listens.",
        severity="everyday",
        self_referral=None,
        phone=None,
        website=None,
        email="help@example.org",
        is_internal=False,
        confidentiality="Nobody is told.",
        kind_values=("work",),
        topic_values=(),
    )
    struggling = plain._replace(id=9, severity="struggling", open_all_hours=True, kind_values=())
    return [
        Listing(hostile, open_now=True, out_of_hours=False, hours=("Monday 09:00-17:00", HOSTILE)),
        Listing(plain, open_now=False, out_of_hours=True, hours=()),
        Listing(struggling, open_now=True, out_of_hours=True, hours=("24 hours a day",)),
    ]


LISTINGS_THROUGH_MACRO = """{% from "directory/_listing.html" import listings %}
{{ listings(items, heading_level, can_manage) }}"""
# as the pages show them: each listing rendered once and kept (mentoring/directory/views.py)
LISTINGS_KEPT = "{{ items | directory_listings(heading_level, can_manage) }}"


@pytest.mark.parametrize("heading_level", [3, 4])
@pytest.mark.parametrize("can_manage", [True, False])
@pytest.mark.parametrize("template", [LISTINGS_THROUGH_MACRO, LISTINGS_KEPT, LISTINGS_KEPT])
def test_listings_are_the_same_as_through_the_tag_component(
    app, heading_level, can_manage, template
):
    items = _listings_to_show()
    context = dict(items=items, heading_level=heading_level, can_manage=can_manage)
    with app.test_request_context():
        ours = render_template_string(template, **context)
        theirs = render_template_string(LISTING_AS_IT_WAS, **context)
    assert normalised(ours) == normalised(theirs)
    assert "<script>" not in ours and ours.count('class="nhsuk-card app-service"') == 3
    assert ("/support/7/edit" in ours) is can_manage
    assert f"<h{heading_level} " in ours and "Monday 09:00-17:00<br>&lt;script&gt;" in ours


PAGINATION_THROUGH_COMPONENT = """
{%- from "nhsuk/components/pagination/macro.jinja" import pagination %}
{{ pagination({"previous": previous or undefined, "next": next or undefined}) }}"""
PAGINATION_THROUGH_MACRO = """{% from "macros/pagination.html" import pagination %}
{{ pagination(previous=previous, next=next) }}"""


@pytest.mark.parametrize(
    ("previous", "next"),
    [
        (None, {"href": "/support?page=2", "labelText": "Page 2 of 3"}),
        ({"href": "/support?a=&b=1&page=1", "labelText": "Page 1 of 3"}, None),
        (
            {"href": '/x?q="<a>"&page=1', "labelText": HOSTILE},
            {"href": "/x?page=3", "labelText": "  Page 3 of 3  "},
        ),
        ({"href": "/x?page=1"}, {"href": "/x?page=3", "labelText": ""}),
    ],
)
def test_pagination_matches_the_design_system_component(app, previous, next):
    with app.test_request_context():
        ours = render_template_string(PAGINATION_THROUGH_MACRO, previous=previous, next=next)
        theirs = render_template_string(PAGINATION_THROUGH_COMPONENT, previous=previous, next=next)
    assert normalised(ours) == normalised(theirs)
    assert "<script>" not in ours
    assert ("nhsuk-pagination__link--prev" in ours) is bool(previous)


# --- links, hidden inputs, and the relationship pages --------------------------------------------

LINK_CALLS = [
    ("button_link(text, href)", '{{ button({"text": text, "href": href}) }}', "button"),
    ('back_link(href, text="Back")', '{{ backLink({"href": href, "text": "Back"}) }}', "back-link"),
    ("back_link(href, text)", '{{ backLink({"href": href, "text": text}) }}', "back-link"),
    ("inset_text(html)", '{{ insetText({"html": html}) }}', "inset-text"),
]
COMPONENT_NAMES = {"button": "button", "back-link": "backLink", "inset-text": "insetText"}


@pytest.mark.parametrize(("call", "component_call", "component"), LINK_CALLS)
@pytest.mark.parametrize("text", ["Log a session", HOSTILE, "  Spaced  "])
def test_links_and_inset_text_match_the_design_system_components(
    app, call, component_call, component, text
):
    from markupsafe import Markup

    context = dict(
        text=text,
        href="/relationships/1/sessions/new?model=grow&x=<y>",
        html=Markup("<p>Ended (") + text + Markup(").</p>"),
    )
    with app.test_request_context():
        ours = render_template_string(
            '{% from "macros/links.html" import button_link, back_link, inset_text %}{{ '
            + call
            + " }}",
            **context,
        )
        theirs = render_template_string(
            f'{{% from "nhsuk/components/{component}/macro.jinja" import '
            f"{COMPONENT_NAMES[component]} %}}{component_call}",
            **context,
        )
    assert normalised(ours) == normalised(theirs)
    assert "<script>" not in ours
    assert "x=&lt;y&gt;" in ours or component == "inset-text"


class HiddenForm(Form):
    version = HiddenField()


@pytest.mark.parametrize(
    "sent", [MultiDict(), MultiDict([("version", "3")]), MultiDict([("version", HOSTILE)])]
)
def test_hidden_inputs_match_wtforms(app, sent):
    form = HiddenForm(sent)
    with app.test_request_context():
        ours = render_template_string(
            '{% from "macros/forms.html" import hidden_input %}{{ hidden_input(form.version) }}',
            form=form,
        )
    assert ours == str(form.version())
    assert "<script>" not in ours


def _relationship_pages(login_as, session_form):
    """The relationship page in each of its states, for mentor and mentee, and the session log
    form in each model: (client, path) pairs."""
    from mentoring.auth.models import utcnow
    from mentoring.extensions import db
    from mentoring.permissions import Role
    from mentoring.relationships.frameworks import all_models
    from tests.functional.relationships.helpers import make_relationship

    hostile = dict(display_name='Dr <b>"Bold"</b> & Co')
    pages = []
    for fields in (
        {},  # active, no agreement yet: "Record your agreement"
        dict(planned_sessions=1, model="grow", meeting_format="video", agreed_at=utcnow()),
        dict(status="closed", ended_at=utcnow(), ended_by="mentee", ending_reason="other"),
        dict(status="closed", ended_at=utcnow(), ended_by="mentor"),
    ):
        mentor = login_as(Role.MENTOR, Role.DOCTOR, **hostile)
        mentee = login_as(Role.DOCTOR, **hostile)
        rel = make_relationship(mentor=mentor.user, mentee=mentee.user, **fields)
        if fields.get("planned_sessions") == 1:
            # One session logged of one planned: the review is due.
            sent = mentor.post(f"/relationships/{rel.id}/sessions/new", data=session_form())
            assert sent.status_code == 302
            mentor.get(sent.headers["Location"])  # its "logged" message, shown once
        pages += [(mentor, f"/relationships/{rel.id}"), (mentee, f"/relationships/{rel.id}")]
        if rel.status == "active":
            pages += [
                (mentor, f"/relationships/{rel.id}/sessions/new?model={model.key}")
                for model in all_models()
            ]
    db.session.commit()
    return pages


def test_relationship_pages_are_the_same_as_through_the_components(
    login_as, pages_through_the_components
):
    from tests.functional.relationships.helpers import session_form

    pages = _relationship_pages(login_as, session_form)
    shown = set()
    for person, path in pages:
        pages_through_the_components(False)
        ours = person.get(path)
        pages_through_the_components(True)
        theirs = person.get(path)
        assert ours.status_code == theirs.status_code == 200, path
        ours, theirs = ours.get_data(as_text=True), theirs.get_data(as_text=True)
        assert normalised(_without_tokens(ours)) == normalised(_without_tokens(theirs)), path
        assert "<b>" not in ours
        shown |= {
            text
            for text in (
                "Review due",
                "has ended",
                "Record your agreement",
                "Log a session",
                "nhsuk-back-link",
            )
            if text in ours
        }
    # Every state the written markup stands in for was served.
    assert shown == {
        "Review due",
        "has ended",
        "Record your agreement",
        "Log a session",
        "nhsuk-back-link",
    }


@pytest.mark.parametrize("text", ["Figures are rounded.", HOSTILE, "  <p>kept</p>  "])
def test_inset_text_matches_the_design_system_component(app, text):
    body = "{{ text }}<p>A <strong>{{ text }}</strong> stands for a small number.</p>"
    with app.test_request_context():
        ours = render_template_string(
            '{% from "macros/links.html" import inset_text %}'
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


# --- the signed-in header, kept once rendered -----------------------------------------------------

# base.html's header block as it was before the signed-in header was kept (round 5).
HEADER_AS_IT_WAS = """
{% from "macros/header.html" import header as app_header %}
{% macro signout_form() -%}
  <form class="app-signout-form" action="{{ url_for('auth.logout') }}" method="post">
    <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
    <button class="nhsuk-header__account-button" type="submit">Sign out</button>
  </form>
{%- endmacro %}
{% set account_items = [
  {"text": current_user.display_name, "icon": true},
  {"href": url_for("auth.account"), "text": "Your account"},
  {"html": signout_form() }
] %}
{% set navigation_items = [
  {"href": url_for("core.home"), "text": "Home", "current": request.endpoint == "core.home"},
  {"href": url_for("directory.services_list"), "text": "Find support",
   "current": request.endpoint == "directory.services_list"},
  {"href": url_for("checkins.check_in"), "text": "Check in",
   "current": request.endpoint == "checkins.check_in"}
] %}
{% if current_user.can(Permission.MENTOR) or current_user.can(Permission.SEEK_MENTORING) %}
  {% set navigation_items = navigation_items + [{"href": url_for("relationships.mine"),
    "text": "Mentoring",
    "current": (request.endpoint or "").startswith(("relationships.", "sessions."))}] %}
{% endif %}
{% if current_user.can(Permission.READ_REPORTS) %}
  {% set navigation_items = navigation_items + [{"href": url_for("reports.dashboard"),
    "text": "Reports", "current": request.endpoint == "reports.dashboard"}] %}
{% endif %}
{% if current_user.can(Permission.MANAGE_ACCOUNTS) %}
  {% set navigation_items = navigation_items + [
    {"href": url_for("admin.accounts"), "text": "Accounts",
     "current": request.endpoint == "admin.accounts"},
    {"href": url_for("admin.invite"), "text": "Invite someone",
     "current": request.endpoint == "admin.invite"},
    {"href": url_for("admin.audit_log"), "text": "Audit log",
     "current": request.endpoint == "admin.audit_log"}] %}
{% endif %}
{{ app_header({
  "service": {"text": service_name, "href": url_for("core.index")},
  "account": {"items": account_items},
  "navigation": {"items": navigation_items}
}) }}
"""


def _header_of(html: str) -> str:
    return re.search(r"<header .*</header>", html, re.S).group(0)


def _header_as_it_was(app, person, path: str, root: str = "") -> str:
    from flask_login import login_user

    with app.test_request_context(path, base_url=f"http://localhost{root}"):
        from contextlib import suppress

        from flask import request
        from werkzeug.exceptions import NotFound

        # The request's endpoint, as the served page had it (none for a page not found).
        with suppress(NotFound):
            request.url_rule, request.view_args = app.url_map.bind(
                "localhost", script_name=root or None
            ).match(path, return_rule=True)
        login_user(person)
        return _header_of(render_template_string(HEADER_AS_IT_WAS))


@pytest.mark.parametrize(
    ("roles", "path"),
    [
        (("doctor",), "/home"),
        (("doctor",), "/support"),
        (("doctor", "mentor"), "/relationships/"),
        (("mentor",), "/check-in"),
        (("coordinator",), "/reports/"),
        (("admin",), "/admin/accounts"),
        (("admin",), "/no-such-page"),
    ],
)
def test_the_kept_signed_in_header_is_the_header_rendered_afresh(app, login_as, roles, path):
    from mentoring.permissions import Role

    person = login_as(*(Role(role) for role in roles), display_name=HOSTILE)
    first, kept = person.get(path), person.get(path)  # rendered, then from what was kept
    assert first.status_code == kept.status_code == (404 if "no-such" in path else 200)
    expected = _without_tokens(_header_as_it_was(app, person.user, path))
    for response in (first, kept):
        header = _header_of(response.get_data(as_text=True))
        assert normalised(_without_tokens(header)) == normalised(expected)
    assert "<script>" not in header and "&lt;script&gt;" in header


def test_the_kept_header_follows_the_person_and_the_root_path(app, login_as, db):
    from mentoring.permissions import Role

    person = login_as(Role.COORDINATOR, display_name="Dr Before")
    assert "Dr Before" in person.get("/home").get_data(as_text=True)
    user = db.session.get(type(person.user), person.user.id)
    user.display_name = "Dr <After>"
    db.session.commit()
    page = person.get("/home").get_data(as_text=True)
    assert "Dr &lt;After&gt;" in _header_of(page) and "Dr Before" not in page
    assert 'href="/relationships/"' not in _header_of(page)
    # A role given shows its link on the next page; the old header is not reused.
    from mentoring.auth.models import RoleGrant

    db.session.add(RoleGrant(user_id=user.id, role=Role.DOCTOR.value))
    db.session.commit()
    assert 'href="/relationships/"' in _header_of(person.get("/home").get_data(as_text=True))
    # Served under a root path, the links carry it.
    rooted = _header_of(person.get("/home", base_url="http://localhost/scheme").get_data(True))
    assert 'href="/scheme/home"' in rooted and 'action="/scheme/auth/logout"' in rooted


def test_the_kept_header_keeps_no_ones_name_and_gives_each_person_their_own(app, login_as):
    """Two people with the same roles share one kept header; each sees their own name (hostile
    text escaped, spaces trimmed as the template trims), and neither name is kept in the process."""
    from markupsafe import escape

    from mentoring.permissions import Role

    signed_in_header = app.jinja_env.globals["nhsuk_markup"].signed_in_header
    signed_in_header.cache_clear()
    first = login_as(Role.DOCTOR, display_name="  Dr First Kept  ")
    second = login_as(Role.DOCTOR, display_name=HOSTILE)
    one = _header_of(first.get("/home").get_data(as_text=True))
    other = _header_of(second.get("/home").get_data(as_text=True))
    assert "Dr First Kept" in one and "  Dr First Kept  " not in one
    assert "Dr First Kept" not in other
    assert str(escape(HOSTILE)) in other and "<script>" not in other
    assert _without_tokens(one).replace("Dr First Kept", "NAME") == _without_tokens(other).replace(
        str(escape(HOSTILE)), "NAME"
    )
    assert signed_in_header.parts.cache_info().currsize == 1  # one header for both people
    with app.test_request_context("/home"):
        kept = "".join(signed_in_header.parts("", "core.home", first.user.roles, True))
    assert signed_in_header.parts.cache_info().currsize == 1  # that was the kept one
    assert "Dr First Kept" not in kept and str(escape(HOSTILE)) not in kept
    assert "nhsuk-header" in kept


def test_the_kept_header_carries_each_requests_own_working_csrf_token(database_url, db):
    """With CSRF on: the sign-out form in a kept header holds the request's token, which signs out;
    a token altered is refused."""
    from mentoring import create_app
    from tests.conftest import sign_in
    from tests.factories import make_user

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True})
    person = make_user()
    db.session.commit()
    client = sign_in(app.test_client(), person)
    client.get("/home")  # rendered and kept
    page = client.get("/home").get_data(as_text=True)
    tokens = re.findall(r'name="csrf_token" value="([^"]+)"', _header_of(page))
    assert len(tokens) == 1
    refused = client.post("/auth/logout", data={"csrf_token": tokens[0][:-2] + "xx"})
    assert refused.status_code == 400
    assert client.get("/home").status_code == 200
    assert client.post("/auth/logout", data={"csrf_token": tokens[0]}).status_code in (302, 303)
    assert client.get("/home").status_code == 302
