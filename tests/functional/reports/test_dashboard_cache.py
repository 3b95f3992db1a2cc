"""The dashboard's published figures are kept once worked out, for a set time, for report readers.

A coordinator's second request for a period reads no figures from the database; a running period's
figures are worked out again after `REPORT_CACHE_RUNNING_SECONDS` and an ended one's after
`REPORT_CACHE_CLOSED_SECONDS`, and never sooner; a page's CSV links serve that page's figures even
after they were replaced; what is kept holds no number that disclosure control hid; and nobody
without the reports permission reaches kept figures. Time passes by moving the cache's clock
(`mentoring.reports.cache.now`), never by waiting.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import event

from mentoring.extensions import db as _db
from mentoring.extensions import report_cache
from mentoring.permissions import Role
from mentoring.reports import cache
from mentoring.reports.context import ReportContext
from mentoring.reports.disclosure import DisclosureRules
from mentoring.reports.filters import Group, Period, ReportQuery
from tests.functional.reports.helpers import ACUTE, LONDON, ORGANISATIONS, PCN, Q3, _request, at

# Tables the report sections read; a request that kept figures serve touches none of them.
REPORT_SOURCES = (
    "mentoring_request",
    "request_topic",
    "mentoring_relationship",
    "session_log",
    "session_topic",
    "session_signpost",
    "mentee_feedback",
    "mentor_profile",
    "training_record",
    "supervision_session",
    "wellbeing_check_in",
)
CSV_LINK = re.compile(r'href="(/reports/uptake-requests\.csv\?[^"]+)"')


class _TableText(HTMLParser):
    """The heading and cell texts of one report table on a page, row by row."""

    def __init__(self, table_key: str) -> None:
        super().__init__()
        self.wanted = f"table-{table_key}"
        self.depth = 0  # divs open inside the wanted table's div
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.withheld: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.depth == 0:
            if tag == "div" and attributes.get("id") == self.wanted:
                self.depth = 1
            return
        if tag == "div":
            self.depth += 1
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self.cell = []
        elif tag == "p" and attributes.get("class") == "app-report-withheld":
            self.withheld = []

    def handle_endtag(self, tag):
        if self.depth == 0:
            return
        if tag == "div":
            self.depth -= 1
        elif tag in ("th", "td") and self.cell is not None:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "p" and self.withheld is not None:
            self.rows = [["Message"], ["".join(self.withheld).strip()]]
            self.withheld = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)
        elif self.withheld is not None:
            self.withheld.append(data)


def page_table(page: str, table_key: str) -> list[list[str]]:
    parser = _TableText(table_key)
    parser.feed(page)
    assert parser.rows, f"no table {table_key} on the page"
    return parser.rows


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    return list(csv.reader(io.StringIO(response.text)))


def report_reads(app, client, path: str) -> tuple[int, list[str]]:
    """(status, statements that read a report source) while `path` is served."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    with app.app_context():
        engine = _db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        status = client.get(path).status_code
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return status, [s for s in statements if any(name in s for name in REPORT_SOURCES)]


def later(monkeypatch, seconds: float) -> None:
    """Move the cache's clock `seconds` on from now."""
    moment = datetime.now(UTC) + timedelta(seconds=seconds)
    monkeypatch.setattr(cache, "now", lambda: moment)


def new_requests(count: int, created: datetime, organisation: str = ACUTE) -> None:
    for _ in range(count):
        _request(created=created, organisation=organisation)
    _db.session.commit()


@pytest.mark.usefixtures("scheme")
def test_a_second_request_for_the_same_figures_reads_none_of_them_from_the_database(
    app, coordinator
):
    status, first = report_reads(app, coordinator, "/reports/?period=2026-Q3")
    assert status == 200
    assert len(first) > 20  # the dashboard's aggregate queries

    for path in (
        "/reports/?period=2026-Q3",
        "/reports/uptake-requests.csv?period=2026-Q3&group=all",
        "/reports/wellbeing-by-week.csv?period=2026-Q3&group=all",
    ):
        status, reads = report_reads(app, coordinator, path)
        assert status == 200
        assert reads == []
    # Another coordinator is served the same kept figures.
    other = coordinator.application.test_client()
    from tests.conftest import sign_in
    from tests.factories import make_user

    person = make_user(roles=(Role.ADMIN,))
    _db.session.commit()
    sign_in(other, person)
    assert report_reads(app, other, "/reports/?period=2026-Q3") == (200, [])


def test_a_running_periods_figures_are_worked_out_again_after_the_configured_time(
    app, db, coordinator, monkeypatch
):
    today = datetime.now(LONDON).date()
    new_requests(10, datetime.now(UTC) - timedelta(minutes=1))
    path = "/reports/uptake-requests.csv"
    before = csv_rows(coordinator.get(path))
    page = coordinator.get("/reports/").text
    assert "This period is still running, so we work its figures out again every 5 minutes" in page

    new_requests(20, datetime.now(UTC) - timedelta(minutes=1))
    later(monkeypatch, app.config["REPORT_CACHE_RUNNING_SECONDS"] - 5)
    assert csv_rows(coordinator.get(path)) == before  # not yet: nobody can ask for sooner
    assert report_reads(app, coordinator, "/reports/")[1] == []

    later(monkeypatch, app.config["REPORT_CACHE_RUNNING_SECONDS"] + 1)
    after = csv_rows(coordinator.get(path))
    assert after != before
    assert after == page_table(coordinator.get("/reports/").text, "uptake-requests")
    assert today.strftime("%-d %B %Y") in page


