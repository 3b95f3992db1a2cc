"""Signed, expiring links sent by email: confirm an address, reset a password, accept an invitation.

Each token names its purpose (a salt), so one kind cannot be used as another. Reset tokens
also carry a fingerprint of the account's password, which makes them single-use: once the password
has changed, the old link no longer matches.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

CONFIRM_EMAIL = "confirm-email"
RESET_PASSWORD = "reset-password"  # noqa: S105 - a salt name, not a password
INVITATION = "invitation"


class InvalidLink(Exception):
    """The link is broken, expired or already used."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    secrets = [current_app.config["SECRET_KEY"], *current_app.config["SECRET_KEY_FALLBACKS"]]
    # itsdangerous signs with the last key and accepts any: newest key last.
    return URLSafeTimedSerializer(list(reversed(secrets)), salt=purpose)


def fingerprint(*parts: str | None) -> str:
    joined = "\x1f".join(part or "" for part in parts)
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


def make_token(purpose: str, payload: dict[str, Any]) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, *, max_age_seconds: int) -> dict[str, Any]:
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age_seconds)
    except SignatureExpired as error:
        raise InvalidLink("This link has expired") from error
    except BadSignature as error:
        raise InvalidLink("This link is not valid") from error
    if not isinstance(payload, dict):
        raise InvalidLink("This link is not valid")
    return payload
