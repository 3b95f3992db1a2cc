"""The template environment: the design system's macros, escaping, and what every page can use."""

from __future__ import annotations

import os
from types import SimpleNamespace

from flask import Flask
from jinja2 import (
    ChainableUndefined,
    ChoiceLoader,
    FileSystemLoader,
    PackageLoader,
    select_autoescape,
)

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
            **{name: getattr(markup, name) for name in markup.NAMES},
        ),
        service_name=app.config["SERVICE_NAME"],
    )
