"""The dashboard's page block (filter form and figures) is rendered once per computation, query
and day, and the HTML kept (`cache.kept_page`).

A page served from kept HTML is the page a fresh render gives; a new computation (a new stamp) is
rendered afresh, never shown as the old HTML; nobody the policy refuses reaches kept HTML; figures
that were not kept are not kept rendered either; and the kept HTML does not grow without bound.
Which templates a request renders is read from Flask's `template_rendered` signal.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from flask import template_rendered
from flask_login import login_user
from werkzeug.exceptions import Forbidden

from mentoring.extensions import db as _db
from mentoring.permissions import Role
from mentoring.reports import cache
from mentoring.reports.context import ReportContext
from mentoring.reports.disclosure import DisclosureRules
from mentoring.reports.filters import Group, ReportQuery
from tests.functional.reports.helpers import ACUTE, LONDON, ORGANISATIONS, PCN, Q3, at
from tests.functional.reports.test_dashboard_cache import (
    CSV_LINK,
    csv_rows,
    later,
    new_requests,
    page_table,
    report_reads,
)

KEPT = "reports/_page.html"  # the filter form and the figures, kept as one
VIEWS = (
    "/reports/?period=2026-Q3",
    "/reports/?period=2026-08&group=all",
    f"/reports/?period=2026-Q3&group=organisation:{ACUTE}",
    f"/reports/?period=2026-Q3&group=organisation:{PCN}",  # its tables withheld
)


@contextmanager
def rendered(app):
    """The names of the templates rendered while inside."""
    names: list[str] = []

    def record(_sender, template, **_extra) -> None:
        names.append(template.name)

    template_rendered.connect(record, app)
    try:
        yield names
    finally:
        template_rendered.disconnect(record, app)


def get(app, client, path: str) -> tuple[str, list[str]]:
    """(the page without its CSRF tokens and CSP nonces, templates rendered for it)."""
    with rendered(app) as names:
        response = client.get(path)
    assert response.status_code == 200, response.status_code
    html = re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', response.text)
    return re.sub(r'nonce="[^"]*"', 'nonce=""', html), names


def forget_rendered(app) -> None:
    with app.app_context():
        app.extensions[cache.PAGES].clear()


@pytest.mark.usefixtures("scheme")
def test_a_page_from_kept_html_is_the_page_a_fresh_render_gives(app, coordinator):
    for path in VIEWS:
        first, names = get(app, coordinator, path)
        assert KEPT in names  # worked out and rendered
        kept, names = get(app, coordinator, path)
        assert names == ["reports/dashboard.html"]  # the figures' HTML was kept
        forget_rendered(app)
        fresh, names = get(app, coordinator, path)
        assert KEPT in names  # the same kept figures, rendered again
        assert kept == fresh == first
        assert "Figures as at" in kept and 'id="table-uptake-requests"' in kept
        assert '<select class="nhsuk-select" id="period" name="period">' in kept
    # Each view kept its own: the last view's HTML is not another view's.
    everyone, names = get(app, coordinator, VIEWS[0])
    assert KEPT in names  # forgotten above, so rendered again
    acute, _ = get(app, coordinator, VIEWS[2])
    assert page_table(everyone, "uptake-requests") != page_table(acute, "uptake-requests")


@pytest.mark.usefixtures("scheme")
def test_another_reader_gets_the_kept_html_with_their_own_page_around_it(
    app, coordinator, login_as
):
    page, _ = get(app, coordinator, VIEWS[0])
    admin = login_as(Role.ADMIN, display_name="Another Reader")
    theirs, names = get(app, admin, VIEWS[0])
    assert names == ["reports/dashboard.html"]
    assert "Another Reader" in theirs and "Another Reader" not in page
    figures = page[page.index('<h2 class="nhsuk-heading-m">') :]
    assert theirs[theirs.index('<h2 class="nhsuk-heading-m">') :] == figures


@pytest.mark.usefixtures("scheme")
def test_a_new_computation_is_rendered_afresh_not_shown_as_the_old_html(
    app, coordinator, monkeypatch
):
    path = "/reports/?period=2026-Q3"
    first, _ = get(app, coordinator, path)
    first_link = CSV_LINK.search(first).group(1)
    assert get(app, coordinator, path)[1] == ["reports/dashboard.html"]

    new_requests(20, at(Q3.start))
    later(monkeypatch, app.config["REPORT_CACHE_CLOSED_SECONDS"] + 1)
    second, names = get(app, coordinator, path)
    assert KEPT in names
    second_link = CSV_LINK.search(second).group(1)
    assert second_link != first_link  # a new stamp
    assert first_link not in second
    assert page_table(second, "uptake-requests") != page_table(first, "uptake-requests")
    assert csv_rows(coordinator.get(second_link.replace("&amp;", "&"))) == page_table(
        second, "uptake-requests"
    )
    # and from then on the new computation's HTML is the one kept
    again, names = get(app, coordinator, path)
    assert (again, names) == (second, ["reports/dashboard.html"])


@pytest.mark.usefixtures("scheme")
def test_stale_figures_served_while_others_work_them_out_are_their_own_kept_html(
    app, coordinator, monkeypatch
):
    path = "/reports/?period=2026-Q3"
    first, _ = get(app, coordinator, path)
    new_requests(20, at(Q3.start))
    later(monkeypatch, app.config["REPORT_CACHE_CLOSED_SECONDS"] + 1)
    ctx = _ctx(None)
    with app.test_request_context():
        working = cache.cache_key(ctx) + ":working"
        assert cache.report_cache.add(working, 1)  # another request is working them out
    status, reads = report_reads(app, coordinator, path)
    assert (status, reads) == (200, [])
    assert get(app, coordinator, path) == (first, ["reports/dashboard.html"])


@pytest.mark.usefixtures("scheme")
@pytest.mark.parametrize("role", [Role.DOCTOR, Role.MENTOR])
def test_people_without_the_reports_permission_get_nothing_of_the_kept_html(
    app, coordinator, login_as, role
):
    page, _ = get(app, coordinator, VIEWS[0])
    stamp = re.search(r"figures=([A-Za-z0-9_-]+)", page).group(1)
    other = login_as(role)
    with rendered(app) as names:
        response = other.get(VIEWS[0])
    assert response.status_code == 403
    assert KEPT not in names and "reports/dashboard.html" not in names
    for shown in (stamp, "Figures as at", "Requests made in the period", "app-chart"):
        assert shown not in response.text
    signed_out = app.test_client().get(VIEWS[0])
    assert signed_out.status_code == 302
    assert stamp not in signed_out.text


def _ctx(group: Group | None) -> ReportContext:
    return ReportContext(
        query=ReportQuery(period=Q3, group=group),
        rules=DisclosureRules(),
        today=datetime.now(LONDON).date(),
        organisations=ORGANISATIONS,
        zone=LONDON,
    )


def _published(stamp: str | None) -> cache.Published:
    return cache.Published(
        data=[],
        computed_at=datetime(2026, 10, 1, tzinfo=UTC),
        stamp=stamp,
        closed=True,
        refresh_seconds=86400,
    )


@pytest.mark.parametrize("role", [Role.DOCTOR, Role.MENTOR])
def test_kept_html_is_refused_to_a_person_without_the_permission_before_it_is_read(app, db, role):
    from tests.factories import make_user

    reader = make_user(roles=(Role.COORDINATOR,))
    person = make_user(roles=(role,))
    _db.session.commit()
    ctx, published = _ctx(None), _published("keptstamp1")
    with app.test_request_context("/reports/"):
        login_user(reader)
        assert cache.kept_page(ctx, published, lambda: "<p>kept</p>") == b"<p>kept</p>"
    renders = []
    with app.test_request_context("/reports/"):
        login_user(person)
        with pytest.raises(Forbidden):
            cache.kept_page(ctx, published, lambda: renders.append(1) or "<p>other</p>")
    assert renders == []


def test_figures_not_kept_are_not_kept_rendered_and_rendered_html_is_bounded(app, db):
    from tests.factories import make_user

    reader = make_user(roles=(Role.COORDINATOR,))
    _db.session.commit()
    ctx = _ctx(Group("organisation", ACUTE))
    renders: list[str] = []

    def render(text: str):
        return lambda: renders.append(text) or f"<p>{text}</p>"

    with app.test_request_context("/reports/"):
        login_user(reader)
        for text in ("one", "two"):  # no stamp: the store was unreachable
            assert cache.kept_page(ctx, _published(None), render(text)) == f"<p>{text}</p>".encode()
        assert renders == ["one", "two"]

        stamps = [f"stamp{n:05d}" for n in range(cache.PAGES_KEPT * 3)]
        for stamp in stamps:
            cache.kept_page(ctx, _published(stamp), render(stamp))
        pages = app.extensions[cache.PAGES]
        # cachelib's SimpleCache lets the soonest to expire go before it adds one over its bound
        assert len(pages._cache) <= cache.PAGES_KEPT + 1
        renders.clear()
        assert cache.kept_page(ctx, _published(stamps[-1]), render("again")) == (
            f"<p>{stamps[-1]}</p>".encode()
        )
        assert renders == []  # the latest is still kept
        for stamp in stamps[:5]:
            cache.kept_page(ctx, _published(stamp), render(stamp))
        assert renders  # the earliest were let go, so they are rendered again


def test_while_templates_reload_on_change_nothing_is_kept_rendered(app, db, monkeypatch):
    from tests.factories import make_user

    reader = make_user(roles=(Role.COORDINATOR,))
    _db.session.commit()
    monkeypatch.setattr(app.jinja_env, "auto_reload", True)  # development
    ctx, published = _ctx(None), _published("editedtemplate")
    with app.test_request_context("/reports/"):
        login_user(reader)
        for text in ("before the edit", "after the edit"):
            page = cache.kept_page(ctx, published, lambda text=text: f"<p>{text}</p>")
            assert page == f"<p>{text}</p>".encode()


@pytest.mark.usefixtures("scheme")
def test_the_kept_html_holds_no_token_nonce_or_name(app, coordinator, login_as):
    coordinator.get(VIEWS[2])
    admin = login_as(Role.ADMIN, display_name="Another Reader")
    response = admin.get(VIEWS[2])
    page = response.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    nonce = re.search(r'nonce="([^"]+)"', page).group(1)
    with app.app_context():
        pages = app.extensions[cache.PAGES]
        kept = [pages.get(key).decode() for key in list(pages._cache)]  # kept as UTF-8
    assert kept and all(html in page for html in kept)  # this view's block, as the page shows it
    for html in kept:
        assert "<select" in html and "Figures as at" in html
        for private in (token, nonce, "Another Reader", "csrf_token", "nonce="):
            assert private not in html
    # The block's place in the page is filled once, leaving no placeholder; a refused query too.
    from mentoring.reports import views

    assert views._PAGE_BLOCK not in page and page.count('id="period"') == 1
    refused = admin.get("/reports/?group=nowhere")
    assert refused.status_code == 400 and views._PAGE_BLOCK not in refused.text
    assert refused.text.count("Choose a group from the list, or all doctors.") == 1
    assert refused.headers["Content-Type"] == response.headers["Content-Type"]
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"


def test_the_kept_html_is_rendered_again_on_a_new_day(app, db):
    """The period menu runs back from today, so a kept block is for one day only."""
    from dataclasses import replace
    from datetime import timedelta

    from tests.factories import make_user

    reader = make_user(roles=(Role.COORDINATOR,))
    _db.session.commit()
    ctx, published = _ctx(None), _published("keptstamp2")
    renders: list[str] = []
    with app.test_request_context("/reports/"):
        login_user(reader)
        for day, text in (
            (ctx, "today"),
            (ctx, "again"),
            (replace(ctx, today=ctx.today + timedelta(days=1)), "tomorrow"),
        ):
            cache.kept_page(day, published, lambda text=text: renders.append(text) or text)
    assert renders == ["today", "tomorrow"]


@pytest.mark.usefixtures("scheme")
def test_a_page_kept_here_reads_only_the_head_of_its_figures_from_the_store(
    app, coordinator, monkeypatch
):
    path = "/reports/?period=2026-Q3"
    first, _ = get(app, coordinator, path)
    with app.test_request_context():
        key = cache.cache_key(_ctx(None))
        head = cache.report_cache.get(f"{key}:{cache.HEAD}")
        entry = cache.report_cache.get(key)
    assert head == {k: entry[k] for k in ("format", "stamp", "computed_at")}  # no figures
    assert head["stamp"] in first

    reads: list[str] = []
    read = cache._read
    monkeypatch.setattr(cache, "_read", lambda k, **kw: reads.append(k) or read(k, **kw))
    assert get(app, coordinator, path) == (first, ["reports/dashboard.html"])
    assert reads == [f"{key}:{cache.HEAD}"]

    # Not kept in this process (another worker): the whole way, the same page.
    forget_rendered(app)
    reads.clear()
    again, names = get(app, coordinator, path)
    assert (again, reads) == (first, [f"{key}:{cache.HEAD}", key]) and KEPT in names

    # Stale figures: the whole way, worked out again and rendered afresh.
    later(monkeypatch, app.config["REPORT_CACHE_CLOSED_SECONDS"] + 1)
    reads.clear()
    fresh, names = get(app, coordinator, path)
    assert reads[:2] == [f"{key}:{cache.HEAD}", key] and KEPT in names
    assert CSV_LINK.search(fresh).group(1) != CSV_LINK.search(first).group(1)