@pytest.mark.usefixtures("scheme")
def test_an_ended_periods_figures_are_kept_longer(app, coordinator, monkeypatch):
    path = "/reports/uptake-requests.csv?period=2026-Q3&group=all"
    before = csv_rows(coordinator.get(path))
    assert "sessions logged late can still change its figures" in (
        coordinator.get("/reports/?period=2026-Q3").text
    )
    new_requests(20, at(Q3.start))

    later(monkeypatch, app.config["REPORT_CACHE_RUNNING_SECONDS"] + 60)
    assert csv_rows(coordinator.get(path)) == before
    later(monkeypatch, app.config["REPORT_CACHE_CLOSED_SECONDS"] + 1)
    assert csv_rows(coordinator.get(path)) != before


@pytest.mark.usefixtures("scheme")
def test_while_one_request_works_stale_figures_out_again_others_get_the_stale_ones(
    app, coordinator, monkeypatch
):
    path = "/reports/uptake-requests.csv?period=2026-Q3&group=all"
    before = csv_rows(coordinator.get(path))
    new_requests(20, at(Q3.start))
    later(monkeypatch, app.config["REPORT_CACHE_CLOSED_SECONDS"] + 1)
    working = _key(app, Q3, None) + ":working"
    with app.app_context():
        assert report_cache.add(working, 1)  # another request is working them out
    status, reads = report_reads(app, coordinator, "/reports/?period=2026-Q3")
    assert (status, reads) == (200, [])
    assert csv_rows(coordinator.get(path)) == before

    with app.app_context():
        report_cache.delete(working)  # that request finished without keeping anything
    assert csv_rows(coordinator.get(path)) != before


def _key(app, period: Period, group: Group | None) -> str:
    ctx = ReportContext(
        query=ReportQuery(period=period, group=group),
        rules=DisclosureRules(),
        today=datetime.now(LONDON).date(),
        organisations=ORGANISATIONS,
        zone=LONDON,
    )
    with app.test_request_context():
        return cache.cache_key(ctx)


@pytest.mark.usefixtures("scheme")
def test_kept_figures_are_apart_for_each_period_and_group(app, coordinator):
    groups = (None, Group("organisation", ACUTE), Group("organisation", PCN))
    periods = (Q3, Period(2026, quarter=2), Period(2026, month=8))
    keys = {_key(app, period, group) for period in periods for group in groups}
    assert len(keys) == len(periods) * len(groups)

    everyone = coordinator.get("/reports/?period=2026-Q3").text
    acute = coordinator.get(f"/reports/?period=2026-Q3&group=organisation:{ACUTE}").text
    gps = coordinator.get(f"/reports/?period=2026-Q3&group=organisation:{PCN}").text
    assert page_table(everyone, "uptake-requests") != page_table(acute, "uptake-requests")
    assert page_table(gps, "uptake-requests")[0] == ["Message"]  # two requests: withheld
    august = coordinator.get("/reports/?period=2026-08").text
    assert page_table(august, "uptake-requests") != page_table(everyone, "uptake-requests")


@pytest.mark.usefixtures("scheme")
def test_csv_links_serve_the_pages_figures_even_after_they_are_replaced(
    app, coordinator, monkeypatch
):
    first_page = coordinator.get("/reports/?period=2026-Q3").text
    first_link = CSV_LINK.search(first_page).group(1).replace("&amp;", "&")
    shown = page_table(first_page, "uptake-requests")
    assert csv_rows(coordinator.get(first_link)) == shown
    assert csv_rows(coordinator.get("/reports/uptake-requests.csv?period=2026-Q3")) == shown

    new_requests(20, at(Q3.start))
    later(monkeypatch, app.config["REPORT_CACHE_CLOSED_SECONDS"] + 1)
    second_page = coordinator.get("/reports/?period=2026-Q3").text
    second_link = CSV_LINK.search(second_page).group(1).replace("&amp;", "&")
    assert second_link != first_link
    assert page_table(second_page, "uptake-requests") != shown
    assert csv_rows(coordinator.get(second_link)) == page_table(second_page, "uptake-requests")
    # The first page's link still gives the first page's figures, never a mixture.
    assert csv_rows(coordinator.get(first_link)) == shown

    later(
        monkeypatch,
        app.config["REPORT_CACHE_CLOSED_SECONDS"] * 2
        + app.config["REPORT_CACHE_DOWNLOAD_GRACE_SECONDS"]
        + 1,
    )
    with app.app_context():
        report_cache.clear()  # the store has let the first computation go
    gone = coordinator.get(first_link)
    assert gone.status_code == 410
    assert "refresh the page to download the latest figures" in gone.text
    tampered = first_link.replace("figures=", "figures=x")
    assert coordinator.get(tampered).status_code == 410


