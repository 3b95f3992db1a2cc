"""Designed error pages that say what to do next and leak nothing."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from mentoring.extensions import login_manager

ERROR_PAGES = {
    400: ("Sorry, there is a problem with that request", "errors/400.html"),
    403: ("You do not have access to this page", "errors/403.html"),
    404: ("Page not found", "errors/404.html"),
    405: ("Sorry, that did not work", "errors/400.html"),
    413: ("The file you chose is too big", "errors/400.html"),
    429: ("Too many attempts", "errors/429.html"),
    500: ("Sorry, there is a problem with the service", "errors/500.html"),
}


def render_error(status: int, *, detail: str | None = None):
    title, template = ERROR_PAGES.get(status, ERROR_PAGES[500 if status >= 500 else 400])
    return render_template(template, title=title, detail=detail, status=status), status


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            400,
            detail="The form had expired or was sent from somewhere else. Go back, refresh the "
            "page and try again.",
        )

    @app.errorhandler(401)
    def unauthorised(error):
        return login_manager.unauthorized()

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        app.logger.exception("unhandled error")
        from mentoring.core import unit_of_work

        unit_of_work.rollback()
        return render_error(500)
