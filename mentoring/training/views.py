"""Mentors keep their training records; coordinators verify or return them."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from mentoring.core import unit_of_work
from mentoring.core.errors import ServiceError
from mentoring.core.forms import ConfirmForm, add_service_error
from mentoring.permissions import (
    Permission,
    load_or_404,
    may_manage_training_record,
    may_read_training_evidence,
    may_review_training_record,
    requires,
)
from mentoring.training import queries, services
from mentoring.training.evidence import evidence_delete, evidence_path
from mentoring.training.forms import ReviewForm, TrainingRecordEditForm, TrainingRecordForm
from mentoring.training.models import TrainingRecord

bp = Blueprint("training", __name__, url_prefix="/training")


def _details(form: TrainingRecordForm) -> services.TrainingDetails:
    return services.TrainingDetails(
        title=form.title.data,
        provider=form.provider.data,
        completed_on=form.completed_on.data,
        hours=form.hours.data,
        models=list(form.models.data or []),
        other_model_name=form.other_model_name.data,
    )


def _upload(form: TrainingRecordForm) -> services.EvidenceUpload | None:
    file = form.evidence.data
    if file is None or not getattr(file, "filename", None):
        return None
    return services.EvidenceUpload(stream=file.stream, filename=file.filename)


@bp.route("/")
@requires(Permission.MENTOR)
def records():
    return render_template(
        "training/records.html",
        records=queries.training_records_of(current_user.id),
        refresher=queries.refresher_of(current_user.id),
        today=date.today(),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.MENTOR)
def record_new():
    form = TrainingRecordForm()
    if form.validate_on_submit():
        try:
            services.training_record_create(
                mentor=current_user._get_current_object(),
                details=_details(form),
                evidence=_upload(form),
            )
            unit_of_work.commit()
        except ServiceError as error:
            unit_of_work.rollback()
            add_service_error(form, error)
        else:
            flash(f"{form.title.data} added. A coordinator will verify it.")
            return redirect(url_for("training.records"))
    status = 400 if form.errors else 200
    return render_template("training/record_form.html", form=form, record=None), status


@bp.route("/<int:record_id>/edit", methods=["GET", "POST"])
@requires(Permission.MENTOR)
def record_edit(record_id: int):
    record = load_or_404(TrainingRecord, record_id, may_manage_training_record)
    form = TrainingRecordEditForm(
        data={
            "title": record.title,
            "provider": record.provider,
            "completed_on": record.completed_on,
            "hours": record.hours,
            "models": record.models,
            "other_model_name": record.other_model_name,
        }
        if request.method == "GET"
        else None
    )
    if form.validate_on_submit():
        try:
            unused = services.training_record_update(
                record=record,
                details=_details(form),
                evidence=_upload(form),
                remove_evidence=form.remove_evidence.data,
            )
            unit_of_work.commit()
        except ServiceError as error:
            unit_of_work.rollback()
            add_service_error(form, error)
        else:
            evidence_delete(unused)
            flash(f"{record.title} saved. A coordinator will verify it again.")
            return redirect(url_for("training.records"))
    status = 400 if form.errors else 200
    return render_template("training/record_form.html", form=form, record=record), status


@bp.route("/<int:record_id>/delete", methods=["GET", "POST"])
@requires(Permission.MENTOR)
def record_delete(record_id: int):
    record = load_or_404(TrainingRecord, record_id, may_manage_training_record)
    form = ConfirmForm()
    if form.validate_on_submit():
        title = record.title
        unused = services.training_record_delete(record=record)
        unit_of_work.commit()
        evidence_delete(unused)
        flash(f"{title} removed.")
        return redirect(url_for("training.records"))
    return render_template("training/record_delete.html", form=form, record=record)


@bp.route("/<int:record_id>/evidence")
@requires(Permission.USE_ACCOUNT)
def evidence(record_id: int):
    record = load_or_404(TrainingRecord, record_id, may_read_training_evidence)
    if not record.evidence_file or not evidence_path(record.evidence_file).is_file():
        abort(404)
    response = send_file(
        evidence_path(record.evidence_file),
        mimetype=record.evidence_type,
        as_attachment=True,
        download_name=record.evidence_name,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/verification")
@requires(Permission.COORDINATE_SCHEME)
def verification_queue():
    return render_template(
        "training/verification_queue.html", records=queries.training_awaiting_verification()
    )


@bp.route("/verification/<int:record_id>", methods=["GET", "POST"])
@requires(Permission.COORDINATE_SCHEME)
def review(record_id: int):
    record = load_or_404(TrainingRecord, record_id, may_review_training_record)
    form = ReviewForm()
    if form.validate_on_submit():
        reviewer = current_user._get_current_object()
        try:
            if form.decision.data == "verify":
                services.training_record_verify(record=record, reviewer=reviewer)
            else:
                services.training_record_return(
                    record=record, reviewer=reviewer, reason=form.return_reason.data
                )
            unit_of_work.commit()
        except ServiceError as error:
            unit_of_work.rollback()
            add_service_error(form, error)
        else:
            done = "verified" if form.decision.data == "verify" else "returned to the mentor"
            flash(f"{record.title} for {record.mentor.display_name} {done}.")
            return redirect(url_for("training.verification_queue"))
    status = 400 if form.errors else 200
    return render_template("training/review.html", form=form, record=record), status
