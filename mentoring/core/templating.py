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


def placeholder(what: str) -> str:
    """A stand-in for a value in markup rendered once and kept (`cut_at`): random, so nothing a
    person writes can be taken for it, and of letters, digits and hyphens, so escaping leaves it
    as it is."""
    return f"{what}-{secrets.token_hex(16)}"


def cut_at(html: str, placeholders: tuple[str, ...], what: str) -> tuple[str, ...]:
    """`html` cut at each of `placeholders`, each of which it must hold once and in that order:
    the parts around them, one more than there are placeholders, for each request's own values to
    be put between. Anything else is a template that changed under its kept parts: an error."""
    parts = []
    rest = html
    for stand_in in placeholders:
        before, found, rest = rest.partition(stand_in)
        if not found or html.count(stand_in) != 1:
            raise RuntimeError(f"{what} must hold each of its values once, in order")
        parts.append(before)
    return (*parts, rest)


# How many signed-in headers an application keeps: one per root path, page and roles seen.
KEPT_HEADERS = 1024


def kept_signed_in_header(app: Flask):
    """`signed_in_header(token, user)`: the header of the signed-in person (`user`, by default
    `current_user`), with their name, and `token` in its sign-out form.

    templates/macros/signed_in_header.html builds it from the service name and the app's routes
    (the same for the application's life), the root path the app is served under, the endpoint
    (which navigation link is current), and the person's roles (`can`). Those, read on every
    request, are the key, so the header is rendered once per key and the markup kept
    (`KEPT_HEADERS` keys, least recently used dropped): a changed role is a new key and shows at
    once, and a person never gets a header made for other values. The person's name and the CSRF
    token, the parts that differ from person to person and request to request, are rendered as
    placeholders and each request's own put in their places, escaped and trimmed as the template
    wrote them; so no one's name is kept in the process after their request (an account deleted
    leaves nothing here). `cache_clear` empties it (tests that swap templates)."""
    name_placeholder, csrf_placeholder = placeholder("name"), placeholder("csrf")

    @lru_cache(maxsize=KEPT_HEADERS)
    def rendered(script_root, endpoint, roles, is_active) -> tuple[str, str, str]:
        # Rendered as base.html's block was, with the same context (`render_template` without its
        # signals: a part of the page being rendered, not a page of its own).
        context = {"name_placeholder": name_placeholder, "csrf_placeholder": csrf_placeholder}
        app.update_template_context(context)
        html = app.jinja_env.get_template("macros/signed_in_header.html").render(context)
        return cut_at(html.strip(), (name_placeholder, csrf_placeholder), "the signed-in header")

    def signed_in_header(token: str, user=None) -> Markup:
        # `user`: the signed-in person as the template has them (Flask-Login's `current_user`,
        # already looked up for the template's context), else looked up here.
        if user is None:
            user = current_user._get_current_object()
        this_request = request._get_current_object()
        before_name, between, after_token = rendered(
            this_request.script_root, this_request.endpoint, user.roles, user.is_active
        )
        # The kept parts are the template's output, already escaped; the name as `| trim` wrote it.
        name = escape(str(user.display_name or "").strip())
        return Markup("".join((before_name, name, between, escape(token), after_token)))  # nosec B704  # noqa: S704

    signed_in_header.cache_clear = rendered.cache_clear
    signed_in_header.parts = rendered  # the kept parts, by key (tests)
    return signed_in_header
