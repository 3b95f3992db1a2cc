"""Rotating SECRET_KEY: sessions and emailed links signed with the old key keep working while it
is in SECRET_KEY_FALLBACKS, and stop once it is removed. Production refuses unsafe key lists."""

from __future__ import annotations

import pytest

from config import DEVELOPMENT_SECRET_KEY, ConfigurationError, ProductionConfig
from mentoring import create_app
from tests.conftest import IsolatedClient, sign_in
from tests.factories import make_user

OLD_KEY = "old-session-secret-" + "a" * 32
NEW_KEY = "new-session-secret-" + "b" * 32
NOTE_KEY = "bm90ZS1rZXktZm9yLXRlc3RzLW9ubHktMzItYnl0ZXM="


def app_with(database_url, secret: str, fallbacks: list[str] | None = None):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": secret,
            "SECRET_KEY_FALLBACKS": fallbacks or [],
        }
    )
    app.test_client_class = IsolatedClient
    return app


def test_a_session_signed_with_the_old_key_survives_rotation(database_url, db):
    person = make_user()
    db.session.commit()
    before = app_with(database_url, OLD_KEY)
    client = sign_in(before.test_client(), person)
    assert client.get("/home").status_code == 200
    cookie = client.get_cookie("mentoring_session").value

    rotating = app_with(database_url, NEW_KEY, [OLD_KEY]).test_client()
    rotating.set_cookie("mentoring_session", cookie)
    assert rotating.get("/home").status_code == 200

    rotated = app_with(database_url, NEW_KEY).test_client()
    rotated.set_cookie("mentoring_session", cookie)
    assert rotated.get("/home").status_code == 302


def test_an_emailed_link_signed_with_the_old_key_survives_rotation(database_url, db, outbox):
    make_user(email="rotate@nhs.net")
    db.session.commit()
    before = app_with(database_url, OLD_KEY)
    before.test_client().post("/auth/forgot-password", data={"email": "rotate@nhs.net"})
    link = outbox_of_app(before)[-1].body.split("http://localhost")[1].split()[0]

    assert app_with(database_url, NEW_KEY, [OLD_KEY]).test_client().get(link).status_code == 200
    assert app_with(database_url, NEW_KEY).test_client().get(link).status_code == 400


def outbox_of_app(app):
    from tests.conftest import outbox_of

    return outbox_of(app)


STRONG = {"SQLALCHEMY_DATABASE_URI": "postgresql://x/y", "NOTE_ENCRYPTION_KEYS": [NOTE_KEY]}


@pytest.mark.parametrize(
    ("fallbacks", "message"),
    [
        ([NEW_KEY], "SECRET_KEY_FALLBACKS repeats SECRET_KEY"),
        ([DEVELOPMENT_SECRET_KEY], "contains the development secret"),
        (["short"], "32 characters or more"),
    ],
)
def test_production_refuses_unsafe_fallback_keys(fallbacks, message):
    config = {**STRONG, "SECRET_KEY": NEW_KEY, "SECRET_KEY_FALLBACKS": fallbacks}
    with pytest.raises(ConfigurationError, match=message):
        ProductionConfig.check(config)


def test_production_accepts_a_rotation_in_progress():
    ProductionConfig.check({**STRONG, "SECRET_KEY": NEW_KEY, "SECRET_KEY_FALLBACKS": [OLD_KEY]})


def test_note_key_rotation_reseals_authenticator_secrets(app, db, monkeypatch):
    import base64
    import os

    from mentoring.auth.second_factor import SecondFactor
    from mentoring.notes_rotation import rotate_note_keys
    from mentoring.sealing import key_id_of, sealed_key_id
    from tests.factories import FACTORY_TOTP_SECRET

    person = make_user(second_factor=True)
    db.session.commit()
    old_keys = list(app.config["NOTE_ENCRYPTION_KEYS"])
    new_key = base64.urlsafe_b64encode(os.urandom(32)).decode()
    monkeypatch.setitem(app.config, "NOTE_ENCRYPTION_KEYS", [new_key, *old_keys])
    assert rotate_note_keys(batch_size=10, progress=lambda _: None) >= 1

    monkeypatch.setitem(app.config, "NOTE_ENCRYPTION_KEYS", [new_key])
    db.session.expire_all()
    factor = db.session.get(SecondFactor, person.id)
    assert sealed_key_id(factor.secret_sealed) == key_id_of(base64.urlsafe_b64decode(new_key))
    assert factor.secret == FACTORY_TOTP_SECRET
