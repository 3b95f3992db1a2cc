"""Helpers for browser tests: sign in through the real form, and check a page with axe-core."""

from __future__ import annotations

import re
import time
from datetime import datetime

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from tests.factories import FACTORY_PASSWORD

# WCAG 2.2 A and AA, with the earlier levels they build on.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
_axe = Axe()


def assert_accessible(page) -> None:
    results = _axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def browser_sign_in(page, base_url: str, email: str, password: str = FACTORY_PASSWORD) -> None:
    page.goto(f"{base_url}/auth/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/(home|auth/two-factor|account/two-factor)$"))
    if page.url.endswith("/auth/two-factor"):
        page.get_by_label("Security code").fill(next_totp_code(email))
        page.get_by_role("button", name="Continue").click()
    elif page.url.endswith("/account/two-factor"):
        # A coordinator or admin without a second factor (the demo ones) sets it up first.
        secret = page.locator("#setup-key").inner_text().replace(" ", "")
        page.locator("input[name=code]").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Turn on").click()
        page.get_by_text("I have saved my codes").click()
        page.goto(f"{base_url}/home")
    page.wait_for_url(f"{base_url}/home")
    page.wait_for_load_state()


def next_totp_code(email: str) -> str:
    """A code the server has not yet accepted for this person (each code works once).

    Needs the test's app context (the `db` fixture), which every test signing in such a person has.
    """
    from mentoring.auth.models import User
    from mentoring.auth.second_factor import SecondFactor
    from mentoring.extensions import db

    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == email))
    factor = db.session.get(SecondFactor, user.id)
    totp = pyotp.TOTP(factor.secret)
    step = totp.timecode(datetime.now())
    if factor.last_used_step is not None and factor.last_used_step >= step:
        step = factor.last_used_step + 1
        if step > totp.timecode(datetime.now()) + 1:
            time.sleep(30)
    return totp.generate_otp(step)


@pytest.fixture(autouse=True)
def _browser_marker(request):
    request.node.add_marker(pytest.mark.browser)
