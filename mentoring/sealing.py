"""Encryption at rest for confidential free text (request wishes, session notes, reflections).

Each value is sealed with AES-256-GCM under a key from `NOTE_ENCRYPTION_KEYS` (never SECRET_KEY).
The associated data names the table, the row and the field, so a ciphertext copied into another row
or field fails to open, and any change to it is detected.

Sealed layout: version (1 byte) | key id (8 bytes) | nonce (12 bytes) | ciphertext and tag.
The key id is a fingerprint of the key, so `flask notes rotate-key` can find what still uses an old
key, and old keys keep working for reading while they stay in the list (newest first).
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app

VERSION = b"\x01"
KEY_ID_BYTES = 8
NONCE_BYTES = 12
HEADER_BYTES = len(VERSION) + KEY_ID_BYTES + NONCE_BYTES


class SealError(Exception):
    """A sealed value could not be opened: tampered, moved to another row, or its key is gone."""


@dataclass(frozen=True)
class NoteKey:
    key_id: bytes
    cipher: AESGCM


def _decode_key(encoded: str) -> bytes:
    raw = base64.urlsafe_b64decode(encoded.encode())
    if len(raw) != 32:
        raise SealError("each note key must be 32 bytes")
    return raw


def key_id_of(raw_key: bytes) -> bytes:
    return hashlib.sha256(b"mentoring-note-key" + raw_key).digest()[:KEY_ID_BYTES]


def note_keys(encoded_keys: list[str] | None = None) -> list[NoteKey]:
    """The configured keys, newest (the one used for sealing) first."""
    encoded = (
        encoded_keys if encoded_keys is not None else current_app.config["NOTE_ENCRYPTION_KEYS"]
    )
    return list(_keys_of(tuple(encoded)))


@lru_cache(maxsize=8)
def _keys_of(encoded: tuple[str, ...]) -> tuple[NoteKey, ...]:
    """The keys of these encoded keys, decoded once for each list of keys rather than at every
    seal and unseal (a page may open a dozen sealed texts). Keyed by the keys themselves, so a
    changed `NOTE_ENCRYPTION_KEYS` (a rotation, or each test's app) is decoded afresh. An `AESGCM`
    keeps no state between calls, so threads share it."""
    keys = []
    for item in encoded:
        raw = _decode_key(item)
        keys.append(NoteKey(key_id=key_id_of(raw), cipher=AESGCM(raw)))
    if not keys:
        raise SealError("no note encryption key is configured")
    return tuple(keys)


def context(table: str, row_id: object, field: str) -> bytes:
    """The associated data that binds a sealed value to one field of one row."""
    return f"{table}/{row_id}/{field}".encode()


def seal(plaintext: str, *, bound_to: bytes, keys: list[NoteKey] | None = None) -> bytes:
    key = (keys or note_keys())[0]
    nonce = os.urandom(NONCE_BYTES)
    return VERSION + key.key_id + nonce + key.cipher.encrypt(nonce, plaintext.encode(), bound_to)


def unseal(sealed: bytes, *, bound_to: bytes, keys: list[NoteKey] | None = None) -> str:
    sealed = bytes(sealed)
    if len(sealed) < HEADER_BYTES or sealed[:1] != VERSION:
        raise SealError("not a sealed value")
    key_id = sealed[1 : 1 + KEY_ID_BYTES]
    nonce = sealed[1 + KEY_ID_BYTES : HEADER_BYTES]
    for key in keys or note_keys():
        if key.key_id == key_id:
            try:
                return key.cipher.decrypt(nonce, sealed[HEADER_BYTES:], bound_to).decode()
            except InvalidTag as error:
                raise SealError("sealed value was altered or belongs elsewhere") from error
    raise SealError("sealed with a key that is no longer configured")


def sealed_key_id(sealed: bytes) -> bytes:
    return bytes(sealed)[1 : 1 + KEY_ID_BYTES]


def reseal(sealed: bytes, *, bound_to: bytes, keys: list[NoteKey] | None = None) -> bytes | None:
    """The value sealed again under the newest key, or None if it already is."""
    keys = keys or note_keys()
    if sealed_key_id(sealed) == keys[0].key_id:
        return None
    return seal(unseal(sealed, bound_to=bound_to, keys=keys), bound_to=bound_to, keys=keys)


class SealedText:
    """A model attribute whose plaintext lives, sealed, in a binary column.

    `notes = SealedText("notes_sealed")` reads and writes `notes` as text while the database only
    ever holds `notes_sealed`. The row must have its id before a value is set: models with sealed
    text use client-side UUID primary keys for that reason.
    """

    registry: list[tuple[type, str, str]] = []

    def __init__(self, column: str) -> None:
        self.column = column

    def __set_name__(self, owner: type, name: str) -> None:
        self.field = name
        self.owner = owner
        SealedText.registry.append((owner, self.column, name))

    def _bound_to(self, instance) -> bytes:
        if instance.id is None:
            raise SealError("a row needs its id before sealed text is set")
        return context(instance.__tablename__, instance.id, self.field)

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        sealed = getattr(instance, self.column)
        if sealed is None:
            return None
        return unseal(sealed, bound_to=self._bound_to(instance))

    def opened(self, row_id: object, sealed: bytes | None) -> str | None:
        """The plaintext of this field for a row read as values (its id and this sealed column,
        not a model object), bound to the same table, row and field as the attribute."""
        if sealed is None:
            return None
        return unseal(sealed, bound_to=context(self.owner.__tablename__, row_id, self.field))

    def __set__(self, instance, value: str | None) -> None:
        sealed = None if value is None else seal(value, bound_to=self._bound_to(instance))
        setattr(instance, self.column, sealed)

    def sealed_for(self, model: type, row_id: object, value: str) -> bytes:
        """What setting this attribute to `value` on `model`'s row `row_id` would store in its
        column, for a row written without making the model's object (`row_id` must be set)."""
        if row_id is None:
            raise SealError("a row needs its id before sealed text is set")
        return seal(value, bound_to=context(model.__tablename__, row_id, self.field))


def sealed_fields() -> Iterator[tuple[type, str, str]]:
    """Every (model, column, field) holding sealed text, for key rotation."""
    yield from SealedText.registry
