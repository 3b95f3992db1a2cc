"""Issue 8 as a new user meets it: find support, print the poster, check in once a week."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from mentoring.checkins.who5 import ITEMS
from mentoring.demo import demo_data_create
from mentoring.permissions import Role
from tests.browser.conftest import assert_accessible, browser_sign_in
from tests.factories import FACTORY_PASSWORD, make_support_service, make_user


def answer_who5(page, answer: str) -> None:
    for item in ITEMS:
        page.get_by_role("group", name=item).get_by_label(answer, exact=True).check()


def test_the_demo_doctor_finds_help_prints_the_poster_and_checks_in_once(page, live_server, db):
    demo_data_create(password=FACTORY_PASSWORD)
    db.session.commit()
    browser_sign_in(page, live_server, "doctor@demo.test")

    # Two clicks from home to out-of-hours help.
    page.get_by_role("link", name="Find support").first.click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Out of hours")).click()
    expect(page).to_have_url(re.compile("when=out_of_hours"))
    results = page.locator("main")
    assert "Example: Doctors' confidential support line" in results.inner_text()
    assert "Example: Freedom to speak up guardian" not in results.inner_text()  # office hours only
    assert "Example directory" in results.inner_text()
    assert_accessible(page)

    # The poster, printable on one page.
    page.get_by_role("link", name="Printable poster").click()
    page.get_by_role("button", name="Print this poster").wait_for(state="visible")
    text = page.locator("main").inner_text()
    assert text.index("Urgent: help now") < text.index("Struggling") < text.index("Everyday")
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.locator("header.nhsuk-header").is_visible()
    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1
    page.emulate_media(media="screen")

    # A check-in: the empty form is refused, the filled one signposts.
    page.get_by_role("link", name="Check in", exact=True).click()
    assert_accessible(page)
    page.get_by_role("button", name="See what my answers suggest").click()
    assert "There is a problem" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    answer_who5(page, "Some of the time")  # 5 x 1 x 4 = 20
    page.get_by_label("Stress", exact=True).check()
    page.get_by_role("group", name="Your career stage").get_by_label(
        "Core or specialty training"
    ).check()
    page.get_by_role("group", name="Your specialty group").get_by_label("Prefer not to say").check()
    page.get_by_label("Your organisation").select_option(label="Prefer not to say")
    page.get_by_role("button", name="See what my answers suggest").click()
    main = page.locator("main").inner_text()
    assert "20 out of 100" in main
    assert "Please talk to someone soon" in main
    assert main.index("Example: Doctors' confidential support line") < main.index(
        "Example: Practitioner health service"
    )
    assert "Example: Peer mentoring scheme" not in main
    assert_accessible(page)

    # Keeping my own trend is opt-in and lives in this browser only.
    assert page.evaluate("window.localStorage.getItem('mentoring.ownTrend')") is None
    page.get_by_label("Keep my scores on this device").check()
    page.locator("#own-trend-table").wait_for(state="visible")
    assert "20" in page.locator("#own-trend-table tbody").inner_text()

    # No second check-in this week, and the kept trend is still there.
    page.get_by_role("link", name="Check in", exact=True).click()
    expect(page.locator("h1")).to_have_text("You have already checked in this week")
    page.locator("#own-trend-table tbody tr").first.wait_for(state="visible")
    assert page.locator("#own-trend-table tbody tr").count() == 1
    assert_accessible(page)
    page.get_by_role("button", name="Delete my kept scores").click()
    page.get_by_text("No scores kept on this device.").wait_for(state="visible")
    assert page.evaluate("window.localStorage.getItem('mentoring.ownTrend')") is None


def test_coordinator_pages_pass_axe_and_errors_are_announced(page, live_server, db):
    make_user(email="axe.directory@nhs.net", roles=[Role.COORDINATOR])
    service = make_support_service(name="Listening line", topics=("stress",))
    db.session.commit()
    browser_sign_in(page, live_server, "axe.directory@nhs.net")
    page.get_by_role("link", name="Support directory").click()
    assert_accessible(page)
    page.goto(f"{live_server}/support?about=astrology")
    assert "Choose what it is about from the list" in page.get_by_role("alert").inner_text()
    assert_accessible(page)

    page.goto(f"{live_server}/support/new")
    assert_accessible(page)
    page.get_by_label("Name of the service").fill("Evening clinic")
    page.get_by_label("What it offers").fill("Talking therapy in the evening.")
    page.get_by_label("Struggling: help soon").check()
    page.get_by_label("Emotional and mental well-being").check()
    page.get_by_label("Opening hours").fill("Mon 21:00-18:00")
    page.get_by_label("Independent of your employer").check()
    page.get_by_label("What stays confidential").fill("Nobody is told.")
    page.get_by_role("button", name="Save service").click()
    alert = page.get_by_role("alert").inner_text()
    assert "Give at least one way to reach the service" in alert
    assert "end (18:00) before they start (21:00)" in alert
    assert_accessible(page)
    page.get_by_label("Opening hours").fill("Mon-Thu 18:00-21:00")
    page.get_by_label("Phone number").fill("0300 111 2222")
    page.get_by_role("button", name="Save service").click()
    expect(page.get_by_text("Evening clinic added to the directory")).to_be_visible()

    page.goto(f"{live_server}/support/{service.id}/edit")
    assert_accessible(page)
    page.goto(f"{live_server}/support/{service.id}/delete")
    assert_accessible(page)
    page.get_by_role("button", name="Remove service").click()
    expect(page.get_by_text("Listening line removed from the directory")).to_be_visible()
