"""Input no form in the scheme can want, refused before any view sees it.

A NUL character cannot be stored in PostgreSQL text (the driver raises, which would be a server
error) and has no use in anything a person types, so any request carrying one in its form or
query string is refused with 400 here, once, rather than in every form.
"""

from __future__ import annotations

from flask import abort, request


def refuse_nul_characters() -> None:
    for values in (request.args, request.form):
        for value in values.listvalues():
            if any("\x00" in item for item in value):
                abort(400)
    if "\x00" in request.path:
        abort(400)
