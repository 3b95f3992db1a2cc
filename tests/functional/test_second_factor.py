"""The second factor: setting it up, signing in with it, recovery codes, and who must have one."""

from __future__ import annotations

import re
from datetime import datetime

import pyotp
import pytest
from sqlalchemy import func, select

from mentoring.audit.models import AuditEvent
from mentoring.auth import session_policy
from mentoring.auth.second_factor import RecoveryCode, SecondFactor
from mentoring.permissions import Role
from tests.factories import FACTORY_PASSWORD, FACTORY_TOTP_SECRET, make_user


def actions(db, user_id=None) -> list[str]:
    db.session.expire_all()
    query = select(AuditEvent.action).order_by(AuditEvent.id)
    if user_id is not None:
        query = query.where(AuditEvent.actor_id == user_id)
    return list(db.session.scalars(query))


def code_now(secret: str = FACTORY_TOTP_SECRET, offset_steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(datetime.now(), counter_offset=offset_steps)


def password_step(client, email: str):
    return client.post("/auth/login", data={"email": email, "password": FACTORY_PASSWORD})


def enrol(client) -> list[str]:
    """Set up an authenticator through the pages, as a person would; the recovery codes shown."""
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r'id="setup-key"><code>([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    response = client.post("/account/two-factor", data={"code": code_now(secret)})
    assert response.status_code == 200, response.get_data(as_text=True)
    return re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", response.get_data(True))


def test_password_alone_does_not_sign_in_someone_with_a_second_factor(client, db):
    person = make_user(email="two@nhs.net", second_factor=True)
    db.session.commit()
    response = password_step(client, "two@nhs.net")
    assert response.headers["Location"] == "/auth/two-factor"
    assert client.get("/home").status_code == 302  # not signed in yet

    wrong = client.post("/auth/two-factor", data={"code": "000000"})
    assert wrong.status_code == 400
    assert "Enter a correct code" in wrong.get_data(as_text=True)
    assert client.get("/home").status_code == 302

    right = client.post("/auth/two-factor", data={"code": code_now()})
    assert right.headers["Location"] == "/home"
    assert client.get("/home").status_code == 200
    assert actions(db, person.id) == [
        "sign_in.succeeded",
        "second_factor.failed",
        "second_factor.succeeded",
    ]


@pytest.mark.parametrize("bad", ["", "12345", "1234567", "abcdef", "<script>", "9" * 40])
def test_malformed_codes_get_a_clear_message(client, db, bad):
    make_user(email="two@nhs.net", second_factor=True)
    db.session.commit()
    password_step(client, "two@nhs.net")
    response = client.post("/auth/two-factor", data={"code": bad})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert "<script>" not in page


def test_a_code_works_only_once(app, db):
    make_user(email="two@nhs.net", second_factor=True)
    db.session.commit()
    code = code_now()
    first, second = app.test_client(), app.test_client()
    password_step(first, "two@nhs.net")
    assert first.post("/auth/two-factor", data={"code": code}).status_code == 302
    password_step(second, "two@nhs.net")
    replay = second.post("/auth/two-factor", data={"code": code})
    assert replay.status_code == 400
    assert second.get("/home").status_code == 302


def test_the_second_step_expires_and_gives_up_after_five_wrong_codes(client, db, monkeypatch):
    make_user(email="two@nhs.net", second_factor=True)
    db.session.commit()
    password_step(client, "two@nhs.net")
    for _ in range(4):
        assert client.post("/auth/two-factor", data={"code": "000000"}).status_code == 400
    response = client.post("/auth/two-factor", data={"code": "000000"})
    assert response.headers["Location"] == "/auth/login"
    # Starting again needs the password: the right code alone is not enough now.
    assert client.post("/auth/two-factor", data={"code": code_now()}).status_code == 302
    assert client.get("/home").status_code == 302

    password_step(client, "two@nhs.net")
    later = session_policy.now() + session_policy.PENDING_SECONDS + 1
    monkeypatch.setattr(session_policy, "now", lambda: later)
    response = client.post("/auth/two-factor", data={"code": code_now()})
    assert response.headers["Location"] == "/auth/login"


def test_the_second_step_is_rate_limited_per_account_and_address(database_url, db):
    from mentoring import create_app

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "SIGN_IN_LIMIT_PER_ACCOUNT": "2 per minute"}
    )
    make_user(email="two@nhs.net", second_factor=True)
    db.session.commit()
    client = app.test_client()
    password_step(client, "two@nhs.net")
    statuses = [client.post("/auth/two-factor", data={"code": "000000"}).status_code for _ in "abc"]
    assert statuses == [400, 400, 429]


