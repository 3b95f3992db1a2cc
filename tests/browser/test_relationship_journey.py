"""Issue 7's 'done means', in a real Chromium, with axe on every new page.

The demo pair agree terms, log two sessions on two models, the mentee ticks off an action, the
review comes due, they extend, then the mentee closes and gives feedback.
"""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from mentoring.core import unit_of_work
from mentoring.demo import demo_data_create
from mentoring.relationships.models import MentoringRelationship
from tests.browser.conftest import assert_accessible, browser_sign_in

DEMO_PASSWORD = "demo-journey-pass-phrase"


def see(page, text: str) -> None:
    expect(page.locator("main")).to_contain_text(text)


def sign_out(page, base: str) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{base}/auth/login*")


def log_session(page, *, days_ago: int, stage_label: str, notes: str, action: str) -> None:
    page.get_by_label("Date of the session").fill(
        (date.today() - timedelta(days=days_ago)).isoformat()
    )
    page.get_by_label("How long it lasted, in minutes").fill("45")
    page.get_by_label(stage_label, exact=True).fill(notes)
    page.get_by_label("Career development").check()
    page.get_by_label("Action 1", exact=True).fill(action)
    page.get_by_label("Shared summary").fill(f"Summary: {notes}")
    page.get_by_label("Your private reflection").fill("Private thought")
    page.get_by_role("button", name="Save session log").click()
    see(page, "The session has been logged.")
    assert_accessible(page)


def test_done_means_for_issue_7(page, live_server, db):
    demo_data_create(password=DEMO_PASSWORD)
    unit_of_work.commit()
    base = live_server

    # The mentor opens the new relationship and records the agreement: GROW, two sessions.
    browser_sign_in(page, base, "mentor@demo.test", DEMO_PASSWORD)
    page.get_by_role("link", name="Mentoring", exact=True).first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Mentoring Dr Amara Okafor").click()
    assert_accessible(page)
    page.get_by_role("button", name="Record your agreement").click()
    see(page, "Confidentiality and its limits")
    assert_accessible(page)
    page.get_by_label("Model you will use").select_option("grow")
    page.get_by_label("Planned number of sessions").fill("2")
    page.get_by_role("button", name="Save agreement").click()
    see(page, "Confirm you have talked through confidentiality")
    assert_accessible(page)
    page.get_by_label("We have talked through").check()
    page.get_by_role("button", name="Save agreement").click()
    see(page, "Your agreement has been recorded.")

    # Two sessions, on GROW and on OSKAR (with its scaling).
    page.get_by_role("button", name="Log a session").click()
    assert_accessible(page)
    log_session(
        page, days_ago=1, stage_label="Goal", notes="Decide on LTFT", action="Email the TPD"
    )
    page.get_by_role("link", name="Back").click()
    page.get_by_role("button", name="Log a session").click()
    page.get_by_text("Use another model for this session").click()
    page.get_by_role("link", name="OSKAR").click()
    page.get_by_label("Where the mentee rates themselves now (0 to 10)").fill("6")
    log_session(
        page,
        days_ago=0,
        stage_label="Outcome",
        notes="Confident rota talk",
        action="Draft rota request",
    )
    page.get_by_role("link", name="Back").click()
    see(page, "Review due")
    page.get_by_role("link", name="Set the next session").click()
    assert_accessible(page)
    page.get_by_role("link", name="Back").click()
    sign_out(page, base)

    # The mentee reads the summary (not the reflection), ticks off an action, sees who read.
    browser_sign_in(page, base, "doctor@demo.test", DEMO_PASSWORD)
    page.goto(f"{base}/requests/mine")
    page.get_by_role("link", name="Go to your mentoring").click()
    see(page, "Email the TPD")
    assert_accessible(page)
    page.get_by_role("link", name="Email the TPD").click()
    assert_accessible(page)
    page.get_by_label("Done").check()
    page.get_by_label("Your reflection (optional)").fill("Sent it on Monday")
    page.get_by_role("button", name="Save").click()
    see(page, "Your action has been updated.")
    page.get_by_role("link", name=(date.today().strftime("%-d %B %Y"))).click()
    see(page, "Summary: Confident rota talk")
    expect(page.locator("main")).not_to_contain_text("Private thought")
    assert_accessible(page)
    page.get_by_role("link", name="Back").click()
    page.get_by_role("link", name="See who has read your record").click()
    see(page, "Your mentor")
    assert_accessible(page)
    page.get_by_role("link", name="Back").click()

    # The review is due: extend by two sessions.
    page.get_by_role("link", name="Review: extend or close").click()
    assert_accessible(page)
    page.get_by_label("How many more sessions?").fill("2")
    page.get_by_role("button", name="Extend").click()
    see(page, "you now plan 4 sessions")

    # Then close, without a reason; feedback is offered, with a no-fault new request.
    page.get_by_role("link", name="End the mentoring relationship").click()
    assert_accessible(page)
    page.get_by_role("button", name="End the relationship").click()
    see(page, "How did mentoring go?")
    assert_accessible(page)
    page.get_by_label("Very helpful", exact=True).check()
    page.get_by_role("button", name="Send feedback").click()
    see(page, "Thank you for your feedback.")
    see(page, "ask for a new one")
    db.session.expire_all()
    rel = db.session.scalars(
        select(MentoringRelationship)
        .where(MentoringRelationship.ended_by == "mentee")
        .order_by(MentoringRelationship.ended_at.desc())
    ).first()
    assert rel.ending_reason == "not_given" and rel.planned_sessions == 4
    sign_out(page, base)

    # The coordinator sees figures only.
    browser_sign_in(page, base, "coordinator@demo.test", DEMO_PASSWORD)
    page.get_by_role("link", name="Mentoring relationships in figures").click()
    expect(page.locator("main")).not_to_contain_text("Amara")
    assert_accessible(page)
