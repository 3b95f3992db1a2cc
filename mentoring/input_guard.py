"""Input no form in the scheme can want, refused before any view sees it.

A NUL character cannot be stored in PostgreSQL text (the driver raises, which would be a server
error) and has no use in anything a person types, so any request carrying one in its form or
query string is refused with 400 here, once, rather than in every form.
"""

from __future__ import annotations

from itertools import chain

from flask import abort, request


def refuse_nul_characters() -> None:
    args, form = request.args, request.form
    if (args and _has_nul(args)) or (form and _has_nul(form)) or "\x00" in request.path:
        abort(400)


def _has_nul(values) -> bool:
    """Whether any value of a `MultiDict` holds a NUL. A `MultiDict` is a dict of each key's list
    of values: they are all looked through at once, rather than a function call each."""
    return "\x00" in "".join(chain.from_iterable(dict.values(values)))