def test_a_doctor_sets_up_an_authenticator_and_gets_single_use_recovery_codes(app, db, login_as):
    doctor = login_as(Role.DOCTOR)
    elsewhere = app.test_client()
    from tests.conftest import sign_in

    sign_in(elsewhere, doctor.user)
    codes = enrol(doctor)
    assert len(codes) == 10 and len(set(codes)) == 10

    factor = db.session.get(SecondFactor, doctor.user.id)
    assert factor is not None
    # Sealed at rest; recovery codes only as argon2 hashes.
    hashes = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(hashes) == 10 and all(h.startswith("$argon2") for h in hashes)
    assert not any(code.replace("-", "") in h for code in codes for h in hashes)
    # Other devices signed in without the factor are signed out; this one carries on.
    assert elsewhere.get("/home").status_code == 302
    assert doctor.get("/home").status_code == 200
    assert "second_factor.enrolled" in actions(db, doctor.user.id)

    # Signing in later: a recovery code instead of the app, once.
    doctor.post("/auth/logout")
    email = doctor.user.email
    password_step(doctor, email)
    response = doctor.post("/auth/two-factor", data={"code": codes[0].upper()})
    assert response.status_code == 302
    assert "9 left" in doctor.get("/home").get_data(as_text=True)
    doctor.post("/auth/logout")
    password_step(doctor, email)
    assert doctor.post("/auth/two-factor", data={"code": codes[0]}).status_code == 400
    assert "second_factor.recovery_code_used" in actions(db, doctor.user.id)


def test_a_wrong_enrolment_code_saves_nothing(login_as, db):
    doctor = login_as(Role.DOCTOR)
    doctor.get("/account/two-factor")
    for bad in ["", "123456", "x" * 100]:
        response = doctor.post("/account/two-factor", data={"code": bad})
        assert response.status_code == 400
        assert "There is a problem" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(SecondFactor)) == 0
    assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0


def test_the_setup_page_shows_a_qr_code_drawn_on_the_server_without_script(login_as):
    page = login_as(Role.DOCTOR).get("/account/two-factor").get_data(as_text=True)
    assert "<svg" in page and "otpauth://totp/" in page
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "<script" not in svg and "style=" not in svg


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_coordinators_and_admins_must_set_up_a_second_factor_first(db, login_as, role):
    person = login_as(role, second_factor=False)
    for path in ["/home", "/auth/account", "/directory", "/check-in", "/account/my-data"]:
        response = person.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == "/account/two-factor"
    # POSTs are held back too: nothing is done before the factor exists.
    token = person.user.session_token
    assert person.post("/account/sign-out-everywhere").headers["Location"] == "/account/two-factor"
    db.session.expire_all()
    assert person.user.session_token == token
    enrol(person)
    assert person.get("/home").status_code == 200


def test_a_required_second_factor_cannot_be_removed(login_as, db):
    coordinator = login_as(Role.COORDINATOR)
    response = coordinator.post("/account/two-factor/remove")
    assert response.status_code == 303
    assert db.session.get(SecondFactor, coordinator.user.id) is not None


def test_a_doctor_may_remove_their_second_factor(login_as, db):
    doctor = login_as(Role.DOCTOR)
    enrol(doctor)
    assert doctor.post("/account/two-factor/remove").status_code == 303
    assert db.session.get(SecondFactor, doctor.user.id) is None
    assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0
    assert "second_factor.removed" in actions(db, doctor.user.id)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_whether_a_second_factor_exists_is_read_on_every_request(db, login_as, role):
    """It is read with the person (one statement), not kept from an earlier request: a factor
    removed from the database sends the next request to set one up, and one added lets it in."""
    person = login_as(role)
    assert person.get("/home").status_code == 200
    db.session.delete(db.session.get(SecondFactor, person.user.id))
    db.session.commit()
    response = person.get("/home")
    assert response.status_code == 302 and response.headers["Location"] == "/account/two-factor"
    factor = SecondFactor(id=person.user.id)
    factor.secret = FACTORY_TOTP_SECRET
    db.session.add(factor)
    db.session.commit()
    assert person.get("/home").status_code == 200
