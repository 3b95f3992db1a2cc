"""The session cookie and the CSRF token, signed as Flask and Flask-WTF sign them, with less work.

Flask builds a new itsdangerous serializer for every request (and signer for every signature) and
derives its signing key from the secret key each time; Flask-WTF does the same for the CSRF
token. The serializers here are the same classes with the same settings, kept for the
application's life: each signer derives its keys once, and HMAC-SHA1 is computed by one call into
OpenSSL (`hmac.digest`) instead of through `hmac.new`. The signed values are byte for byte the same
(same keys, salts, key derivation, digest, payload, timestamp); the checks are the same: the
signature compared in constant time with every allowed key (SECRET_KEY_FALLBACKS), the cookie's
age against the session lifetime, and the CSRF token still checked by Flask-WTF's own
`validate_csrf`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os

from flask import Flask, current_app, g, session
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from itsdangerous.encoding import want_bytes
from itsdangerous.signer import HMACAlgorithm


class _OneCallHMACSHA1(HMACAlgorithm):
    """HMAC-SHA1 through `hmac.digest` (OpenSSL, one call): the same bytes as `hmac.new`'s."""

    def __init__(self) -> None:
        super().__init__(hashlib.sha1)

    def get_signature(self, key: bytes, value: bytes) -> bytes:
        return hmac.digest(key, value, "sha1")


class _KeptKeysSigner(TimestampSigner):
    """A TimestampSigner that derives each secret key's signing key once: the derivation depends
    on the secret key, salt, method and digest alone, all fixed for the signer's life."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        derive = super().derive_key
        self._derived = {key: derive(key) for key in self.secret_keys}

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        key = self.secret_keys[-1] if secret_key is None else want_bytes(secret_key)
        derived = self._derived.get(key)
        return super().derive_key(key) if derived is None else derived


class _KeptSerializer(URLSafeTimedSerializer):
    """A URLSafeTimedSerializer whose signers (one per salt) are made once and kept."""

    default_signer = _KeptKeysSigner

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._signers: dict[bytes, TimestampSigner] = {}

    def make_signer(self, salt: str | bytes | None = None) -> TimestampSigner:
        salt = want_bytes(self.salt if salt is None else salt)
        signer = self._signers.get(salt)
        if signer is None:
            signer = self._signers[salt] = super().make_signer(salt)
        return signer


class _TaggedJSON(TaggedJSONSerializer):
    """Flask's session payload format; read by `json.loads` untagging each object as it is decoded
    (innermost first, as Flask's own scan does) rather than by a second walk over the result."""

    def loads(self, value: str) -> object:
        return json.loads(value, object_hook=self.untag)


class KeptSigningSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, its serializer kept while the secret keys stay the same."""

    serializer = _TaggedJSON()

    def __init__(self) -> None:
        self._kept: tuple[tuple, URLSafeTimedSerializer] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        # Oldest first, the current key last, as Flask lists them for itsdangerous.
        keys = (*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key)
        kept = self._kept
        if kept is not None and kept[0] == keys:
            return kept[1]
        serializer = _KeptSerializer(
            list(keys),
            salt=self.salt,
            serializer=self.serializer,
            signer_kwargs={
                "key_derivation": self.key_derivation,
                "digest_method": self.digest_method,
                "algorithm": _OneCallHMACSHA1(),
            },
        )
        self._kept = (keys, serializer)
        return serializer


_CSRF_SALT = "wtf-csrf-token"
_csrf_serializers: dict[str | bytes, URLSafeTimedSerializer] = {}


def _csrf_serializer(secret_key: str | bytes) -> URLSafeTimedSerializer:
    serializer = _csrf_serializers.get(secret_key)
    if serializer is None:
        if len(_csrf_serializers) >= 8:  # keys of applications gone (tests): keep a few at most
            _csrf_serializers.clear()
        serializer = _csrf_serializers[secret_key] = _KeptSerializer(
            secret_key, salt=_CSRF_SALT, signer_kwargs={"algorithm": _OneCallHMACSHA1()}
        )
    return serializer


def generate_csrf() -> str:
    """Flask-WTF's `generate_csrf()` with its defaults: the same token (the session's raw token,
    made if missing, signed with WTF_CSRF_SECRET_KEY or SECRET_KEY and the time), cached for the
    request in `g` under the same name, so Flask-WTF's forms and this share one token."""
    config = current_app.config
    secret_key = config.get("WTF_CSRF_SECRET_KEY", config["SECRET_KEY"])
    field_name = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if secret_key is None or field_name is None:
        raise RuntimeError("A secret key and a field name are required to use CSRF.")
    request_globals = g._get_current_object()
    if field_name not in request_globals:
        serializer = _csrf_serializer(secret_key)
        signed_session = session._get_current_object()
        if field_name not in signed_session:
            signed_session[field_name] = _new_raw_token()
        try:
            token = serializer.dumps(signed_session[field_name])
        except TypeError:
            signed_session[field_name] = _new_raw_token()
            token = serializer.dumps(signed_session[field_name])
        setattr(request_globals, field_name, token)
    return request_globals.get(field_name)


def _new_raw_token() -> str:
    return hashlib.sha1(os.urandom(64)).hexdigest()  # noqa: S324  # nosec B324  # as Flask-WTF
