"""Mentors log supervision and ask for support; coordinators see and handle support requests."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mentoring.core import unit_of_work
from mentoring.core.errors import ServiceError
from mentoring.core.forms import ConfirmForm, add_service_error
from mentoring.core.vocabulary import SUPERVISION_KINDS
from mentoring.extensions import db
from mentoring.mentors import support_services as services
from mentoring.mentors.forms import SupervisionForm
from mentoring.mentors.models import SupervisionSession, SupportRequest
from mentoring.permissions import (
    Permission,
    load_or_404,
    may_handle_support_request,
    may_remove_supervision_entry,
    requires,
)

bp = Blueprint("mentor_support", __name__)


@bp.route("/mentor/supervision", methods=["GET", "POST"])
@requires(Permission.MENTOR)
def supervision():
    form = SupervisionForm()
    if form.validate_on_submit():
        try:
            services.supervision_log(
                mentor=current_user._get_current_object(),
                held_on=form.held_on.data,
                hours=form.hours.data,
                kind=form.kind.data,
            )
            unit_of_work.commit()
        except ServiceError as error:
            unit_of_work.rollback()
            add_service_error(form, error)
        else:
            flash("Session added to your supervision log.")
            return redirect(url_for("mentor_support.supervision"))
    entries = db.session.scalars(
        select(SupervisionSession)
        .where(SupervisionSession.mentor_id == current_user.id)
        .order_by(SupervisionSession.held_on.desc(), SupervisionSession.id.desc())
    ).all()
    return render_template(
        "mentors/supervision.html",
        form=form,
        entries=entries,
        remove_form=ConfirmForm(),
        open_request=services.open_support_request_of(current_user.id),
        kinds=dict(SUPERVISION_KINDS),
    ), 400 if form.errors else 200


@bp.route("/mentor/supervision/<int:entry_id>/delete", methods=["POST"])
@requires(Permission.MENTOR)
def supervision_remove(entry_id: int):
    entry = load_or_404(SupervisionSession, entry_id, may_remove_supervision_entry)
    if ConfirmForm().validate_on_submit():
        services.supervision_remove(entry=entry)
        unit_of_work.commit()
        flash("Session removed from your supervision log.")
    return redirect(url_for("mentor_support.supervision"))


@bp.route("/mentor/support", methods=["POST"])
@requires(Permission.MENTOR)
def ask_for_support():
    if ConfirmForm().validate_on_submit():
        services.support_request_create(mentor=current_user._get_current_object())
        unit_of_work.commit()
        flash("The scheme coordinators have been asked to get in touch with you.")
    return redirect(url_for("mentor_support.supervision"))


@bp.route("/coordinator/mentor-support")
@requires(Permission.COORDINATE_SCHEME)
def support_requests():
    requests = db.session.scalars(
        select(SupportRequest)
        .options(selectinload(SupportRequest.mentor))
        .order_by(SupportRequest.handled_at.is_not(None), SupportRequest.created_at.desc())
        .limit(200)
    ).all()
    return render_template(
        "mentors/support_requests.html", requests=requests, handle_form=ConfirmForm()
    )


@bp.route("/coordinator/mentor-support/<int:request_id>/handled", methods=["POST"])
@requires(Permission.COORDINATE_SCHEME)
def support_request_handled(request_id: int):
    support_request = load_or_404(SupportRequest, request_id, may_handle_support_request)
    if ConfirmForm().validate_on_submit():
        try:
            services.support_request_handle(
                support_request=support_request, coordinator=current_user._get_current_object()
            )
            unit_of_work.commit()
        except ServiceError as error:
            unit_of_work.rollback()
            flash(error.message)
        else:
            flash(f"Support request from {support_request.mentor.display_name} marked handled.")
    return redirect(url_for("mentor_support.support_requests"))
