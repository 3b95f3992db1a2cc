"""Coordinators: the queue of requests matching could not place, and whole-pool matching."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import InputRequired

from mentoring.core import unit_of_work
from mentoring.core.errors import ServiceError
from mentoring.core.forms import add_service_error
from mentoring.permissions import Permission, load_or_404, may_coordinate_request, requires
from mentoring.requests_ import coordination
from mentoring.requests_.forms import EmptyForm
from mentoring.requests_.models import MentoringRequest
from mentoring.requests_.presentation import request_summary
from mentoring.requests_.services import request_view_audited

bp = Blueprint("coordination", __name__, url_prefix="/coordinator")


class WidenForm(FlaskForm):
    drop_outside_department = BooleanField("Mentors from their own department are fine")
    drop_outside_organisation = BooleanField("Mentors from their own organisation are fine")
    drop_gender_preference = BooleanField("Any gender of mentor is fine")
    drop_more_senior_only = BooleanField("Mentors at any career stage are fine")
    drop_preferred_model = BooleanField("Any mentoring model is fine")
    doctor_agreed = BooleanField("The doctor has agreed to these changes")


class SuggestForm(FlaskForm):
    mentor_id = StringField(validators=[InputRequired("Choose a mentor")])


def _me():
    return current_user._get_current_object()


@bp.route("/requests")
@requires(Permission.COORDINATE_SCHEME)
def queue():
    waiting = coordination.coordinator_queue()
    return render_template(
        "coordination/queue.html",
        waiting=[(r.id, request_summary(r), r.unsuccessful_offers) for r in waiting],
    )


def _load(request_id: str) -> MentoringRequest:
    found = load_or_404(MentoringRequest, request_id, may_coordinate_request)
    request_view_audited(request=found, coordinator=_me())
    return found


def _render(found: MentoringRequest, widen_form=None, suggest_form=None, status=200):
    unit_of_work.commit()  # keeps the audit entry for this view
    return render_template(
        "coordination/request.html",
        request_id=found.id,
        summary=request_summary(found),
        unsuccessful_offers=found.unsuccessful_offers,
        mentors=coordination.mentors_for(found),
        widen_form=widen_form or WidenForm(),
        suggest_form=suggest_form or SuggestForm(),
        form=widen_form if widen_form is not None and widen_form.errors else suggest_form,
    ), status


@bp.route("/requests/<request_id>")
@requires(Permission.COORDINATE_SCHEME)
def request_detail(request_id: str):
    return _render(_load(request_id))


@bp.route("/requests/<request_id>/widen", methods=["POST"])
@requires(Permission.COORDINATE_SCHEME)
def widen(request_id: str):
    found = _load(request_id)
    form = WidenForm()
    if form.validate_on_submit():
        try:
            changes = coordination.preferences_widen(
                request=found,
                widening=coordination.Widening(
                    drop_outside_department=form.drop_outside_department.data,
                    drop_outside_organisation=form.drop_outside_organisation.data,
                    drop_gender_preference=form.drop_gender_preference.data,
                    drop_more_senior_only=form.drop_more_senior_only.data,
                    drop_preferred_model=form.drop_preferred_model.data,
                    doctor_agreed=form.doctor_agreed.data,
                ),
                coordinator=_me(),
            )
            unit_of_work.commit()
        except ServiceError as error:
            unit_of_work.rollback()
            add_service_error(form, error)
            found = _load(request_id)
        else:
            flash(f"Preferences widened ({len(changes)}). The doctor's suggestions are updated.")
            return redirect(url_for("coordination.request_detail", request_id=request_id))
    return _render(found, widen_form=form, status=400)


@bp.route("/requests/<request_id>/suggest", methods=["POST"])
@requires(Permission.COORDINATE_SCHEME)
def suggest(request_id: str):
    found = _load(request_id)
    form = SuggestForm()
    try:
        if not form.validate_on_submit() or not form.mentor_id.data.isdigit():
            raise ServiceError("Choose one of the mentors listed", field="mentor_id")
        coordination.mentor_suggest(
            request=found, mentor_id=int(form.mentor_id.data), coordinator=_me()
        )
        unit_of_work.commit()
    except ServiceError as error:
        unit_of_work.rollback()
        add_service_error(form, error)
        return _render(_load(request_id), suggest_form=form, status=400)
    flash("The mentor has been suggested. The doctor will choose.")
    return redirect(url_for("coordination.queue"))


@bp.route("/matching", methods=["GET", "POST"])
@requires(Permission.COORDINATE_SCHEME)
def matching():
    form = EmptyForm()
    proposals = None
    if form.validate_on_submit():
        proposals = coordination.pool_match(coordinator=_me())
        unit_of_work.commit()
    return render_template("coordination/matching.html", form=form, proposals=proposals)
