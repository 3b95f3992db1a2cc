"""Issue 9 as the demo coordinator meets it: a full dashboard, hidden cells, a CSV, no person."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from mentoring.demo import demo_data_create
from tests.browser.conftest import assert_accessible, browser_sign_in
from tests.factories import FACTORY_PASSWORD

SECTIONS = (
    "Uptake",
    "What people bring",
    "Sessions",
    "Endings and feedback",
    "Mentor pool",
    "Well-being check-ins",
)
NEW_TABLES = (
    "sessions-by-month",
    "sessions-per-relationship",
    "sessions-medians",
    "endings-reasons",
    "endings-helpfulness",
    "endings-recommend",
    "bring-session-topics",
    "bring-signposting",
)


def _shown(table) -> list[list[str]]:
    return [
        [cell.strip() for cell in row]
        for row in table.locator("tr").evaluate_all(
            "rows => rows.map(row => [...row.cells].map(cell => cell.textContent))"
        )
    ]


def test_the_demo_coordinator_reads_reports_and_downloads_a_table(page, live_server, db):
    demo_data_create(password=FACTORY_PASSWORD)
    db.session.commit()
    browser_sign_in(page, live_server, "coordinator@demo.test")

    page.get_by_role("link", name="Reports").first.click()
    page.get_by_role("heading", name="Reports", level=1).wait_for()
    main = page.locator("main")
    for section in SECTIONS:
        assert main.get_by_role("heading", name=section, level=2).is_visible()
    assert main.locator("td", has_text="*").count() > 0  # small cells are hidden
    assert main.get_by_role("img").count() >= 10  # every chart is an image with a text title
    assert "Not in reports yet" not in main.inner_text()
    assert_accessible(page)

    # The last full quarter: session, ending and feedback tables are filled, each with a number.
    last_quarter = page.locator("#period optgroup[label='Quarters'] option").nth(1)
    label = last_quarter.inner_text().strip()
    page.get_by_label("Reporting period").select_option(last_quarter.get_attribute("value"))
    page.get_by_role("button", name="Show figures").click()
    page.get_by_role("heading", name=f"{label}: all doctors", level=2).wait_for()
    for key in NEW_TABLES:
        table = main.locator(f"#table-{key} table")
        assert table.is_visible(), key
        figures = table.locator("td").all_inner_texts()
        assert any(text.strip() not in ("0", "*", "-", "0%") for text in figures), key
    assert_accessible(page)

    # No link on the page leads to a person or a record.
    hrefs = main.locator("a").evaluate_all("links => links.map(link => link.getAttribute('href'))")
    assert hrefs and all(href.startswith(("#", "/reports/")) for href in hrefs), hrefs

    # The CSV holds what the table shows.
    for key, caption in (
        ("uptake-requests", "requests made in the period"),
        ("sessions-by-month", "sessions held, by month"),
        ("endings-reasons", "why relationships ended"),
    ):
        with page.expect_download() as download_info:
            page.get_by_role("link", name=f"Download {caption} as CSV").click()
        published = list(csv.reader(io.StringIO(Path(download_info.value.path()).read_text())))
        assert published == _shown(main.locator(f"#table-{key} table")), key

    # A smaller group, then a crafted period: a message, never a smaller group.
    page.get_by_label("Group", exact=True).select_option(
        label="Specialty and specialist (SAS) doctor"
    )
    page.get_by_role("button", name="Show figures").click()
    page.get_by_role(
        "heading", name="Specialty and specialist (SAS) doctor", exact=False
    ).first.wait_for()
    assert "Too few people are in this group" in main.inner_text()
    assert "cannot be shown for a group" in main.inner_text()  # feedback: all doctors only
    assert_accessible(page)
    page.goto(f"{live_server}/reports/?period=2999-Q1")
    assert "That period has not started yet" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
