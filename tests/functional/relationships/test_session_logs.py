"""Session logs: built from the model's data, bad input refused whole, text escaped, edits safe."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from mentoring.auth.models import utcnow
from mentoring.extensions import db
from mentoring.permissions import Role
from mentoring.relationships.frameworks import (
    MentoringModel,
    NumberField,
    Stage,
    all_models,
    register_model,
    unregister_model,
)
from mentoring.relationships.session_models import ActionItem, SessionLog
from tests.conftest import sign_in
from tests.factories import make_user
from tests.functional.relationships.helpers import make_relationship, session_form


@pytest.fixture
def pair(app, db):
    mentor = make_user(roles=[Role.MENTOR, Role.DOCTOR])
    mentee = make_user(roles=[Role.DOCTOR])
    relationship = make_relationship(mentor=mentor, mentee=mentee, days_ago=10)
    return relationship, sign_in(app.test_client(), mentor), sign_in(app.test_client(), mentee)


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_each_model_is_data_with_ordered_stages_and_prompts():
    models = {model.key: model for model in all_models()}
    assert [s.label for s in models["grow"].stages][:3] == ["Goal", "Reality", "Options"]
    assert len(models["egan"].stages) == 3
    assert all(len(stage.steps) == 3 for stage in models["egan"].stages)
    assert [s.key for s in models["clear"].stages] == [
        "contract",
        "listen",
        "explore",
        "action",
        "review",
    ]
    scaling = models["oskar"].stage("scaling")
    assert scaling.numbers[0].minimum == 0 and scaling.numbers[0].maximum == 10
    for model in models.values():
        assert all(2 <= len(stage.prompts) <= 4 for stage in model.stages), model.key


def test_every_model_renders_its_stages_and_prompts(pair):
    relationship, as_mentor, _ = pair
    for model in all_models():
        page = as_mentor.get(
            f"/relationships/{relationship.id}/sessions/new?model={model.key}"
        ).get_data(as_text=True)
        for stage in model.stages:
            assert stage.label in page
            assert stage.prompts[0].replace("'", "&#39;") in page


def test_a_model_added_as_data_needs_no_new_code(pair):
    relationship, as_mentor, as_mentee = pair
    register_model(
        MentoringModel(
            key="test_stop",
            label="STOP (test)",
            stages=(
                Stage("step_back", "Step back", "Pause.", ("What is going on?", "What matters?")),
                Stage(
                    "think",
                    "Think",
                    "Consider.",
                    ("What are the options?", "Which fits?"),
                    numbers=(NumberField("energy", "Energy from 1 to 5", 1, 5),),
                ),
            ),
        )
    )
    try:
        url = f"/relationships/{relationship.id}/sessions/new?model=test_stop"
        page = as_mentor.get(url).get_data(as_text=True)
        assert "Step back" in page and "Energy from 1 to 5" in page
        data = session_form(
            model="test_stop", stage_step_back="Paused at last", stage_think_energy="3"
        )
        assert as_mentor.post(url, data=data).status_code == 302
        log = db.session.scalars(select(SessionLog)).one()
        assert log.model == "test_stop"
        assert log.note_for("think").number_value == 3
        shown = as_mentee.get(f"/relationships/{relationship.id}/sessions/{log.id}")
        assert "Paused at last" in shown.get_data(as_text=True)
        bad = session_form(model="test_stop", stage_think_energy="9")
        assert as_mentor.post(url, data=bad).status_code == 400
    finally:
        unregister_model("test_stop")


def _bad_cases(relationship):
    today = utcnow().date()
    began = relationship.started_at.date()
    return [
        (session_form(held_on=(today + timedelta(days=1)).isoformat()), "in the future"),
        (session_form(held_on=(began - timedelta(days=1)).isoformat()), "before the relationship"),
        (session_form(minutes="4"), "between 5 and 240"),
        (session_form(minutes="241"), "between 5 and 240"),
        (session_form(minutes="an hour"), "whole number"),
        (session_form(summary="x" * 5001), "5000 characters"),
        (session_form(stage_goal="x" * 5001), "5000 characters"),
        (session_form(action_0_text="", action_0_due=today.isoformat()), "Write what the action"),
        (session_form(topics=["astrology"]), "Choose only from the options"),
        (session_form(signposts=["a named person"]), "Choose only from the options"),
        (session_form("oskar", stage_scaling_rating="11"), "from 0 to 10"),
        (session_form(format="carrier_pigeon"), "Not a valid choice"),
    ]


def test_bad_input_gets_a_clear_message_and_writes_nothing(pair):
    relationship, as_mentor, _ = pair
    for data, message in _bad_cases(relationship):
        model = "oskar" if "stage_scaling_rating" in data else "grow"
        response = as_mentor.post(
            f"/relationships/{relationship.id}/sessions/new?model={model}", data=data
        )
        assert response.status_code == 400, message
        assert message in response.get_data(as_text=True), message
        assert _count(SessionLog) == 0 and _count(ActionItem) == 0, message


def test_a_stage_not_in_the_model_is_refused(pair):
    from mentoring.core.errors import ServiceError
    from mentoring.relationships.session_services import (
        SessionDetails,
        StageEntry,
        session_log_record,
    )

    relationship, _, _ = pair
    details = SessionDetails(
        held_on=utcnow().date(),
        minutes=30,
        format="video",
        model="grow",
        stages=[StageEntry(stage="scaling", notes="not a GROW stage")],
        topics=[],
        signposts=[],
        summary="",
        reflection="",
    )
    with pytest.raises(ServiceError, match="no stage called"):
        session_log_record(
            relationship=relationship,
            mentor=relationship.mentor,
            details=details,
            today=utcnow().date(),
        )
    db.session.rollback()
    assert _count(SessionLog) == 0


def test_an_unknown_model_is_not_found(pair):
    relationship, as_mentor, _ = pair
    url = f"/relationships/{relationship.id}/sessions/new?model=hypnosis"
    assert as_mentor.get(url).status_code == 404


XSS = '<script>alert("x")</script>'


def test_stored_script_comes_back_escaped_for_every_viewer(pair):
    relationship, as_mentor, as_mentee = pair
    base = f"/relationships/{relationship.id}"
    data = session_form(
        stage_goal=XSS, summary=XSS, reflection=XSS, action_0_text=XSS, action_0_due=""
    )
    assert as_mentor.post(f"{base}/sessions/new", data=data).status_code == 302
    log = db.session.scalars(select(SessionLog)).one()
    action = db.session.scalars(select(ActionItem)).one()
    as_mentee.post(f"{base}/actions/{action.id}", data={"status": "open", "reflection": XSS})
    agreement = {
        "model": "grow",
        "meeting_frequency": "monthly",
        "meeting_format": "video",
        "planned_sessions": "6",
        "notes": XSS,
        "confidentiality_understood": "y",
    }
    assert as_mentee.post(f"{base}/agreement", data=agreement).status_code == 302
    for client in (as_mentor, as_mentee):
        for url in (
            base,
            f"{base}/agreement",
            f"{base}/sessions/{log.id}",
            f"{base}/actions/{action.id}",
            f"{base}/sessions/{log.id}/edit",
        ):
            page = client.get(url).get_data(as_text=True)
            assert XSS not in page, url


def test_edit_from_a_stale_page_says_so_and_loses_nothing(pair):
    relationship, as_mentor, _ = pair
    base = f"/relationships/{relationship.id}"
    as_mentor.post(f"{base}/sessions/new", data=session_form(action_0_text=None, action_0_due=None))
    log = db.session.scalars(select(SessionLog)).one()
    edit = f"{base}/sessions/{log.id}/edit"
    first = session_form(
        version="1", summary="First tab's summary", action_0_text=None, action_0_due=None
    )
    second = session_form(
        version="1", summary="Second tab's careful summary", action_0_text=None, action_0_due=None
    )
    assert as_mentor.post(edit, data=first).status_code == 302
    response = as_mentor.post(edit, data=second)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "changed after you opened it" in page
    assert "Second tab&#39;s careful summary" in page  # what they typed, kept in the form
    assert "First tab&#39;s summary" in page  # and the saved version beside it
    db.session.expire_all()
    assert db.session.get(SessionLog, log.id).summary == "First tab's summary"
    # Saving again, having seen both, goes through.
    resend = session_form(
        version="2", summary="Merged summary", action_0_text=None, action_0_due=None
    )
    assert as_mentor.post(edit, data=resend).status_code == 302
    db.session.expire_all()
    assert db.session.get(SessionLog, log.id).summary == "Merged summary"


def test_actions_carry_across_sessions_on_one_page(pair):
    relationship, as_mentor, as_mentee = pair
    base = f"/relationships/{relationship.id}"
    as_mentor.post(f"{base}/sessions/new", data=session_form(action_0_text="First action"))
    as_mentor.post(
        f"{base}/sessions/new?model=clear",
        data=session_form("clear", action_0_text="Second action", stage_contract="Focus"),
    )
    for client in (as_mentor, as_mentee):
        page = client.get(base).get_data(as_text=True)
        assert "First action" in page and "Second action" in page
    action = db.session.scalars(select(ActionItem)).first()
    bad = as_mentee.post(f"{base}/actions/{action.id}", data={"status": "finished"})
    assert bad.status_code == 400
    assert as_mentor.post(f"{base}/actions/{action.id}", data={"status": "done"}).status_code == 403


def test_other_model_links_are_those_url_for_gives(app, pair):
    """The form's links to the other models and its own address are built from one address: the
    same as `url_for` with the model as a query argument, for any key a model may have."""
    from flask import url_for

    relationship, as_mentor, _ = pair
    odd = MentoringModel(
        key="a b&c/é+?",
        label="Odd <key>",
        stages=(Stage("one", "One", "First.", ("Why?", "How?")),),
    )
    register_model(odd)
    try:
        page = as_mentor.get(f"/relationships/{relationship.id}/sessions/new?model=grow")
        html = page.get_data(as_text=True)
        with app.test_request_context():
            expected = {
                model.key: url_for(
                    "sessions.session_new", relationship_id=relationship.id, model=model.key
                )
                for model in all_models()
            }
        assert page.status_code == 200
        for key, href in expected.items():
            shown = href.replace("&", "&amp;")
            if key == "grow":
                assert f'action="{shown}"' in html
            else:
                assert f'href="{shown}"' in html, key
        assert expected[odd.key].endswith("?model=a+b%26c/%C3%A9%2B?")  # an odd key, encoded
        chosen = as_mentor.get(expected[odd.key]).get_data(as_text=True)
        assert "Odd &lt;key&gt;" in chosen and "Why?" in chosen
    finally:
        unregister_model(odd.key)


def _kept_fields(app) -> dict:
    from mentoring.relationships import session_views

    return app.extensions.get(session_views._KEPT, {})


def _forget_kept_fields(app) -> None:
    from mentoring.relationships import session_views

    app.extensions.pop(session_views._KEPT, None)


def _without_tokens(html: str) -> str:
    html = re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', html)
    return re.sub(r'nonce="[^"]*"', 'nonce=""', html)


def test_a_new_log_form_s_fields_are_kept_once_and_hold_nothing_personal(app, login_as):
    """A GET of a new log's form renders its fields once per model, date and format: the page
    served from the kept fields is the page rendered afresh, and what is kept holds no token,
    no nonce, no one's name and nothing of the relationship but its usual format."""
    from mentoring.relationships.forms import session_log_form_class
    from mentoring.relationships.session_views import _session_fields, _today

    mentor = login_as(Role.MENTOR, Role.DOCTOR, display_name="Dr Kept-Mentor")
    mentee = login_as(Role.DOCTOR, display_name="Dr Kept-Mentee")
    relationship = make_relationship(
        mentor=mentor.user, mentee=mentee.user, meeting_format="phone", model="oskar"
    )
    base = f"/relationships/{relationship.id}/sessions/new"
    _forget_kept_fields(app)
    for model in all_models():
        url = f"{base}?model={model.key}"
        first = mentor.get(url)  # rendered, then kept
        kept = mentor.get(url)  # from what was kept
        _forget_kept_fields(app)
        afresh = mentor.get(url)  # rendered again
        assert first.status_code == kept.status_code == afresh.status_code == 200
        pages = [_without_tokens(r.get_data(as_text=True)) for r in (first, kept, afresh)]
        assert pages[0] == pages[1] == pages[2], model.key
        with app.test_request_context():
            form = session_log_form_class(model)(format="phone", held_on=_today())
            assert str(_session_fields(form)) in pages[1]
        assert '<option value="phone" selected>' in pages[1]
        assert f'value="{_today().isoformat()}"' in pages[1]
    _forget_kept_fields(app)
    mentor.get(base)  # the relationship's own model, OSKAR
    kept = _kept_fields(app)
    assert {key[1:] for key in kept} == {("oskar", _today(), "phone")}
    fields = "".join(str(html) for _model, _template, html in kept.values())
    page = mentor.get(base).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    nonce = re.search(r'nonce="([^"]+)"', page).group(1)
    for private in (token, nonce, "csrf_token", "nonce", "Kept-Mentor", "Kept-Mentee"):
        assert private not in fields, private
    assert relationship.id not in fields
    assert "<form" not in fields and "Scaling" in fields


