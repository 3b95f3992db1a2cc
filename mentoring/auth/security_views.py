"""The second sign-in step, second-factor set-up, re-entering a password, signing out everywhere
and changing email: the account's security settings."""

from __future__ import annotations

import segno
from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, logout_user
from markupsafe import Markup

from mentoring.audit.services import AuditAction, audit_record, audit_record_now
from mentoring.auth import email_change, second_factor
from mentoring.auth import session_policy as policy
from mentoring.auth.passwords import verify_password
from mentoring.auth.security_forms import (
    ChangeEmailForm,
    ConfirmPasswordForm,
    EmptyForm,
    EnrolSecondFactorForm,
    SecondFactorForm,
)
from mentoring.auth.tokens import InvalidLink
from mentoring.auth.views import _per_account_limit, _per_address_limit
from mentoring.core import unit_of_work
from mentoring.core.errors import ServiceError
from mentoring.core.forms import add_service_error
from mentoring.extensions import limiter
from mentoring.permissions import Permission, public, requires

bp = Blueprint("security", __name__)

WRONG_CODE = "Enter a correct code"
PENDING_ENROLMENT = "second_factor_enrolment"


def _pending_account_key() -> str:
    return f"second-factor:{session.get(policy.PENDING_USER)}:{request.remote_addr}"


def _current_account_key() -> str:
    return f"reauthenticate:{getattr(current_user, 'id', None)}:{request.remote_addr}"


def _refused(response) -> bool:
    return response.status_code == 400


def _safe_next(target: str | None) -> str:
    from mentoring.auth.views import _safe_next as safe

    return safe(target)


# --- the second step of signing in ----------------------------------------------------------------


@bp.route("/auth/two-factor", methods=["GET", "POST"])
@public
@limiter.limit(_per_address_limit, methods=["POST"], deduct_when=_refused)
@limiter.limit(
    _per_account_limit, methods=["POST"], key_func=_pending_account_key, deduct_when=_refused
)
def two_factor():
    user = policy.pending_user()
    if user is None:
        policy.end_second_factor_step()
        flash("Sign in again to continue.")
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        used = second_factor.second_factor_check(user=user, code=form.code.data)
        if used is not None:
            audit_record(action=AuditAction.SECOND_FACTOR_SUCCEEDED, actor_id=user.id, detail=used)
            unit_of_work.commit()
            next_url = policy.end_second_factor_step()
            policy.start_session(user)
            if used == "recovery code":
                left = second_factor.recovery_codes_left(user)
                flash(
                    f"You signed in with a recovery code. You have {left} left: "
                    "set up your authenticator again to get new ones."
                )
            return redirect(next_url)
        unit_of_work.rollback()
        if policy.pending_failed():
            policy.end_second_factor_step()
            flash("Too many wrong codes. Sign in again to continue.")
            return redirect(url_for("auth.login"))
        form.code.errors.append(WRONG_CODE)
    return render_template("auth/two_factor.html", form=form), 200 if not form.errors else 400


# --- asking for the password again ----------------------------------------------------------------


@bp.route("/account/confirm-password", methods=["GET", "POST"])
@requires(Permission.USE_ACCOUNT)
@limiter.limit(_per_address_limit, methods=["POST"], deduct_when=_refused)
@limiter.limit(
    _per_account_limit, methods=["POST"], key_func=_current_account_key, deduct_when=_refused
)
def confirm_password():
    form = ConfirmPasswordForm()
    next_url = _safe_next(request.args.get("next"))
    if form.validate_on_submit():
        if verify_password(current_user.password_hash, form.password.data):
            policy.mark_reauthenticated()
            return redirect(next_url)
        audit_record_now(action=AuditAction.REAUTHENTICATION_FAILED, actor_id=current_user.id)
        form.password.errors.append("Your password is not right")
    status = 200 if not form.errors else 400
    return render_template("auth/confirm_password.html", form=form), status


# --- setting up and removing the second factor ----------------------------------------------------


