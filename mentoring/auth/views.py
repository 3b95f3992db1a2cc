"""Signing in and out, registering, confirming, invitations and passwords."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, logout_user
from sqlalchemy.exc import IntegrityError

from mentoring.auth import second_factor, services, session_policy
from mentoring.auth.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
)
from mentoring.auth.tokens import InvalidLink
from mentoring.core import unit_of_work
from mentoring.core.errors import ServiceError
from mentoring.core.forms import add_service_error
from mentoring.extensions import limiter
from mentoring.permissions import Permission, public, requires

bp = Blueprint("auth", __name__, url_prefix="/auth")

WRONG_CREDENTIALS = "Enter a correct email address and password"


def _per_address_limit() -> str:
    return current_app.config["SIGN_IN_LIMIT_PER_ADDRESS"]


def _per_account_limit() -> str:
    return current_app.config["SIGN_IN_LIMIT_PER_ACCOUNT"]


def _account_key() -> str:
    """One account tried from one address. Keyed on both, so failures a stranger causes from
    elsewhere never block the real person at their own address (README, 'Sign-in backoff')."""
    email = services.normalise_email(request.form.get("email", ""))[:254]
    return f"account:{email}|{request.remote_addr}"


def _failed_sign_in(response) -> bool:
    # A successful sign-in redirects; only failures count towards the limits.
    return response.status_code != 302


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so a crafted link cannot send someone elsewhere after sign-in."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and "\\" not in target:
            return target
    return url_for("core.home")


def _start_session(user) -> None:
    session_policy.start_session(user)


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_per_address_limit, methods=["POST"], deduct_when=_failed_sign_in)
@limiter.limit(
    _per_account_limit, methods=["POST"], key_func=_account_key, deduct_when=_failed_sign_in
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(email=form.email.data, password=form.password.data)
        if user is not None and second_factor.is_enrolled(user):
            session_policy.begin_second_factor_step(user, _safe_next(request.args.get("next")))
            return redirect(url_for("security.two_factor"))
        if user is not None:
            _start_session(user)
            return redirect(_safe_next(request.args.get("next")))
        form.form_errors.append(WRONG_CREDENTIALS)
    return render_template("auth/login.html", form=form), 200 if not form.errors else 400


@bp.route("/logout", methods=["POST"])
@requires(Permission.USE_ACCOUNT)
def logout():
    services.sign_out_everywhere(user=current_user._get_current_object())
    unit_of_work.commit()
    logout_user()
    session.clear()
    flash("You have signed out.")
    return redirect(url_for("auth.login"))


@bp.route("/register", methods=["GET", "POST"])
@public
@limiter.limit(_per_address_limit, methods=["POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            services.account_register(
                email=form.email.data,
                display_name=form.display_name.data,
                password=form.password.data,
            )
            unit_of_work.commit()
        except ServiceError as error:
            unit_of_work.rollback()
            add_service_error(form, error)
        except IntegrityError:
            # Someone registered the same address a moment ago: same answer as any existing one.
            unit_of_work.rollback()
            return render_template("auth/check_email.html", email=form.email.data)
        else:
            return render_template("auth/check_email.html", email=form.email.data)
    return render_template("auth/register.html", form=form), 200 if not form.errors else 400


@bp.route("/confirm/<token>")
@public
def confirm_email(token: str):
    """Following the link proves the address; following it again changes nothing."""
    try:
        services.email_confirm(token=token)
        unit_of_work.commit()
    except InvalidLink as error:
        return render_template("auth/invalid_link.html", message=str(error)), 400
    flash("Your email address is confirmed. You can now sign in.")
    return redirect(url_for("auth.login"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@public
@limiter.limit(_per_address_limit, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.password_reset_request(email=form.email.data)
        unit_of_work.commit()
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/forgot_password.html", form=form), 200 if not form.errors else 400


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    try:
        services.password_reset_check(token=token)
    except InvalidLink as error:
        return render_template("auth/invalid_link.html", message=str(error)), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.password_reset(token=token, password=form.password.data)
            unit_of_work.commit()
        except ServiceError as error:
            unit_of_work.rollback()
            add_service_error(form, error)
        else:
            logout_user()
            flash("Your password has been changed. Sign in with your new password.")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form), 200 if not form.errors else 400


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str):
    try:
        email, roles = services.invitation_read(token=token)
    except InvalidLink as error:
        return render_template("auth/invalid_link.html", message=str(error)), 400
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            user = services.invitation_accept(
                token=token, display_name=form.display_name.data, password=form.password.data
            )
            unit_of_work.commit()
        except ServiceError as error:
            unit_of_work.rollback()
            add_service_error(form, error)
        except IntegrityError:
            unit_of_work.rollback()
            message = "This invitation has already been accepted. Sign in instead"
            return render_template("auth/invalid_link.html", message=message), 400
        else:
            _start_session(user)
            flash("Welcome. Your account is ready.")
            return redirect(url_for("core.home"))
    status = 200 if not form.errors else 400
    return render_template(
        "auth/accept_invitation.html", form=form, email=email, roles=sorted(roles)
    ), status


def _account_page(form: ChangePasswordForm):
    user = current_user._get_current_object()
    account_security = {
        "enrolled": second_factor.is_enrolled(user),
        "required": second_factor.second_factor_required(user),
        "recovery_codes_left": second_factor.recovery_codes_left(user),
    }
    return render_template("auth/account.html", form=form, account_security=account_security)


@bp.route("/account", methods=["GET"])
@requires(Permission.USE_ACCOUNT)
def account():
    return _account_page(ChangePasswordForm())


@bp.route("/account/password", methods=["POST"])
@requires(Permission.USE_ACCOUNT)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.password_change(
                user=current_user._get_current_object(),
                current_password=form.current_password.data,
                new_password=form.new_password.data,
            )
            unit_of_work.commit()
        except ServiceError as error:
            unit_of_work.rollback()
            add_service_error(form, error)
        else:
            # The session token rotated with the password: sign in again on this device only.
            _start_session(current_user._get_current_object())
            flash("Your password has been changed. Other devices have been signed out.")
            return redirect(url_for("auth.account"))
    return _account_page(form), 400
