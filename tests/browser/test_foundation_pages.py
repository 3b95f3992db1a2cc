"""The foundation's pages in a real Chromium: they work with CSRF on and pass axe-core."""

from __future__ import annotations

from playwright.sync_api import expect

from mentoring.permissions import Role
from tests.browser.conftest import assert_accessible, browser_sign_in
from tests.factories import make_user

PUBLIC_PATHS = [
    "/",
    "/auth/login",
    "/auth/register",
    "/auth/forgot-password",
    "/auth/confirm/not-a-token",
    "/no-such-page",
]


def test_public_pages_pass_axe(page, live_server):
    for path in PUBLIC_PATHS:
        page.goto(live_server + path)
        assert_accessible(page)


def test_error_states_pass_axe(page, live_server):
    page.goto(live_server + "/auth/login")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    # The summary links move focus to the field with the problem.
    page.get_by_role("link", name="Enter your email address").click()
    assert page.evaluate("document.activeElement.id") == "email"


def test_each_role_signs_in_and_every_page_it_reaches_passes_axe(page, live_server, db):
    accounts = {
        Role.DOCTOR: make_user(email="axe.doctor@nhs.net", roles=[Role.DOCTOR]),
        Role.MENTOR: make_user(email="axe.mentor@nhs.net", roles=[Role.MENTOR]),
        Role.COORDINATOR: make_user(email="axe.coord@nhs.net", roles=[Role.COORDINATOR]),
        Role.ADMIN: make_user(email="axe.admin@nhs.net", roles=[Role.ADMIN]),
    }
    db.session.commit()
    pages_by_role = {
        Role.DOCTOR: ["/home", "/auth/account"],
        Role.MENTOR: ["/home", "/auth/account"],
        Role.COORDINATOR: ["/home", "/auth/account"],
        Role.ADMIN: [
            "/home",
            "/auth/account",
            "/admin/accounts",
            f"/admin/accounts/{accounts[Role.DOCTOR].id}",
            "/admin/invitations/new",
            "/admin/audit",
            "/admin/audit?date_from=2026-02-01&date_to=2026-01-01",
        ],
    }
    for role, user in accounts.items():
        browser_sign_in(page, live_server, user.email)
        for path in pages_by_role[role]:
            page.goto(live_server + path)
            assert page.locator("h1").count() == 1
            assert_accessible(page)
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_text("You have signed out.")).to_be_visible()


def test_admin_changes_roles_in_the_browser(page, live_server, db):
    make_user(email="browser.admin@nhs.net", roles=[Role.ADMIN])
    person = make_user(email="to.mentor@nhs.net", display_name="Dr To Mentor")
    db.session.commit()
    browser_sign_in(page, live_server, "browser.admin@nhs.net")
    page.get_by_role("link", name="Accounts", exact=True).click()
    page.get_by_label("Search by email or name").fill("to.mentor")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Dr To Mentor").click()
    page.get_by_label("Mentor", exact=True).check()
    page.get_by_role("button", name="Save roles").click()
    expect(page.get_by_text("Roles for to.mentor@nhs.net saved.")).to_be_visible()
    expect(page.get_by_label("Mentor", exact=True)).to_be_checked()
    assert page.url.endswith(f"/admin/accounts/{person.id}")


def test_the_design_system_script_runs_under_the_content_security_policy(page, live_server):
    """The CSP has no 'unsafe-inline': the nonce lets the page's own scripts run, nothing else."""
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text)
            if "Content Security Policy" in message.text and "script" in message.text
            else None
        ),
    )
    page.goto(live_server + "/auth/login")
    # The inline bootstrap script (nonce) and the module (self) both ran.
    body_class = page.locator("body").get_attribute("class")
    assert "js-enabled" in body_class
    assert "nhsuk-frontend-supported" in body_class
    # An injected inline script without the nonce is refused by the browser.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__injected = true'; document.body.appendChild(s); }"
    )
    assert page.evaluate("window.__injected === undefined")
    assert any("Content Security Policy" in text for text in blocked)
