"""Coordinator reports: the dashboard and a CSV of each table, exactly as the page shows it.

Nothing here links to a person or a record; every number comes through `disclosure`.
"""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, current_app, render_template, request

from mentoring.core.errors_views import render_error
from mentoring.directory.queries import local_now
from mentoring.permissions import Permission, requires
from mentoring.reports.context import ReportContext
from mentoring.reports.disclosure import HIDDEN, DisclosureRules
from mentoring.reports.filters import (
    BadReportRequest,
    current_quarter,
    group_choices,
    parse_report_query,
    recent_periods,
)
from mentoring.reports.sections import build_dashboard, find_table

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _context() -> ReportContext:
    today = local_now().date()
    organisations = tuple(current_app.config["ORGANISATIONS"])
    query = parse_report_query(
        request.args.to_dict(flat=False), today=today, organisations=organisations
    )
    return ReportContext(
        query=query,
        rules=DisclosureRules.from_config(current_app.config),
        today=today,
        organisations=organisations,
        zone=ZoneInfo(current_app.config["TIMEZONE"]),
    )


def _choices() -> dict:
    today = local_now().date()
    return {
        "periods": recent_periods(today),
        "groups": group_choices(current_app.config["ORGANISATIONS"]),
        "default_period": current_quarter(today),
    }


@bp.get("/")
@requires(Permission.READ_REPORTS)
def dashboard():
    try:
        ctx = _context()
    except BadReportRequest as error:
        return render_template(
            "reports/dashboard.html",
            error=error.message,
            ctx=None,
            sections=[],
            hidden=HIDDEN,
            **_choices(),
        ), 400
    return render_template(
        "reports/dashboard.html",
        error=None,
        ctx=ctx,
        sections=build_dashboard(ctx),
        hidden=HIDDEN,
        **_choices(),
    )


@bp.get("/<table_key>.csv")
@requires(Permission.READ_REPORTS)
def table_csv(table_key: str):
    try:
        ctx = _context()
    except BadReportRequest as error:
        return render_error(400, detail=error.message)
    table = find_table(ctx, table_key)
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


def _csv_safe(text: str) -> str:
    """Spreadsheets run cells that start with these as formulas; our labels never should."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") and text != "-" else text


def _ascii(text: str) -> str:
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "-" for ch in text)
