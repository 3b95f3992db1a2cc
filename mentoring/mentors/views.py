"""A mentor's status, profile, pause and appraisal record."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from mentoring.core import unit_of_work
from mentoring.core.errors import ServiceError
from mentoring.core.forms import ConfirmForm, add_service_error, choices_of
from mentoring.core.vocabulary import DAYS_OF_WEEK, MENTORING_MODELS, TIME_SLOTS
from mentoring.extensions import db
from mentoring.mentors import appraisal, queries, services
from mentoring.mentors.forms import AppraisalForm, PauseForm, ProfileForm
from mentoring.mentors.models import MentorProfile
from mentoring.permissions import Permission, requires
from mentoring.training.queries import refresher_of, trained_models_of, verified_models_of

bp = Blueprint("mentors", __name__, url_prefix="/mentor")


@bp.route("/")
@requires(Permission.MENTOR)
def status():
    today = date.today()
    return render_template(
        "mentors/status.html",
        status=queries.mentor_status(current_user, on=today),
        refresher=refresher_of(current_user.id),
        today=today,
        pause_form=ConfirmForm(),
    )


def _profile_form(profile: MentorProfile | None) -> ProfileForm:
    data = None
    if request.method == "GET" and profile is not None:
        data = {
            "career_stage": profile.career_stage,
            "specialty": profile.specialty,
            "organisation": profile.organisation,
            "department": profile.department,
            "bio": profile.bio,
            "capacity": profile.capacity,
            "gender": profile.gender or "",
            "formats": sorted(profile.formats),
            "topics": sorted(profile.topics),
            "models": sorted(profile.models),
            "slots": sorted(profile.slots),
        }
    form = ProfileForm(data=data)
    trained = trained_models_of(current_user.id)
    form.models.choices = choices_of(
        (value, text) for value, text in MENTORING_MODELS if value in trained
    )
    return form


@bp.route("/profile", methods=["GET", "POST"])
@requires(Permission.MENTOR)
def profile():
    existing = db.session.get(MentorProfile, current_user.id)
    form = _profile_form(existing)
    if form.validate_on_submit():
        details = services.ProfileDetails(
            career_stage=form.career_stage.data,
            specialty=form.specialty.data,
            organisation=form.organisation.data,
            department=form.department.data,
            bio=form.bio.data,
            capacity=form.capacity.data,
            gender=form.gender.data or None,
            formats=list(form.formats.data or []),
            topics=list(form.topics.data or []),
            models=list(form.models.data or []),
            slots=list(form.slots.data or []),
        )
        try:
            services.profile_save(mentor=current_user._get_current_object(), details=details)
            unit_of_work.commit()
        except ServiceError as error:
            unit_of_work.rollback()
            add_service_error(form, error)
        else:
            flash("Your mentor profile is saved.")
            return redirect(url_for("mentors.status"))
    status_code = 400 if form.errors else 200
    return render_template(
        "mentors/profile.html",
        form=form,
        verified_models=verified_models_of(current_user.id),
        days=DAYS_OF_WEEK,
        time_slots=TIME_SLOTS,
    ), status_code


@bp.route("/pause", methods=["GET", "POST"])
@requires(Permission.MENTOR)
def pause():
    form = PauseForm()
    if form.validate_on_submit():
        try:
            services.mentor_pause(mentor=current_user._get_current_object(), until=form.until.data)
            unit_of_work.commit()
        except ServiceError as error:
            unit_of_work.rollback()
            add_service_error(form, error)
        else:
            flash("Mentoring paused. You will not be offered new mentees until you resume.")
            return redirect(url_for("mentors.status"))
    return render_template("mentors/pause.html", form=form), 400 if form.errors else 200


@bp.route("/resume", methods=["POST"])
@requires(Permission.MENTOR)
def resume():
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.mentor_resume(mentor=current_user._get_current_object())
            unit_of_work.commit()
        except ServiceError as error:
            unit_of_work.rollback()
            flash(error.message)
        else:
            flash("Welcome back. You can be offered new mentees again.")
    return redirect(url_for("mentors.status"))


def _appraisal_period() -> tuple[AppraisalForm, date, date] | tuple[AppraisalForm, None, None]:
    today = date.today()
    if "start" not in request.args and "end" not in request.args:
        form = AppraisalForm(data={"start": today - timedelta(days=365), "end": today})
        return form, form.start.data, form.end.data
    form = AppraisalForm(request.args)
    if form.validate():
        return form, form.start.data, form.end.data
    return form, None, None


@bp.route("/appraisal")
@requires(Permission.MENTOR)
def appraisal_record():
    form, start, end = _appraisal_period()
    record = appraisal.appraisal_record(current_user.id, start, end) if start else None
    return render_template(
        "mentors/appraisal.html",
        form=form,
        record=record,
        no_session_logs=appraisal.NO_SESSION_LOGS,
        today=date.today(),
    ), 400 if form.errors else 200


@bp.route("/appraisal/download")
@requires(Permission.MENTOR)
def appraisal_download():
    form, start, end = _appraisal_period()
    if start is None:
        return redirect(url_for("mentors.appraisal_record", **request.args))
    record = appraisal.appraisal_record(current_user.id, start, end)
    body = appraisal.appraisal_csv(record, mentor_name=current_user.display_name)
    filename = f"mentoring-appraisal-record-{start.isoformat()}-to-{end.isoformat()}.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
        },
    )
