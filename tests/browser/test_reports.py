"""Issue 9 as the demo coordinator meets it: a full dashboard, hidden cells, a CSV, no person."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from mentoring.demo import demo_data_create
from mentoring.reports.uptake import NOT_YET
from tests.browser.conftest import assert_accessible, browser_sign_in
from tests.factories import FACTORY_PASSWORD


def test_the_demo_coordinator_reads_reports_and_downloads_a_table(page, live_server, db):
    demo_data_create(password=FACTORY_PASSWORD)
    db.session.commit()
    browser_sign_in(page, live_server, "coordinator@demo.test")

    page.get_by_role("link", name="Reports").first.click()
    page.get_by_role("heading", name="Reports", level=1).wait_for()
    main = page.locator("main")
    for section in ("Uptake", "What people bring", "Mentor pool", "Well-being check-ins"):
        assert main.get_by_role("heading", name=section, level=2).is_visible()
    assert main.locator("td", has_text="*").count() > 0  # small cells are hidden
    assert main.get_by_role("img").count() >= 5  # every chart is an image with a text title
    assert NOT_YET in main.inner_text()
    assert_accessible(page)

    # No link on the page leads to a person or a record.
    hrefs = main.locator("a").evaluate_all("links => links.map(link => link.getAttribute('href'))")
    assert hrefs and all(href.startswith(("#", "/reports/")) for href in hrefs), hrefs

    # The CSV holds what the table shows.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download requests made in the period as CSV").click()
    published = list(csv.reader(io.StringIO(Path(download_info.value.path()).read_text())))
    table = main.locator("#table-uptake-requests table")
    shown = [
        [cell.strip() for cell in row]
        for row in table.locator("tr").evaluate_all(
            "rows => rows.map(row => [...row.cells].map(cell => cell.textContent))"
        )
    ]
    assert published == shown

    # A smaller group, then a crafted period: a message, never a smaller group.
    page.get_by_label("Group", exact=True).select_option(
        label="Specialty and specialist (SAS) doctor"
    )
    page.get_by_role("button", name="Show figures").click()
    assert "Too few people are in this group" in main.inner_text()
    assert_accessible(page)
    page.goto(f"{live_server}/reports/?period=2999-Q1")
    assert "That period has not started yet" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
