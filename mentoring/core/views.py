"""The front door, each role's home page, health, and the design system's assets."""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    send_from_directory,
    url_for,
)
from flask_login import current_user
from sqlalchemy import text

from mentoring.extensions import db
from mentoring.permissions import Permission, Role, public, requires

bp = Blueprint("core", __name__)

ROLE_HEADINGS = {
    Role.DOCTOR: "Mentoring for you",
    Role.MENTOR: "Your mentoring",
    Role.COORDINATOR: "Running the scheme",
    Role.ADMIN: "Administration",
}


@bp.route("/")
@public
def index():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    return render_template("core/index.html")


@bp.route("/home")
@requires(Permission.USE_ACCOUNT)
def home():
    held = current_user.roles
    roles = [role for role in Role if role in held]
    return render_template("core/home.html", roles=roles, role_headings=ROLE_HEADINGS)


@bp.route("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        current_app.logger.exception("health check: database unreachable")
        db.session.rollback()
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return jsonify(status="ok" if status == 200 else "degraded", database=database), status


@bp.route("/assets/<path:filename>")
@public
def nhsuk_assets(filename: str):
    """The NHS.UK frontend's compiled CSS and JavaScript, icons and manifest, as installed by npm.

    The package keeps its compiled files at the top of its dist folder and its images under
    `assets/`; its CSS asks for both under one `/assets/` path.
    """
    root = Path(current_app.config["NHSUK_FRONTEND_DIR"])
    folder = root / "assets" if (root / "assets" / filename).is_file() else root
    return send_from_directory(folder, filename, max_age=86400)