def test_kept_fields_follow_the_format_the_date_the_root_path_and_the_model(app, pair, monkeypatch):
    from mentoring.relationships import session_views

    relationship, as_mentor, _ = pair
    url = f"/relationships/{relationship.id}/sessions/new?model=grow"
    _forget_kept_fields(app)
    assert '<option value="video" selected>' not in as_mentor.get(url).get_data(as_text=True)
    relationship.meeting_format = "video"
    db.session.commit()
    assert '<option value="video" selected>' in as_mentor.get(url).get_data(as_text=True)
    tomorrow = session_views._today() + timedelta(days=1)
    monkeypatch.setattr(session_views, "_today", lambda: tomorrow)
    assert f'value="{tomorrow.isoformat()}"' in as_mentor.get(url).get_data(as_text=True)
    prefixed = as_mentor.get(url, environ_overrides={"SCRIPT_NAME": "/under"})
    assert f'action="/under/relationships/{relationship.id}/sessions/new' in prefixed.get_data(
        as_text=True
    )
    assert {key[0] for key in _kept_fields(app)} == {"", "/under"}
    # A model registered again under the same key is rendered again.
    for label in ("First wording", "Second wording"):
        register_model(
            MentoringModel(
                key="test_again", label="Again", stages=(Stage("s", label, "P.", ("Q?", "R?")),)
            )
        )
        try:
            page = as_mentor.get(f"/relationships/{relationship.id}/sessions/new?model=test_again")
            assert label in page.get_data(as_text=True)
        finally:
            unregister_model("test_again")
    # Bounded: past `KEPT_FIELDS` entries the store starts again.
    monkeypatch.setattr(session_views, "KEPT_FIELDS", 2)
    for model in all_models():
        as_mentor.get(f"/relationships/{relationship.id}/sessions/new?model={model.key}")
        assert len(_kept_fields(app)) <= 2


def test_a_form_sent_back_with_errors_is_rendered_afresh_and_not_kept(app, pair):
    relationship, as_mentor, _ = pair
    url = f"/relationships/{relationship.id}/sessions/new?model=grow"
    _forget_kept_fields(app)
    as_mentor.get(url)
    before = dict(_kept_fields(app))
    sent = as_mentor.post(url, data=session_form(minutes="an hour", stage_goal="Typed <goal>"))
    assert sent.status_code == 400
    page = sent.get_data(as_text=True)
    assert "whole number" in page and "Typed &lt;goal&gt;" in page
    assert 'value="an hour"' in page
    assert _kept_fields(app) == before
    assert not any("Typed" in str(html) for _model, _template, html in before.values())
