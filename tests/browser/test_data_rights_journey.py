"""A mentee reads her data and deletes her account in a real Chromium; the pages pass axe."""

from __future__ import annotations

import os

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, browser_sign_in
from tests.factories import FACTORY_PASSWORD
from tests.functional import privacy_story as s


def test_a_mentee_reads_everything_held_about_her_then_leaves(page, live_server, app, db):
    s.build_story(app)
    browser_sign_in(page, live_server, "dee@nhs.net")

    page.goto(f"{live_server}/account/my-data")
    expect(page.get_by_role("heading", name="Sessions you held")).to_be_visible()
    expect(page.get_by_text(s.WISHES)).to_be_visible()
    expect(page.get_by_text(s.SUMMARY)).to_be_visible()
    assert page.get_by_text(s.REFLECTION).count() == 0
    assert_accessible(page)
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=f"{os.environ['SCREENSHOT_DIR']}/my-data.png", full_page=True)

    page.goto(f"{live_server}/account/delete")
    page.get_by_label("I understand").check()
    page.get_by_role("textbox", name="Your password").fill(FACTORY_PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Your account has been deleted")).to_be_visible()
    assert_accessible(page)
