"""Issue 3's 'done means', tried as a new user would in a real Chromium, axe on every new page.

The demo mentor adds training, the demo coordinator verifies it, the mentor becomes available,
pauses, resumes, and prints an appraisal record that names no mentee.
"""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import expect

from mentoring.core import unit_of_work
from mentoring.demo import demo_data_create
from tests.browser.conftest import assert_accessible, browser_sign_in
from tests.factories import PDF_BYTES

DEMO_PASSWORD = "demo-journey-pass-phrase"


def see(page, text: str) -> None:
    """Wait for the page to show `text` (after a click, the next page may still be loading)."""
    expect(page.locator("main")).to_contain_text(text)


def sign_out(page, base: str) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{base}/auth/login*")


def visit(page, url: str) -> None:
    page.goto(url)
    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_done_means_for_issue_3(page, live_server, db):
    demo_data_create(password=DEMO_PASSWORD)
    unit_of_work.commit()
    base = live_server

    # The demo mentor: not yet available, adds training with a certificate.
    browser_sign_in(page, base, "mentor@demo.test", DEMO_PASSWORD)
    page.get_by_role("link", name="Your mentoring status").click()
    see(page, "Not yet available for new mentees")
    assert_accessible(page)
    page.get_by_role("link", name="Your training records").click()
    assert_accessible(page)
    page.get_by_role("button", name="Add training").click()
    assert_accessible(page)

    # A mistake first: a date in the future. The page says so and keeps what was typed.
    page.get_by_label("Course title").fill("GROW refresher day")
    page.get_by_label("Provider").fill("Regional deanery")
    page.get_by_label("Date you completed the course").fill(
        (date.today() + timedelta(days=3)).isoformat()
    )
    page.get_by_label("Hours of training").fill("6.5")
    page.get_by_label("GROW", exact=True).check()
    page.set_input_files(
        "input[type=file][name=evidence]",
        files=[{"name": "certificate.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}],
    )
    page.get_by_role("button", name="Save training").click()
    see(page, "The completion date must be today or in the past")
    assert page.get_by_label("Course title").input_value() == "GROW refresher day"
    assert_accessible(page)

    page.get_by_label("Date you completed the course").fill(
        (date.today() - timedelta(days=7)).isoformat()
    )
    page.set_input_files(
        "input[type=file][name=evidence]",
        files=[{"name": "certificate.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}],
    )
    page.get_by_role("button", name="Save training").click()
    see(page, "GROW refresher day added")
    assert page.get_by_role("link", name="certificate.pdf").count() == 1

    # The profile, supervision log, conflicts and appraisal pages pass axe too.
    for path in (
        "/mentor/profile",
        "/mentor/supervision",
        "/conflicts/people-you-supervise",
        "/conflicts/mentors-to-avoid",
        "/mentor/appraisal",
        "/mentor/pause",
    ):
        visit(page, base + path)
    sign_out(page, base)

    # The demo coordinator verifies it.
    browser_sign_in(page, base, "coordinator@demo.test", DEMO_PASSWORD)
    page.get_by_role("link", name="Training to verify").click()
    assert_accessible(page)
    page.get_by_role("link", name="GROW refresher day for Dr Sam Patel").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save decision").click()  # nothing chosen: an error
    see(page, "Choose verify or return")
    assert_accessible(page)
    page.get_by_label("Verify: the training is as recorded").check()
    page.get_by_role("button", name="Save decision").click()
    see(page, "GROW refresher day for Dr Sam Patel verified")
    visit(page, base + "/coordinator/mentor-support")
    sign_out(page, base)

    # The mentor is now available; pauses until a date; resumes.
    browser_sign_in(page, base, "mentor@demo.test", DEMO_PASSWORD)
    page.goto(base + "/mentor/")
    see(page, "Available for new mentees")
    assert_accessible(page)
    page.get_by_role("button", name="Pause mentoring").click()
    page.get_by_label("Return date (optional)").fill((date.today() - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Pause mentoring").click()
    see(page, "The return date must be in the future")
    assert_accessible(page)
    back = date.today() + timedelta(days=21)
    page.get_by_label("Return date (optional)").fill(back.isoformat())
    page.get_by_role("button", name="Pause mentoring").click()
    see(page, "Mentoring paused")
    see(page, f"until {back.strftime('%-d %B %Y')}")
    assert_accessible(page)
    page.get_by_role("button", name="Resume mentoring").click()
    see(page, "Available for new mentees")

    # The appraisal record: printable, downloadable, naming no mentee.
    page.get_by_role("link", name="Home", exact=True).click()
    page.get_by_role("link", name="Appraisal record").click()
    page.get_by_role("button", name="Show record").click()
    record = page.locator(".app-appraisal-record")
    assert "GROW refresher day" in record.inner_text()
    assert "Mentoring figures come from session logs" in record.inner_text()
    for doctor in ("Dr Amara Okafor", "Dr Priya Nair", "Dr Tom Evans", "doctor@demo.test"):
        assert doctor not in page.content()
    assert_accessible(page)
    assert page.get_by_role("button", name="Print this record").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".nhsuk-header").is_visible()
    assert not page.locator("#main-form").is_visible()
    assert record.is_visible()
    page.emulate_media(media="screen")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download (CSV)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("mentoring-appraisal-record-")
    with open(download.path(), encoding="utf-8") as downloaded:
        assert "GROW refresher day" in downloaded.read()


def test_error_states_of_the_mentor_forms_pass_axe(page, live_server, db):
    demo_data_create(password=DEMO_PASSWORD)
    unit_of_work.commit()
    base = live_server
    browser_sign_in(page, base, "mentor@demo.test", DEMO_PASSWORD)

    page.goto(base + "/mentor/profile")
    page.get_by_label("Organisation").fill("")
    page.get_by_role("group", name="Tuesday").get_by_label("Night, 10pm to 6am").check()
    page.get_by_role("button", name="Save profile").click()
    see(page, "Enter your organisation")
    assert_accessible(page)
    page.get_by_label("How many mentees you can have at once").fill("0")
    page.get_by_label("Organisation").fill("Riverside")
    page.get_by_role("button", name="Save profile").click()
    see(page, "Capacity must be between 1 and 10")
    assert_accessible(page)

    page.goto(base + "/mentor/supervision")
    page.get_by_role("button", name="Add to log").click()
    see(page, "Enter the date of the session")
    assert_accessible(page)
    page.get_by_label("Date").fill(date.today().isoformat())
    page.get_by_label("Hours").fill("1")
    page.get_by_label("Peer support").check()
    page.get_by_role("button", name="Add to log").click()
    see(page, "Session added")
    page.get_by_role("button", name="Ask the coordinators for support").click()
    see(page, "The scheme coordinators have been asked")
    assert_accessible(page)

    page.goto(base + "/conflicts/people-you-supervise")
    page.get_by_label("Their email address").fill("not-an-email")
    page.get_by_role("button", name="Add person").click()
    see(page, "Enter an email address in the correct format")
    assert_accessible(page)
    page.get_by_label("Their email address").fill("trainee@nhs.net")
    page.get_by_role("button", name="Add person").click()
    see(page, "trainee@nhs.net added")
    assert_accessible(page)

    page.goto(base + "/mentor/appraisal?start=2026-05-01&end=2026-01-01")
    see(page, "The end of the period must be on or after its start")
    assert_accessible(page)

    page.goto(base + "/training/")
    page.get_by_role("link", name="Remove Mentoring skills for clinicians").click()
    assert_accessible(page)
    page.get_by_role("button", name="Remove training record").click()
    see(page, "Mentoring skills for clinicians removed")
