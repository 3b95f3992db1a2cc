"""The dashboard's cold computation: what a request pays when its figures are not kept yet.

`make bench` reports the dashboard as people get it (`page_reports_dashboard` and
`reports_scale_growth`: figures kept by `mentoring/reports/cache.py`, worked out again at most every
few minutes) and, so the cache cannot hide it, the work of building every section from the
database: `reports_cold_compute`. That runs here, in the benchmark's own process, with the app in
production configuration against the same database and the server idle: one untimed build (imports,
compiled statements), then the median of `times` builds of the default view (this quarter, all
doctors), each with a fresh `ReportContext` so nothing is shared between builds. PostgreSQL's own
buffer cache stays warm, as it would on a server in use.
"""

from __future__ import annotations

import time
from zoneinfo import ZoneInfo


def cold_dashboard_ms(url: str, times: int = 5) -> list[float]:
    """Milliseconds for each of `times` builds of the default dashboard, untimed warm-up aside."""
    from benchmarks.work import _production_app
    from mentoring.extensions import db

    app = _production_app(url)
    with app.test_request_context("/reports/"):
        samples = [build_ms(app) for _ in range(times + 1)][1:]
        db.session.remove()
        db.engine.dispose()
    return samples


def build_ms(app) -> float:
    """One build of every section of the default view, in a request context of `app`."""
    from mentoring.directory.queries import local_now
    from mentoring.extensions import db
    from mentoring.reports.context import ReportContext
    from mentoring.reports.disclosure import DisclosureRules
    from mentoring.reports.filters import ReportQuery, current_quarter
    from mentoring.reports.sections import build_dashboard

    today = local_now().date()
    ctx = ReportContext(
        query=ReportQuery(period=current_quarter(today), group=None),
        rules=DisclosureRules.from_config(app.config),
        today=today,
        organisations=tuple(app.config["ORGANISATIONS"]),
        zone=ZoneInfo(app.config["TIMEZONE"]),
    )
    started = time.perf_counter()
    build_dashboard(ctx)
    elapsed = (time.perf_counter() - started) * 1000
    db.session.rollback()
    return round(elapsed, 1)


def median(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[len(ordered) // 2]
