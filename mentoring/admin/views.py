"""Admins manage accounts, roles and invitations."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from mentoring.admin import services
from mentoring.admin.forms import AccountSearchForm, AuditSearchForm, InvitationForm, RolesForm
from mentoring.audit.queries import audit_search
from mentoring.auth import services as auth_services
from mentoring.auth.models import User
from mentoring.auth.services import user_by_email
from mentoring.core import unit_of_work
from mentoring.core.errors import ServiceError
from mentoring.core.forms import add_service_error
from mentoring.extensions import db
from mentoring.permissions import Permission, Role, load_or_404, may_change_roles, requires

bp = Blueprint("admin", __name__, url_prefix="/admin")

ACCOUNTS_PER_PAGE = 50
AUDIT_EVENTS_PER_PAGE = 100


@bp.route("/accounts")
@requires(Permission.MANAGE_ACCOUNTS)
def accounts():
    form = AccountSearchForm(request.args)
    query = select(User).order_by(User.email)
    if form.validate() and form.q.data:
        term = f"%{form.q.data.strip().lower()}%"
        query = query.where(or_(User.email.like(term), User.display_name.ilike(term)))
    page = db.paginate(query, per_page=ACCOUNTS_PER_PAGE, error_out=False)
    return render_template("admin/accounts.html", form=form, page=page)


@bp.route("/accounts/<int:user_id>", methods=["GET", "POST"])
@requires(Permission.MANAGE_ACCOUNTS)
def account(user_id: int):
    user = load_or_404(User, user_id, may_change_roles)
    form = RolesForm(data={"roles": sorted(user.roles)} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.roles_set(
                user=user,
                roles={Role(value) for value in form.roles.data},
                changed_by=current_user._get_current_object(),
            )
            unit_of_work.commit()
        except ServiceError as error:
            unit_of_work.rollback()
            add_service_error(form, error)
        else:
            flash(f"Roles for {user.email} saved.")
            return redirect(url_for("admin.account", user_id=user.id))
    status = 400 if form.errors else 200
    return render_template("admin/account.html", user=user, form=form), status


@bp.route("/invitations/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_ACCOUNTS)
def invite():
    form = InvitationForm()
    if form.validate_on_submit():
        try:
            auth_services.invitation_send(
                email=form.email.data,
                roles={Role(value) for value in form.roles.data},
                invited_by=current_user._get_current_object(),
            )
            unit_of_work.commit()
        except ServiceError as error:
            unit_of_work.rollback()
            add_service_error(form, error)
        else:
            flash(f"Invitation sent to {form.email.data}.")
            return redirect(url_for("admin.invite"))
    return render_template("admin/invite.html", form=form), 400 if form.errors else 200


@bp.route("/audit")
@requires(Permission.READ_AUDIT_LOG)
def audit_log():
    """Search the audit log by person and date. Entries can be read here, never changed."""
    form = AuditSearchForm(request.args)
    page = None
    if form.validate():
        actor_id = None
        if form.person.data:
            person = user_by_email(form.person.data)
            actor_id = person.id if person else -1
        query = audit_search(
            actor_id=actor_id, date_from=form.date_from.data, date_to=form.date_to.data
        )
        page = db.paginate(query, per_page=AUDIT_EVENTS_PER_PAGE, error_out=False, count=True)
    status = 400 if form.errors else 200
    return render_template("admin/audit.html", form=form, page=page), status
