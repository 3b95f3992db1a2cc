"""A person's own data: see it, download it, delete the account."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_login import current_user, logout_user
from sqlalchemy.orm.exc import StaleDataError

from mentoring.audit.services import AuditAction, audit_record_now
from mentoring.core import unit_of_work
from mentoring.core.errors import ServiceError
from mentoring.core.forms import add_service_error
from mentoring.extensions import limiter
from mentoring.permissions import Permission, requires
from mentoring.privacy import services
from mentoring.privacy.forms import DeleteAccountForm

bp = Blueprint("privacy", __name__, url_prefix="/account")


def _per_address_limit() -> str:
    return current_app.config["SIGN_IN_LIMIT_PER_ADDRESS"]


@bp.route("/my-data")
@requires(Permission.USE_ACCOUNT)
def my_data():
    user = current_user._get_current_object()
    sections = services.personal_data_export(user=user)
    audit_record_now(action=AuditAction.DATA_EXPORTED, actor_id=user.id, detail="page")
    return render_template("privacy/my_data.html", sections=sections)


@bp.route("/my-data.json")
@requires(Permission.USE_ACCOUNT)
def my_data_json():
    user = current_user._get_current_object()
    sections = services.personal_data_export(user=user)
    audit_record_now(action=AuditAction.DATA_EXPORTED, actor_id=user.id, detail="json")
    body = json.dumps(
        {"service": current_app.config["SERVICE_NAME"], "sections": sections},
        indent=2,
        ensure_ascii=False,
    )
    # Same JSON, but no markup survives even if a browser were tricked into rendering it.
    for character, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        body = body.replace(character, escaped)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="my-data.json"'},
    )


@bp.route("/delete", methods=["GET", "POST"])
@requires(Permission.USE_ACCOUNT)
@limiter.limit(_per_address_limit, methods=["POST"], deduct_when=lambda r: r.status_code == 400)
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.account_delete(
                user=current_user._get_current_object(), password=form.password.data
            )
            unit_of_work.commit()
        except ServiceError as error:
            unit_of_work.rollback()
            add_service_error(form, error)
        except StaleDataError:
            # Mentoring of theirs changed at the same moment: nothing was deleted.
            unit_of_work.rollback()
            form.form_errors.append(
                "Something in your mentoring changed while your account was being deleted. "
                "Nothing was deleted: please try again"
            )
        else:
            logout_user()
            session.clear()
            flash("Your account has been deleted. Thank you for taking part in the scheme.")
            return redirect(url_for("core.index"))
    status = 200 if not form.errors else 400
    return render_template("privacy/delete_account.html", form=form), status
