"""Issue 4 as a person meets it: ask, choose, accept; the coordinator helps and runs matching."""

from __future__ import annotations

from playwright.sync_api import expect

from mentoring.permissions import Role
from mentoring.requests_.services import RequestDetails, request_create
from tests.browser.conftest import assert_accessible, browser_sign_in
from tests.factories import make_user
from tests.functional.requests.helpers import make_available_mentor

WISHES = "Thinking about a move to part-time training."


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def test_doctor_asks_chooses_and_the_mentor_accepts(page, live_server, db):
    mentors = [
        make_available_mentor(email=f"journey.mentor{n}@nhs.net", name=f"Dr Journey {n}")
        for n in range(4)
    ]
    make_user(email="journey.doctor@nhs.net", display_name="Dr Asking")
    db.session.commit()

    browser_sign_in(page, live_server, "journey.doctor@nhs.net")
    page.get_by_role("link", name="Your mentor request").click()
    page.get_by_role("button", name="Ask for a mentor").click()
    assert_accessible(page)

    # Nothing chosen: errors in the summary and by the fields, checked by axe too.
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose at least one topic")
    assert_accessible(page)

    # The urgent topics reveal urgent help at once, before anything is sent.
    page.get_by_label("Mental health issues").check()
    expect(page.get_by_text("Mentoring is not crisis care").first).to_be_visible()
    page.get_by_label("Mental health issues").uncheck()

    page.get_by_label("Career development").check()
    page.get_by_label("What would you like from mentoring? (optional)").fill(WISHES)
    page.get_by_label("Your career stage").select_option("specialty_training")
    page.get_by_label("Your specialty").select_option("general_medicine")
    page.get_by_label("Your organisation").fill("Hillside Trust")
    page.get_by_label("Your department").fill("Acute medicine")
    page.get_by_label("Video call").check()
    page.locator("#slots-1-evening").check()
    page.get_by_role("button", name="Send request").click()

    expect(page.get_by_role("heading", name="Choose your mentor")).to_be_visible()
    expect(page.get_by_role("heading", name="Why this mentor")).to_have_count(3)
    assert_accessible(page)
    chosen_name = page.locator(".nhsuk-card__heading").first.inner_text()
    page.get_by_role("button", name=f"Choose {chosen_name}").click()
    expect(page.get_by_text("We have asked your mentor")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    chosen = next(m for m in mentors if m.display_name == chosen_name)
    browser_sign_in(page, live_server, chosen.email)
    page.get_by_role("link", name="Doctors who chose you").click()
    assert_accessible(page)
    page.get_by_role("link", name="Read and answer").click()
    expect(page.get_by_text("Career development")).to_be_visible()
    assert WISHES not in page.content()  # the doctor's own words only after accepting
    assert_accessible(page)
    page.get_by_role("link", name="Decline").click()
    assert_accessible(page)
    page.get_by_role("button", name="Decline").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose a reason")
    assert_accessible(page)
    page.go_back()
    page.go_back()
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text(WISHES)).to_be_visible()
    expect(page.get_by_text("Dr Asking")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    browser_sign_in(page, live_server, "journey.doctor@nhs.net")
    page.get_by_role("link", name="Your mentor request").click()
    expect(page.get_by_text(f"Your mentor is {chosen_name}")).to_be_visible()


def test_coordinator_helps_a_waiting_request_and_runs_matching(page, live_server, db):
    doctor = make_user(email="waiting.doctor@nhs.net")
    make_user(email="journey.coordinator@nhs.net", roles=[Role.COORDINATOR])
    request_create(
        requester=doctor,
        details=RequestDetails(
            topics=["workload"],
            wishes=WISHES,
            career_stage="core",
            specialty="surgery",
            organisation="Hillside Trust",
            department="Surgery",
            outside_department=False,
            outside_organisation=True,
            specialty_preference="any",
            more_senior_only=False,
            gender_preference=None,
            preferred_model=None,
            formats=["video"],
            slots=[(1, "evening")],
        ),
    )
    make_available_mentor(organisation="Hillside Trust")  # only one, inside their organisation
    db.session.commit()

    browser_sign_in(page, live_server, "journey.coordinator@nhs.net")
    page.get_by_role("link", name="Requests waiting for help").click()
    assert_accessible(page)
    page.get_by_role("link", name="Help").first.click()
    expect(page.get_by_text("Hillside Trust, Surgery")).to_be_visible()
    assert WISHES not in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Widen preferences").click()
    expect(page.get_by_role("alert")).to_contain_text("Confirm that the doctor has agreed")
    assert_accessible(page)
    page.get_by_label("Mentors from their own organisation are fine").check()
    page.get_by_label("The doctor has agreed to these changes").check()
    page.get_by_role("button", name="Widen preferences").click()
    expect(page.get_by_text("Preferences widened (1)")).to_be_visible()

    page.goto(live_server + "/coordinator/matching")
    assert_accessible(page)
    page.get_by_role("button", name="Run matching").click()
    expect(page.get_by_text("been sent a proposed mentor")).to_be_visible()
    assert_accessible(page)
