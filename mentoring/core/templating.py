"""The template environment: the design system's macros, escaping, and what every page can use."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from types import SimpleNamespace

from flask import Flask, request
from flask_login import current_user
from jinja2 import (
    ChainableUndefined,
    ChoiceLoader,
    FileSystemLoader,
    PackageLoader,
    select_autoescape,
)
from markupsafe import Markup, escape

from mentoring.core import markup
from mentoring.core.forms import error_summary_items
from mentoring.permissions import Permission, Role


def register(app: Flask) -> None:
    # nhsuk-frontend-jinja's templates end in .jinja and expect chainable undefined parameters.
    # Escaping is on for everything but plain-text email, so the design system's macros escape too.
    app.jinja_options = {
        **app.jinja_options,
        "undefined": ChainableUndefined,
        "autoescape": select_autoescape(
            enabled_extensions=("html", "jinja", "xml", "svg"),
            disabled_extensions=("txt",),
            default_for_string=True,
            default=True,
        ),
        "loader": ChoiceLoader(
            [
                FileSystemLoader(os.path.join(app.root_path, app.template_folder)),
                PackageLoader("nhsuk_frontend_jinja"),
            ]
        ),
    }
    app.jinja_env.globals.update(
        Permission=Permission,
        Role=Role,
        # Markup written in Python, and the error summary's items, under one name: every
        # `{% from ... import %}` compares the importing template's globals with the imported
        # one's, so each global costs every page calls.
        nhsuk_markup=SimpleNamespace(
            error_summary_items=error_summary_items,
            signed_in_header=kept_signed_in_header(app),
            **{name: getattr(markup, name) for name in markup.NAMES},
        ),
        service_name=app.config["SERVICE_NAME"],
    )


# How many signed-in headers an application keeps: one per root path, page, name and roles seen.
KEPT_HEADERS = 1024


def kept_signed_in_header(app: Flask):
    """`signed_in_header(token)`: the header of the signed-in person, with `token` in its sign-out
    form.

    templates/macros/signed_in_header.html builds it from the service name and the app's routes
    (the same for the application's life), the root path the app is served under, the endpoint
    (which navigation link is current), and the person's name and roles (`can`). Those, read on
    every request, are the key, so the header is rendered once per key and the markup kept
    (`KEPT_HEADERS` keys, least recently used dropped): a changed name or role is a new key and
    shows at once, and a person never gets a header made for other values. The CSRF token, the one
    part that changes on every request, is rendered as a placeholder and each request's own token
    put in its place, escaped as the template escaped it. `cache_clear` empties it (tests that swap
    templates)."""
    placeholder = f"csrf-{secrets.token_hex(16)}"

    @lru_cache(maxsize=KEPT_HEADERS)
    def rendered(script_root, endpoint, display_name, roles, is_active) -> tuple[str, str]:
        # Rendered as base.html's block was, with the same context (`render_template` without its
        # signals: a part of the page being rendered, not a page of its own).
        context = {"csrf_placeholder": placeholder}
        app.update_template_context(context)
        html = app.jinja_env.get_template("macros/signed_in_header.html").render(context)
        before, found, after = html.strip().partition(placeholder)
        if not found or placeholder in after:
            raise RuntimeError("the signed-in header must hold its CSRF token exactly once")
        return before, after

    def signed_in_header(token: str) -> Markup:
        user = current_user._get_current_object()
        before, after = rendered(
            request.script_root, request.endpoint, user.display_name, user.roles, user.is_active
        )
        # `before` and `after` are the template's output, already escaped.
        return Markup(before) + escape(token) + Markup(after)  # nosec B704  # noqa: S704

    signed_in_header.cache_clear = rendered.cache_clear
    return signed_in_header
