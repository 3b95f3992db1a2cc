"""Mentors name people they supervise or assess; doctors name mentors to avoid.

Each person sees only their own declarations; nobody is told that someone named them.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from mentoring.conflicts import queries, services
from mentoring.conflicts.forms import ConflictForm
from mentoring.conflicts.models import ConflictOfInterest
from mentoring.core import unit_of_work
from mentoring.core.errors import ServiceError
from mentoring.core.forms import ConfirmForm, add_service_error
from mentoring.permissions import Permission, load_or_404, may_remove_conflict, requires

bp = Blueprint("conflicts", __name__, url_prefix="/conflicts")

PAGES = {
    "mentor": ("conflicts.supervised", "conflicts/supervised.html"),
    "doctor": ("conflicts.avoid", "conflicts/avoid.html"),
}


def _declarations_page(declared_as: str, declare):
    endpoint, template = PAGES[declared_as]
    form = ConflictForm()
    if form.validate_on_submit():
        try:
            declare(form.email.data)
            unit_of_work.commit()
        except ServiceError as error:
            unit_of_work.rollback()
            add_service_error(form, error)
        else:
            flash(f"{form.email.data.strip().lower()} added.")
            return redirect(url_for(endpoint))
    return render_template(
        template,
        form=form,
        declarations=queries.conflicts_declared_by(current_user.id, declared_as),
        remove_form=ConfirmForm(),
    ), 400 if form.errors else 200


@bp.route("/people-you-supervise", methods=["GET", "POST"])
@requires(Permission.MENTOR)
def supervised():
    mentor = current_user._get_current_object()
    return _declarations_page(
        "mentor",
        lambda email: services.conflict_declare_by_mentor(mentor=mentor, doctor_email=email),
    )


@bp.route("/mentors-to-avoid", methods=["GET", "POST"])
@requires(Permission.SEEK_MENTORING)
def avoid():
    doctor = current_user._get_current_object()
    return _declarations_page(
        "doctor",
        lambda email: services.conflict_declare_by_doctor(doctor=doctor, mentor_email=email),
    )


@bp.route("/<int:conflict_id>/remove", methods=["POST"])
@requires(Permission.USE_ACCOUNT)
def remove(conflict_id: int):
    conflict = load_or_404(ConflictOfInterest, conflict_id, may_remove_conflict)
    endpoint = PAGES[conflict.declared_as][0]
    if ConfirmForm().validate_on_submit():
        email = conflict.doctor_email if conflict.declared_as == "mentor" else conflict.mentor_email
        services.conflict_withdraw(conflict=conflict)
        unit_of_work.commit()
        flash(f"{email} removed.")
    return redirect(url_for(endpoint))
