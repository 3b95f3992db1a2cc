"""Session logs on a model's template, and the mentee's updates to their action plan.

The log form and the action form are exempt from the site-wide CSRF check so that their own check,
with a token that lasts a working day, applies instead: if it still fails, the page comes back
with everything typed, and a fresh token, rather than an error page that loses the writing.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from urllib.parse import urlencode

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm.exc import StaleDataError

from mentoring.core import unit_of_work
from mentoring.core.errors import ServiceError
from mentoring.core.forms import add_service_error, commit_or_show_refusal
from mentoring.core.vocabulary import FORMATS, TOPICS, label
from mentoring.extensions import csrf, db
from mentoring.permissions import (
    Permission,
    load_or_404,
    may_log_session,
    may_read_private_reflection,
    may_read_relationship,
    may_read_session,
    may_update_action,
    refuse,
    requires,
)
from mentoring.relationships.forms import ActionUpdateForm, session_log_form_class
from mentoring.relationships.frameworks import all_models, model_of
from mentoring.relationships.models import MentoringRelationship
from mentoring.relationships.queries import note_read_record
from mentoring.relationships.session_models import ActionItem, SessionLog
from mentoring.relationships.session_services import (
    StaleEdit,
    action_update,
    session_log_record,
    session_log_update,
)
from mentoring.relationships.vocabulary import SIGNPOST_KINDS

bp = Blueprint("sessions", __name__, url_prefix="/relationships")
_STALE = StaleEdit(
    "This session log was changed while you were saving. Your text is below, with the saved "
    "version; check both, then save again"
)


def _me():
    return current_user._get_current_object()


def _today():
    from mentoring.directory.queries import local_now

    return local_now().date()


def _csrf_expired(form) -> bool:
    return "csrf_token" in form.errors


def _keep_writing(form) -> None:
    """A stale token must not cost the writing: say so; the page carries a fresh token."""
    if _csrf_expired(form):
        form.form_errors.append(
            "This page was open for a long time, so it needs saving again. Nothing you wrote "
            "has been lost: check it and save"
        )


@bp.route("/<relationship_id>/sessions/new", methods=["GET", "POST"])
@requires(Permission.MENTOR)
@csrf.exempt
def session_new(relationship_id: str):
    relationship = load_or_404(MentoringRelationship, relationship_id, may_log_session)
    if not relationship.is_active:
        flash("This relationship has ended: no more sessions can be logged.", "error")
        return redirect(url_for("relationships.detail", relationship_id=relationship.id))
    chosen = request.values.get("model") or relationship.model or "grow"
    model = model_of(chosen)
    if model is None:
        abort(404)
    if request.method == "GET":
        return _fresh_form(relationship, model)
    # POST (and HEAD, which renders the form as it stands, with no date).
    form = session_log_form_class(model)(format=relationship.meeting_format, held_on=None)
    if form.validate_on_submit():
        try:
            log = session_log_record(
                relationship=relationship, mentor=_me(), details=form.details(), today=_today()
            )
            unit_of_work.commit()
        except ServiceError as error:
            unit_of_work.rollback()
            add_service_error(form, error)
        else:
            flash("The session has been logged.")
            return redirect(
                url_for("sessions.session_detail", relationship_id=relationship.id, log_id=log.id)
            )
    _keep_writing(form)
    return _render_form(form, relationship, model, title="Log a session")


@cache
def _model_query(key: str) -> str:
    """`model=<key>` encoded as `url_for` encodes a query argument (werkzeug.urls._urlencode)."""
    return urlencode([("model", key)], safe="!$'()*,/:;?@")


def _model_links(relationship_id: str) -> dict[str, str]:
    """Each model's new-log address, as `url_for("sessions.session_new", relationship_id=...,
    model=key)` gives it: the address is built once and each model's query added to it."""
    base = url_for("sessions.session_new", relationship_id=relationship_id)
    return {model.key: f"{base}?{_model_query(model.key)}" for model in all_models()}


FIELDS_TEMPLATE = "relationships/session_fields.html"
KEPT_FIELDS = 256  # fresh forms' fields kept per application: root paths, models, days, formats
_KEPT = "session_log_fields"  # the app's extension holding them


def _session_macros():
    """templates/relationships/session_fields.html as a module: its macros, made once."""
    return current_app.jinja_env.get_template(FIELDS_TEMPLATE).module


def _session_fields(form) -> Markup:
    """The form's fields, date to save button, as templates/relationships/session_fields.html
    writes them."""
    return _session_macros().session_fields(form)


class _NoErrors:
    """What the page reads of a form that was not built: it has no errors (base.html, the
    status)."""

    errors: Mapping = MappingProxyType({})
    form_errors: tuple = ()


def _fresh_form(relationship, model):
    """A new log's form as a GET shows it, its fields rendered once and kept.

    A GET's form has no form data, so no errors: the day's date, the relationship's usual format,
    and everything else empty (the fields' defaults). Its fields (date to save button) show only
    those, the model's stages and the vocabularies: no one's name or writing, no token and no
    nonce (the CSRF token is written by `form_start`, outside them, with the page's own). So they
    are kept under what they show that can differ between requests: the root path, the model (and
    the very object, so a model registered again is rendered again), the date and the format (as
    the form's select reads it), and the template; and the WTForms form, whose fields only the
    rendering reads on a GET, is built only to render them. At most `KEPT_FIELDS` are kept per
    application; past that they are all dropped and kept afresh."""
    held_on = _today()
    meeting_format = relationship.meeting_format
    app = current_app._get_current_object()
    kept = app.extensions.get(_KEPT)
    if kept is None:
        kept = app.extensions[_KEPT] = {}
    key = (
        request.script_root,
        model.key,
        held_on,
        None if meeting_format is None else str(meeting_format),
    )
    # The template too (a template that reloads in development is rendered again once edited).
    template = current_app.jinja_env.get_template(FIELDS_TEMPLATE)
    entry = kept.get(key)
    if entry is not None and entry[0] is model and entry[1] is template:
        form, fields = _NoErrors, entry[2]
    else:
        form = session_log_form_class(model)(format=meeting_format, held_on=held_on)
        fields = template.module.session_fields(form)
        if len(kept) >= KEPT_FIELDS:
            kept.clear()
        kept[key] = (model, template, fields)
    return _render_form(form, relationship, model, title="Log a session", fields=fields)


def _render_form(form, relationship, model, *, title, log=None, saved=None, fields=None):
    """`fields`: the form's fields, if already rendered (`_fresh_form`)."""
    return render_template(
        "relationships/session_form.html",
        form=form,
        fields=_session_fields(form) if fields is None else fields,
        session_macros=_session_macros(),
        rel=relationship,
        model=model,
        models=all_models(),
        model_links=None if log else _model_links(relationship.id),
        title=title,
        log=log,
        saved=saved,
    ), (400 if form.errors or form.form_errors else 200)


def _load_log(relationship_id: str, log_id: str, check) -> SessionLog:
    log = load_or_404(SessionLog, log_id, check)
    if log.relationship_id != relationship_id:
        abort(404)
    return log


@bp.route("/<relationship_id>/sessions/<log_id>")
@requires(Permission.USE_ACCOUNT)
def session_detail(relationship_id: str, log_id: str):
    log = _load_log(relationship_id, log_id, may_read_session)
    relationship = log.relationship_
    model = model_of(log.model)
    show_reflection = may_read_private_reflection(current_user, log)
    note_read_record(
        actor_id=current_user.id,
        relationship_id=relationship.id,
        what=f"session_log:{log.id}" + (" with private reflection" if show_reflection else ""),
    )
    return render_template(
        "relationships/session_detail.html",
        log=log,
        rel=relationship,
        model=model,
        show_reflection=show_reflection,
        format_label=label(FORMATS, log.format),
        topic_labels=[label(TOPICS, t) for t in log.topics],
        signpost_labels=[label(SIGNPOST_KINDS, k) for k in log.signposts],
        may_change=relationship.mentor_id == current_user.id and relationship.is_active,
    )


@bp.route("/<relationship_id>/sessions/<log_id>/edit", methods=["GET", "POST"])
@requires(Permission.MENTOR)
@csrf.exempt
def session_edit(relationship_id: str, log_id: str):
    log = _load_log(relationship_id, log_id, may_read_private_reflection)
    relationship = log.relationship_
    if not relationship.is_active:
        flash("This relationship has ended: its session logs can no longer be changed.", "error")
        return redirect(
            url_for("sessions.session_detail", relationship_id=relationship.id, log_id=log.id)
        )
    model = model_of(log.model)
    if model is None:
        abort(404)
    form_class = session_log_form_class(model)
    if request.method == "GET":
        note_read_record(
            actor_id=current_user.id,
            relationship_id=relationship.id,
            what=f"session_log:{log.id} for editing",
        )
        form = form_class(data=form_class.data_from(log))
    else:
        form = form_class()
    saved = None
    if form.validate_on_submit():
        try:
            expected = int(form.version.data or 0)
            session_log_update(
                log=log,
                mentor=_me(),
                details=form.details(),
                expected_version=expected,
                today=_today(),
            )
            unit_of_work.commit()
        except (StaleEdit, StaleDataError) as error:
            # StaleDataError: another save landed between our check and our UPDATE.
            unit_of_work.rollback()
            db.session.refresh(log)
            add_service_error(form, error if isinstance(error, StaleEdit) else _STALE)
            saved = log
            form.version.data = str(log.version)  # saving again keeps what is typed now
        except ServiceError as error:
            unit_of_work.rollback()
            add_service_error(form, error)
        else:
            flash("The session log has been updated.")
            return redirect(
                url_for("sessions.session_detail", relationship_id=relationship.id, log_id=log.id)
            )
    _keep_writing(form)
    return _render_form(
        form, relationship, model, title="Change a session log", log=log, saved=saved
    )


@bp.route("/<relationship_id>/actions/<action_id>", methods=["GET", "POST"])
@requires(Permission.USE_ACCOUNT)
@csrf.exempt
def action(relationship_id: str, action_id: str):
    relationship = load_or_404(MentoringRelationship, relationship_id, may_read_relationship)
    item = db.session.get(ActionItem, action_id)
    if item is None or item.relationship_id != relationship.id:
        abort(404)
    if not may_update_action(current_user, item, relationship):
        refuse(record_type="action_item", record_id=action_id)
    form = ActionUpdateForm(
        data={"status": item.status, "reflection": item.mentee_reflection or ""}
        if request.method == "GET"
        else None
    )
    if request.method == "GET":
        note_read_record(
            actor_id=current_user.id, relationship_id=relationship.id, what=f"action:{item.id}"
        )
    if form.validate_on_submit() and commit_or_show_refusal(
        form,
        lambda: action_update(
            action=item,
            mentee=_me(),
            relationship=relationship,
            status=form.status.data,
            reflection=form.reflection.data or "",
        ),
    ):
        flash("Your action has been updated.")
        return redirect(url_for("relationships.detail", relationship_id=relationship.id))
    _keep_writing(form)
    return render_template("relationships/action.html", form=form, rel=relationship, item=item), (
        400 if form.errors or form.form_errors else 200
    )