def _qr_svg(uri: str) -> Markup:
    """The QR code as an inline SVG drawn on the server: no script, nothing fetched."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, title="QR code for your authenticator app")
    # segno draws only rectangles from the URI's bits; the title is our constant. No user text.
    return Markup(svg)  # nosec B704  # noqa: S704


@bp.route("/account/two-factor", methods=["GET", "POST"])
@requires(Permission.USE_ACCOUNT)
@policy.recent_sign_in_required
def two_factor_setup():
    user = current_user._get_current_object()
    secret = session.get(PENDING_ENROLMENT)
    if not isinstance(secret, str):
        secret = session[PENDING_ENROLMENT] = second_factor.new_secret()
    form = EnrolSecondFactorForm()
    if form.validate_on_submit():
        if second_factor.code_matches_secret(secret, form.code.data):
            codes = second_factor.second_factor_enrol(user=user, secret=secret)
            unit_of_work.commit()
            session.pop(PENDING_ENROLMENT, None)
            policy.continue_session(user)
            return render_template("auth/recovery_codes.html", codes=codes)
        form.code.errors.append("The code does not match. Check the app's clock, and try again")
    uri = second_factor.provisioning_uri(secret=secret, email=user.email)
    return render_template(
        "auth/two_factor_setup.html",
        form=form,
        secret_groups=[secret[i : i + 4] for i in range(0, len(secret), 4)],
        uri=uri,
        qr_svg=_qr_svg(uri),
        replacing=second_factor.is_enrolled(user),
        required=second_factor.second_factor_required(user),
    ), 200 if not form.errors else 400


@bp.route("/account/two-factor/remove", methods=["POST"])
@requires(Permission.USE_ACCOUNT)
@policy.recent_sign_in_required
def two_factor_remove():
    user = current_user._get_current_object()
    if second_factor.second_factor_required(user):
        flash("Your role needs a second factor, so it cannot be removed. You can replace it.")
        return redirect(url_for("auth.account")), 303
    if EmptyForm().validate_on_submit():
        second_factor.second_factor_remove(user=user)
        unit_of_work.commit()
        flash("Your second factor has been removed.")
    return redirect(url_for("auth.account")), 303


# --- signing out everywhere -----------------------------------------------------------------------


@bp.route("/account/sign-out-everywhere", methods=["POST"])
@requires(Permission.USE_ACCOUNT)
def sign_out_everywhere():
    """Every other device is signed out at once; this one carries on with the new token."""
    user = current_user._get_current_object()
    if EmptyForm().validate_on_submit():
        user.rotate_session_token()
        audit_record(action=AuditAction.SIGNED_OUT_EVERYWHERE, actor_id=user.id)
        unit_of_work.commit()
        policy.continue_session(user)
        flash("Every other device signed in to your account has been signed out.")
    return redirect(url_for("auth.account")), 303


# --- changing email -------------------------------------------------------------------------------


@bp.route("/account/email", methods=["GET", "POST"])
@requires(Permission.USE_ACCOUNT)
@policy.recent_sign_in_required
@limiter.limit(_per_address_limit, methods=["POST"])
def email_change_request():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            email_change.email_change_request(
                user=current_user._get_current_object(), new_email=form.email.data
            )
            unit_of_work.commit()
        except ServiceError as error:
            unit_of_work.rollback()
            add_service_error(form, error)
        else:
            return render_template("auth/email_change_sent.html", email=form.email.data)
    status = 200 if not form.errors else 400
    return render_template("auth/email_change.html", form=form), status


@bp.route("/account/email/confirm/<token>", methods=["GET", "POST"])
@public
def email_change_confirm(token: str):
    """The link shows a button: mail scanners that follow links must not change the address."""
    try:
        user, new_email = email_change.email_change_check(token=token)
    except InvalidLink as error:
        return render_template("auth/invalid_link.html", message=str(error)), 400
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            email_change.email_change_confirm(token=token)
            unit_of_work.commit()
        except InvalidLink as error:
            unit_of_work.rollback()
            return render_template("auth/invalid_link.html", message=str(error)), 400
        logout_user()
        session.clear()
        flash("Your email address has changed. Sign in with your new address.")
        return redirect(url_for("auth.login"))
    return render_template("auth/email_change_confirm.html", form=form, new_email=new_email)
