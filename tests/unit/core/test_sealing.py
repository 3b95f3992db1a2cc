"""Sealed text: nothing readable at rest, tampering and moving refused, old keys still open."""

from __future__ import annotations

import base64
import os

import pytest

from mentoring.sealing import (
    SealedText,
    SealError,
    context,
    key_id_of,
    note_keys,
    reseal,
    seal,
    sealed_key_id,
    unseal,
)


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


@pytest.fixture
def keys():
    return note_keys([new_key()])


def test_sealed_text_holds_no_plaintext_and_opens_again(keys):
    secret = "I am thinking of leaving medicine"
    sealed = seal(secret, bound_to=context("session_log", "abc", "notes"), keys=keys)
    assert secret.encode() not in sealed
    assert b"leaving" not in sealed
    assert unseal(sealed, bound_to=context("session_log", "abc", "notes"), keys=keys) == secret


def test_sealing_twice_gives_different_bytes(keys):
    bound = context("t", 1, "f")
    assert seal("same", bound_to=bound, keys=keys) != seal("same", bound_to=bound, keys=keys)


def test_a_tampered_value_is_refused(keys):
    bound = context("t", 1, "f")
    sealed = bytearray(seal("the text", bound_to=bound, keys=keys))
    sealed[-1] ^= 0x01
    with pytest.raises(SealError):
        unseal(bytes(sealed), bound_to=bound, keys=keys)


@pytest.mark.parametrize(
    "elsewhere",
    [context("t", 2, "f"), context("t", 1, "other_field"), context("other_table", 1, "f")],
)
def test_a_value_copied_to_another_row_or_field_is_refused(keys, elsewhere):
    sealed = seal("the text", bound_to=context("t", 1, "f"), keys=keys)
    with pytest.raises(SealError):
        unseal(sealed, bound_to=elsewhere, keys=keys)


def test_old_keys_still_open_and_reseal_moves_to_the_newest():
    old, new = new_key(), new_key()
    bound = context("t", 1, "f")
    sealed_old = seal("kept", bound_to=bound, keys=note_keys([old]))
    rotated_keys = note_keys([new, old])
    assert unseal(sealed_old, bound_to=bound, keys=rotated_keys) == "kept"
    fresh = reseal(sealed_old, bound_to=bound, keys=rotated_keys)
    assert fresh is not None
    assert unseal(fresh, bound_to=bound, keys=note_keys([new])) == "kept"
    assert reseal(fresh, bound_to=bound, keys=rotated_keys) is None
    # Once the old key is removed, values sealed only under it cannot be read.
    with pytest.raises(SealError):
        unseal(sealed_old, bound_to=bound, keys=note_keys([new]))


def test_keys_must_be_32_bytes():
    with pytest.raises(SealError):
        note_keys([base64.urlsafe_b64encode(b"short").decode()])


def test_the_descriptor_reads_and_writes_plaintext_over_a_sealed_column(app):
    class Note:
        __tablename__ = "note"
        body = SealedText("body_sealed")

        def __init__(self, id):  # noqa: A002 - the model's primary key name
            self.id = id
            self.body_sealed = None

    with app.app_context():
        note = Note("id-1")
        note.body = "private reflection"
        assert b"private" not in note.body_sealed
        assert note.body == "private reflection"
        other = Note("id-2")
        other.body_sealed = note.body_sealed  # copied to another row
        with pytest.raises(SealError):
            _ = other.body
    SealedText.registry[:] = [entry for entry in SealedText.registry if entry[0] is not Note]


def test_sealed_for_stores_what_setting_the_attribute_stores(app):
    """A row written without its model's object (the pending check-in) is sealed as the model
    seals it: its attribute opens it, and it is bound to its own row and field."""
    import uuid

    from mentoring.checkins.models import PendingCheckIn

    with app.app_context():
        key = uuid.uuid4()
        sealed = PendingCheckIn.content.sealed_for(PendingCheckIn, key, "the content")
        row = PendingCheckIn(id=key, iso_year=2026, iso_week=1, content_sealed=sealed)
        assert row.content == "the content"
        bound = context(PendingCheckIn.__tablename__, key, "content")
        assert unseal(sealed, bound_to=bound) == "the content"
        with pytest.raises(SealError):  # another row's
            PendingCheckIn(id=uuid.uuid4(), content_sealed=sealed).content  # noqa: B018
        with pytest.raises(SealError):
            PendingCheckIn.content.sealed_for(PendingCheckIn, None, "no row yet")


def test_the_configured_keys_are_read_again_once_they_change(app, monkeypatch):
    """Keys are decoded once for each list of keys, not once for ever: a rotation that puts a new
    key first seals under it at once, and a key taken out of the list no longer opens anything."""
    old, new = new_key(), new_key()
    bound = context("t", 1, "f")
    with app.app_context():
        monkeypatch.setitem(app.config, "NOTE_ENCRYPTION_KEYS", [old])
        sealed_old = seal("kept", bound_to=bound)
        assert sealed_key_id(sealed_old) == key_id_of(base64.urlsafe_b64decode(old))

        monkeypatch.setitem(app.config, "NOTE_ENCRYPTION_KEYS", [new, old])
        sealed_new = seal("kept", bound_to=bound)
        assert sealed_key_id(sealed_new) == key_id_of(base64.urlsafe_b64decode(new))
        assert unseal(sealed_old, bound_to=bound) == "kept"

        monkeypatch.setitem(app.config, "NOTE_ENCRYPTION_KEYS", [new])
        assert unseal(sealed_new, bound_to=bound) == "kept"
        with pytest.raises(SealError):
            unseal(sealed_old, bound_to=bound)

        monkeypatch.setitem(app.config, "NOTE_ENCRYPTION_KEYS", [])
        with pytest.raises(SealError):
            seal("nowhere to go", bound_to=bound)
