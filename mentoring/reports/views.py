"""Coordinator reports: the dashboard and a CSV of each table, exactly as the page shows it.

Nothing here links to a person or a record; every number comes through `disclosure`. Pages and
downloads read the published figures through `cache`, which keeps them once worked out; a page's
CSV links name the computation the page showed, so a download matches its page.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, current_app, render_template, request

from mentoring.core.errors_views import render_error
from mentoring.core.templating import cut_at, placeholder
from mentoring.directory.queries import local_now
from mentoring.permissions import Permission, requires
from mentoring.reports.cache import (
    Published,
    dashboard_page,
    published_computation,
    published_dashboard,
)
from mentoring.reports.context import ReportContext
from mentoring.reports.disclosure import HIDDEN, DisclosureRules
from mentoring.reports.filters import (
    BadReportRequest,
    current_quarter,
    group_choices,
    parse_report_query,
    recent_periods,
)
from mentoring.reports.sections import SECTIONS
from mentoring.reports.tables import Table

bp = Blueprint("reports", __name__, url_prefix="/reports")


# A CSV link's name for the computation its page showed; not part of the report's query.
COMPUTATION_PARAMETER = "figures"
# Where dashboard.html's page block goes, replaced by the block's bytes (`_dashboard_page`).
_PAGE_BLOCK = placeholder("page-block")


def _context() -> ReportContext:
    today = local_now().date()
    organisations = tuple(current_app.config["ORGANISATIONS"])
    args = request.args.to_dict(flat=False)
    if request.endpoint == "reports.table_csv":
        args.pop(COMPUTATION_PARAMETER, None)
    query = parse_report_query(args, today=today, organisations=organisations)
    return ReportContext(
        query=query,
        rules=DisclosureRules.from_config(current_app.config),
        today=today,
        organisations=organisations,
        zone=ZoneInfo(current_app.config["TIMEZONE"]),
    )


def _choices(ctx: ReportContext | None) -> dict:
    """The filter form's menus as (value, text, chosen): the query's period and group are chosen,
    or this quarter when the query was refused."""
    today = local_now().date()
    periods = recent_periods(today)
    period = ctx.query.period if ctx else current_quarter(today)
    group = ctx.query.group if ctx else None
    return {
        "quarters": [(p.key, p.label, p == period) for p in periods if p.quarter],
        "months": [(p.key, p.label, ctx is not None and p == period) for p in periods if p.month],
        "groups": [
            (kind_label, [(g.key, g.label, g == group) for g in choices])
            for kind_label, choices in group_choices(current_app.config["ORGANISATIONS"])
        ],
    }


@bp.get("/")
@requires(Permission.READ_REPORTS)
def dashboard():
    try:
        ctx = _context()
    except BadReportRequest as error:
        # A refused query: its page (the message, the form on this quarter) for this request only.
        page = render_template(
            "reports/_page.html", error=error.message, ctx=None, hidden=HIDDEN, **_choices(None)
        )
        return _dashboard_page(page.encode(), error=error.message), 400

    def page(published: Published) -> str:
        at = published.computed_at.astimezone(ctx.zone)
        return render_template(
            "reports/_page.html",
            error=None,
            ctx=ctx,
            sections=published.sections,
            published=published,
            figures_at=at,
            figures_time=_clock(at),
            hidden=HIDDEN,
            **_choices(ctx),
        )

    return _dashboard_page(dashboard_page(ctx, page), error=None)


def _dashboard_page(page: bytes, *, error: str | None) -> Response:
    """This request's page (its header, CSRF token and CSP nonce) around the page block
    (templates/reports/_page.html as UTF-8, rendered or kept): the block is joined in as bytes,
    never rendered or encoded again."""
    html = render_template("reports/dashboard.html", error=error, page=_PAGE_BLOCK)
    before, after = cut_at(html, (_PAGE_BLOCK,), "the dashboard")
    return Response(b"".join((before.encode(), page, after.encode())), mimetype="text/html")


@bp.get("/<table_key>.csv")
@requires(Permission.READ_REPORTS)
def table_csv(table_key: str):
    try:
        ctx = _context()
    except BadReportRequest as error:
        return render_error(400, detail=error.message)
    if table_key.split("-", 1)[0] not in SECTIONS:
        abort(404)  # before any figure is read
    stamp = request.args.get(COMPUTATION_PARAMETER)
    published = published_computation(ctx, stamp) if stamp else published_dashboard(ctx)
    if published is None:
        return render_error(
            410,
            detail="These figures have been updated since you opened the report. Go back to "
            "the report and refresh the page to download the latest figures.",
        )
    table = _table(published, table_key)
    if table is None:
        abort(404)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([[_csv_safe(text) for text in row] for row in table.as_text_rows()])
    group = ctx.query.group.key.replace(":", "-").replace(" ", "-") if ctx.query.group else "all"
    filename = f"{table.key}-{ctx.query.period.key}-{group}.csv"
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{_ascii(filename)}"'},
    )


def _clock(moment: datetime) -> str:
    """A time as the NHS writes it: 9:05am, 3pm, midday, midnight."""
    if moment.minute == 0 and moment.hour in (0, 12):
        return "midnight" if moment.hour == 0 else "midday"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def _table(published: Published, table_key: str) -> Table | None:
    return next(
        (
            table
            for section in published.sections
            for table in section.tables
            if table.key == table_key
        ),
        None,
    )


def _csv_safe(text: str) -> str:
    """Spreadsheets run cells that start with these as formulas; our labels never should."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") and text != "-" else text


def _ascii(text: str) -> str:
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "-" for ch in text)