@pytest.mark.usefixtures("scheme")
def test_what_is_kept_is_what_the_page_shows_and_no_hidden_number(app, coordinator):
    page = coordinator.get(f"/reports/?period=2026-Q3&group=organisation:{ACUTE}").text
    ctx = ReportContext(
        query=ReportQuery(period=Q3, group=Group("organisation", ACUTE)),
        rules=DisclosureRules(),
        today=datetime.now(LONDON).date(),
        organisations=ORGANISATIONS,
        zone=LONDON,
    )
    with app.test_request_context():
        entry = report_cache.get(cache.cache_key(ctx))
    assert set(entry) == {"format", "stamp", "computed_at", "sections"}
    hidden = 0
    for section in entry["sections"]:
        for table in section["tables"]:
            rows = [*table["rows"], *([table["total"]] if table["total"] else [])]
            for row in rows:
                for cell in row["cells"]:
                    if cell["hidden"]:
                        hidden += 1
                        assert cell["value"] is None
            if not table["withheld"]:
                assert page_table(page, table["key"])[1:] == [
                    [row["label"], *(_text(cell) for cell in row["cells"])] for row in rows
                ]
    assert hidden > 0  # the fixture has small numbers to hide


def _text(cell: dict) -> str:
    from mentoring.reports.cache import _cell

    return _cell(cell).text


@pytest.mark.usefixtures("scheme")
@pytest.mark.parametrize("role", [Role.DOCTOR, Role.MENTOR])
def test_people_without_the_reports_permission_get_no_kept_figures(
    app, coordinator, login_as, role
):
    page = coordinator.get("/reports/?period=2026-Q3").text
    link = CSV_LINK.search(page).group(1).replace("&amp;", "&")
    caption = "Requests made in the period"
    other = login_as(role)
    for path in ("/reports/?period=2026-Q3", link, "/reports/uptake-requests.csv?period=2026-Q3"):
        response = other.get(path)
        assert response.status_code == 403
        assert "uptake" not in response.text.lower()
        assert caption not in response.text
    signed_out = app.test_client().get(link)
    assert signed_out.status_code == 302
    assert "/auth/login" in signed_out.headers["Location"]


def _redis_reachable() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason="needs Redis on 127.0.0.1:6379")
@pytest.mark.usefixtures("scheme")
def test_instances_sharing_redis_share_kept_figures_as_json(app, database_url, upload_folder):
    import secrets

    import redis

    from mentoring import create_app
    from tests.conftest import IsolatedClient, sign_in
    from tests.factories import make_user

    prefix = f"test-reports-{secrets.token_hex(6)}:"
    instances = []
    for _ in range(2):
        instance = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": database_url,
                "UPLOAD_FOLDER": upload_folder,
                "REPORT_CACHE_URL": "redis://127.0.0.1:6379/0",
                "REPORT_CACHE_KEY_PREFIX": prefix,
            }
        )
        instance.test_client_class = IsolatedClient
        instances.append(instance)
    person = make_user(roles=(Role.COORDINATOR,))
    _db.session.commit()
    first, second = (sign_in(instance.test_client(), person) for instance in instances)
    store = redis.Redis(host="127.0.0.1", port=6379, db=0)
    try:
        status, reads = report_reads(instances[0], first, "/reports/?period=2026-Q3")
        assert status == 200 and reads
        assert report_reads(instances[1], second, "/reports/?period=2026-Q3") == (200, [])
        kept = store.keys(prefix + "*")
        # the current figures, the same under their stamp, and their head (stamp and time)
        assert len(kept) == 3
        for key in kept:
            assert store.get(key).startswith(b"{")  # JSON, never pickle
            assert (
                0
                < store.ttl(key)
                <= (
                    app.config["REPORT_CACHE_CLOSED_SECONDS"]
                    + app.config["REPORT_CACHE_DOWNLOAD_GRACE_SECONDS"]
                )
            )
    finally:
        for key in store.keys(prefix + "*"):
            store.delete(key)
        for instance in instances:
            with instance.app_context():
                _db.engine.dispose()


@pytest.mark.usefixtures("scheme")
def test_without_its_store_the_dashboard_still_shows_figures_worked_out_for_the_request(
    database_url, upload_folder
):
    from mentoring import create_app
    from tests.conftest import IsolatedClient, sign_in
    from tests.factories import make_user

    unreachable = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "UPLOAD_FOLDER": upload_folder,
            "REPORT_CACHE_URL": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    )
    unreachable.test_client_class = IsolatedClient
    person = make_user(roles=(Role.COORDINATOR,))
    _db.session.commit()
    client = sign_in(unreachable.test_client(), person)
    try:
        page = client.get("/reports/?period=2026-Q3")
        assert page.status_code == 200
        link = CSV_LINK.search(page.text).group(1).replace("&amp;", "&")
        assert "figures=" not in link  # nothing kept to name
        assert csv_rows(client.get(link)) == page_table(page.text, "uptake-requests")
    finally:
        with unreachable.app_context():
            _db.engine.dispose()
