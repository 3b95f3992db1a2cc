"""`make bench`: pages under load at national scale, against the ceiling of the same app.

For each scale (0.1 and 1 by default): load the synthetic scheme if the database lacks it, serve the
app with gunicorn (the repository's gunicorn.conf.py, production configuration) on 127.0.0.1, sign
in clients of every role, and drive each page with 16 concurrent connections for a fixed time from
this process (a separate process from the server), in turns with the ceiling (`--slices`): each
page's ratio is to the ceiling measured beside it. Prints one JSON object per line.

    python -m benchmarks.run [--database postgresql|sqlite] [--scales 0.1,1] [--duration 15]
                             [--slices 10]
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from benchmarks import matching
from benchmarks.accounts import accounts_for, forget_bench_check_ins
from benchmarks.client import Browser
from benchmarks.cold import cold_dashboard_ms, median
from benchmarks.load import Measurement, Visit, drive, in_parallel, single_request_ms, warm_up
from benchmarks.server import BENCH_DIR, PASSWORD, TOTP_SECRET, Server, ensure_data

TARGET_RATIO = 0.4
TARGET_P95_MS = 100
TARGET_GROWTH = 1.5
CHECK_IN_FORM = {
    **{f"item_{n}": "3" for n in range(1, 6)},
    "topics": ["workload", "stress"],
    "career_stage_group": "training",
    "specialty_group": "medical",
    "organisation": "not_said",
}


def log(message: str) -> None:
    print(f"# {message}", file=sys.stderr, flush=True)


def emit(record: dict) -> None:
    print(json.dumps(record), flush=True)


def _signed_in(base: str, emails: list[str], width: int) -> list[Browser]:
    def task(email: str):
        return lambda: _sign_in(base, email)

    return in_parallel([task(email) for email in emails], width)


def _sign_in(base: str, email: str) -> Browser:
    browser = Browser(base)
    browser.sign_in(email, PASSWORD, TOTP_SECRET)
    return browser


def _shared(base: str, source: Browser, copies: int) -> list[Browser]:
    """More connections on one signed-in session (the coordinators are few)."""
    browsers = []
    for _ in range(copies):
        browser = Browser(base)
        browser.cookies = dict(source.cookies)
        browsers.append(browser)
    return browsers


def _check_in_queues(base: str, url: str, emails: list[str], connections: int) -> list[list[Visit]]:
    """Each doctor signed in with the form open, ready to submit once (one check-in a week)."""
    from benchmarks.accounts import signed_in_cookies
    from benchmarks.work import _production_app

    cookies = signed_in_cookies(_production_app(url), emails)

    def prepare(email: str):
        def task() -> Visit:
            browser = Browser(base)
            browser.cookies = dict(cookies[email])
            token = browser.csrf_token("/check-in")
            browser.connection.close()  # reopened at submit time; idle sockets would time out
            return Visit(browser, "POST", "/check-in", {**CHECK_IN_FORM, "csrf_token": token})

        return task

    visits = in_parallel([prepare(email) for email in emails], 4)
    return [visits[k::connections] for k in range(connections)]


def page_queues(base: str, url: str, args) -> dict[str, tuple[list[list[Visit]], bool]]:
    n = args.connections
    forgotten = forget_bench_check_ins(url)
    if forgotten:
        log(f"removed {forgotten} check-ins of earlier runs this week")
    people = accounts_for(url, connections=n, check_ins=args.check_ins, timezone="Europe/London")
    log(f"signing in {len(people.doctors) + len(people.mentors)} doctors and mentors")
    doctors = _signed_in(base, people.doctors, 4)
    mentors = _signed_in(base, [email for email, _ in people.mentors], 4)
    relationships = [relationship for _, relationship in people.mentors]
    coordinator = _sign_in(base, people.coordinators[0])
    coordinators = _shared(base, coordinator, n)

    def each(browsers, path_of):
        """One visit per connection; a person signed in once may have several connections."""
        queues = []
        for k in range(n):
            browser = browsers[k % len(browsers)]
            if k >= len(browsers):
                browser = _shared(base, browser, 1)[0]
            queues.append([Visit(browser, "GET", path_of(k))])
        return queues

    log(f"preparing {len(people.check_in_doctors)} doctors' check-ins")
    return {
        "ceiling": ([[Visit(Browser(base), "GET", "/bench/ceiling")] for _ in range(n)], True),
        "page_doctor_home": (each(doctors, lambda k: "/home"), True),
        "page_mentor_relationship": (
            each(mentors, lambda k: f"/relationships/{relationships[k % len(mentors)]}"),
            True,
        ),
        "page_session_log_form": (
            each(
                mentors, lambda k: f"/relationships/{relationships[k % len(mentors)]}/sessions/new"
            ),
            True,
        ),
        "page_directory": (each(doctors, lambda k: "/support"), True),
        "page_reports_dashboard": ([[Visit(b, "GET", "/reports/")] for b in coordinators], True),
        "page_checkin_submit": (_check_in_queues(base, url, people.check_in_doctors, n), False),
    }


def bench_scale(scale: float, args) -> dict:
    """Every page at this scale; returns the dashboard's idle times for the growth figures.

    "first": the first dashboard request of the run, with no figures kept yet (one sample);
    "kept": the median of 9 idle requests after the load, as people get the page; "cold": the
    builds of every section without the cache (benchmarks/cold.py), after the server stopped.
    """
    url = ensure_data(args.database, scale, log)
    server = Server(url, args.port, BENCH_DIR / f"gunicorn-{args.database}-{scale:g}.log")
    times: dict = {"report_cache": server.report_cache}
    try:
        queues = page_queues(server.base_url, url, args)
        slice_seconds = args.duration / args.slices
        times["first"] = single_request_ms(queues["page_reports_dashboard"][0][0][0], times=1)
        ceiling, _ = queues["ceiling"]
        warm_up(ceiling)
        ceiling_parts: list[Measurement] = []
        records = []
        for name, (page, repeat) in queues.items():
            if name == "ceiling":
                continue
            if repeat:
                warm_up(page)
            page_parts, beside = [], []
            # The page and the ceiling in turns, so each page is set against the ceiling as the
            # machine ran while it was measured (its speed drifts over minutes on a shared host).
            for _ in range(args.slices):
                beside.append(drive("ceiling", ceiling, duration=slice_seconds, repeat=True))
                page_parts.append(drive(name, page, duration=slice_seconds, repeat=repeat))
            ceiling_parts.extend(beside)
            measured = Measurement.merged(name, page_parts).summary()
            ceiling_rps = Measurement.merged("ceiling", beside).rps
            ratio = measured["rps"] / ceiling_rps if ceiling_rps else 0.0
            records.append(
                {
                    **measured,
                    "ratio_to_ceiling": round(ratio, 2),
                    "ceiling_rps": round(ceiling_rps, 1),
                    "scale": scale,
                    "database": args.database,
                    "target_met": bool(
                        ratio >= TARGET_RATIO
                        and measured["p95_ms"] < TARGET_P95_MS
                        and not measured["errors"]
                    ),
                }
            )
        whole_ceiling = Measurement.merged("ceiling", ceiling_parts).summary()
        emit({**whole_ceiling, "ratio_to_ceiling": 1.0, "scale": scale, "database": args.database})
        for record in records:
            emit(record)
        times["kept"] = single_request_ms(queues["page_reports_dashboard"][0][0][0])
    finally:
        server.stop()
    times["cold"] = cold_dashboard_ms(url)
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database",
        choices=["postgresql", "sqlite"],
        default=os.environ.get("BENCH_DATABASE", "postgresql"),
    )
    parser.add_argument("--scales", default=os.environ.get("BENCH_SCALES", "0.1,1"))
    parser.add_argument(
        "--duration", type=float, default=float(os.environ.get("BENCH_DURATION", 15))
    )
    parser.add_argument(
        "--slices",
        type=int,
        default=int(os.environ.get("BENCH_SLICES", 10)),
        help="each page's time in this many turns, each after a turn of the ceiling",
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--check-ins",
        type=int,
        default=6000,
        help="doctors ready to check in (enough for the whole duration; fewer at small scales)",
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8765)))
    args = parser.parse_args(argv)
    scales = [float(value) for value in args.scales.split(",")]
    dashboard = {scale: bench_scale(scale, args) for scale in scales}
    small, large = min(scales), max(scales)
    kept = {scale: dashboard[scale]["kept"] for scale in scales}
    cold = {scale: median(dashboard[scale]["cold"]) for scale in scales}
    if len(scales) >= 2:
        emit(
            {
                "name": "reports_scale_growth",
                f"dashboard_ms_scale_{small:g}": round(kept[small], 1),
                f"dashboard_ms_scale_{large:g}": round(kept[large], 1),
                "ratio": round(kept[large] / kept[small], 2),
                "target_met": kept[large] / kept[small] <= TARGET_GROWTH,
                "figures": f"kept ({dashboard[large]['report_cache']})",
                "database": args.database,
            }
        )
    # The cost a request pays when its figures are not kept yet: never hidden by the cache.
    record: dict = {"name": "reports_cold_compute"}
    for scale in scales:
        record[f"ms_scale_{scale:g}"] = cold[scale]
    for scale in scales:
        record[f"runs_scale_{scale:g}"] = dashboard[scale]["cold"]
    for scale in scales:
        record[f"first_page_ms_scale_{scale:g}"] = round(dashboard[scale]["first"], 1)
    if len(scales) >= 2:
        record["ratio"] = round(cold[large] / cold[small], 2)
        record["target_met"] = cold[large] / cold[small] <= TARGET_GROWTH
    emit({**record, "database": args.database})
    matching.main()


if __name__ == "__main__":
    main()
