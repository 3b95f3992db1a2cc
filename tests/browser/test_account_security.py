"""Account security and data rights in a real Chromium: set-up, second step, pages pass axe."""

from __future__ import annotations

import re

import pyotp
from playwright.sync_api import expect

from mentoring.permissions import Role
from tests.browser.conftest import assert_accessible
from tests.factories import FACTORY_PASSWORD, make_user


def test_a_new_coordinator_sets_up_a_second_factor_then_signs_in_with_a_recovery_code(
    page, live_server, db
):
    make_user(email="new.coord@nhs.net", roles=[Role.COORDINATOR], second_factor=False)
    db.session.commit()
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("Email address").fill("new.coord@nhs.net")
    page.get_by_label("Password", exact=True).fill(FACTORY_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # Sent to set up the app before anything else.
    page.wait_for_url(f"{live_server}/account/two-factor")
    expect(page.get_by_text("Your role needs a second factor")).to_be_visible()
    expect(page.locator(".app-qr-code svg")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_accessible(page)

    secret = page.locator("#setup-key code").inner_text().replace(" ", "")
    page.get_by_label("Code from your app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    assert_accessible(page)
    codes = page.locator(".app-recovery-codes code").all_inner_texts()
    assert len(codes) == 10

    page.get_by_role("link", name="I have saved my codes").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    assert_accessible(page)
    for path in [
        "/account/email",
        "/account/confirm-password",
        "/account/my-data",
        "/account/delete",
    ]:
        page.goto(live_server + path)
        assert page.locator("h1").count() == 1
        assert_accessible(page)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("Email address").fill("new.coord@nhs.net")
    page.get_by_label("Password", exact=True).fill(FACTORY_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server}/auth/two-factor")
    assert_accessible(page)
    page.get_by_label("Security code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a correct code")
    assert_accessible(page)
    page.get_by_label("Security code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server}/home")
    expect(page.get_by_text(re.compile("You have 9 left"))).to_be_visible()


def test_changing_email_pages_pass_axe(page, live_server, db, app):
    from mentoring.auth import tokens
    from mentoring.auth.email_change import EMAIL_CHANGE
    from tests.browser.conftest import browser_sign_in

    person = make_user(email="moving@nhs.net")
    db.session.commit()
    browser_sign_in(page, live_server, "moving@nhs.net")
    page.goto(f"{live_server}/account/email")
    page.get_by_label("New email address").fill("not an address")
    page.get_by_role("button", name="Send link").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_accessible(page)
    page.get_by_label("New email address").fill("moved@nhs.net")
    page.get_by_role("button", name="Send link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert_accessible(page)

    with app.test_request_context():
        token = tokens.make_token(
            EMAIL_CHANGE,
            {
                "user": person.id,
                "email": "moved@nhs.net",
                "state": tokens.fingerprint(person.email),
            },
        )
    page.goto(f"{live_server}/account/email/confirm/{token}")
    assert_accessible(page)
    page.get_by_role("button", name="Use this address").click()
    expect(page.get_by_text("Your email address has changed")).to_be_visible()
