"""Work per request for each benchmark page: Python function calls and SQL statements.

Wall-clock figures on a shared machine are noisy; these counts are not. The app runs in production
configuration in this process, on the benchmark's synthetic scheme (loaded if missing), and each
page is requested through Flask's test client by a person signed in as the benchmark signs in:
one untimed request first, then `--repeat` requests under cProfile, counting every SQL statement
sent to the database and every connection taken from the pool.

    python -m benchmarks.work [--database sqlite|postgresql] [--scale 0.01] [--repeat 3]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import sys
import time

from benchmarks.server import NOTE_KEY, PASSWORD, SECRET_KEY, TOTP_SECRET, ensure_data

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _production_app(url: str):
    """As `make bench` serves the app (benchmarks/server.py): production, plain HTTP."""
    from mentoring import create_app

    os.environ["MENTORING_ENV"] = "production"
    return create_app(
        {
            "SECRET_KEY": SECRET_KEY,
            "NOTE_ENCRYPTION_KEYS": [NOTE_KEY],
            "SQLALCHEMY_DATABASE_URI": url,
            "BENCHMARK_ROUTES": True,
            "SESSION_COOKIE_SECURE": False,
            "FORCE_HTTPS": False,
            "HSTS_ENABLED": False,
            "TRUSTED_PROXY_COUNT": 0,
            "EMAIL_ALLOW_TEST_DOMAINS": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "REPORT_CACHE_URL": "memory://",
        }
    )


def _token(client, path: str) -> str:
    response = client.get(path)
    match = CSRF.search(response.get_data(as_text=True))
    if response.status_code != 200 or not match:
        raise RuntimeError(f"no form at {path} (status {response.status_code})")
    return match.group(1)


def _signed_in(app, email: str):
    import pyotp

    client = app.test_client()
    token = _token(client, "/auth/login")
    response = client.post(
        "/auth/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    if response.status_code != 302:
        raise RuntimeError(f"sign-in refused for {email}")
    if not response.headers["Location"].endswith("/auth/two-factor"):
        return client
    for _ in range(2):
        token = _token(client, "/auth/two-factor")
        code = pyotp.TOTP(TOTP_SECRET).now()
        response = client.post("/auth/two-factor", data={"code": code, "csrf_token": token})
        if response.status_code == 302:
            return client
        # A code is accepted once per 30-second step (an earlier run may have used it): wait.
        time.sleep(31 - time.time() % 30)
    raise RuntimeError(f"second step refused for {email}")


class Counter:
    """SQL statements sent, and connections taken from the pool, through the app's engine while
    counting (a view that writes on a second connection takes two)."""

    def __init__(self, engine) -> None:
        from sqlalchemy import event

        self.statements = 0
        self.checkouts = 0
        self.counting = False
        event.listen(engine, "before_cursor_execute", self._count)
        event.listen(engine.pool, "checkout", self._checkout)

    def _count(self, *_args) -> None:
        if self.counting:
            self.statements += 1

    def _checkout(self, *_args) -> None:
        if self.counting:
            self.checkouts += 1


def measure(counter: Counter, requests: list) -> dict:
    """Calls and statements per request over `requests` (callables returning a response)."""
    profile = cProfile.Profile()
    counter.statements, counter.checkouts, counter.counting = 0, 0, True
    statuses = set()
    for request in requests:
        profile.enable()
        response = request()
        profile.disable()
        statuses.add(response.status_code)
    counter.counting = False
    calls = pstats.Stats(profile).total_calls
    return {
        "calls": round(calls / len(requests)),
        "queries": round(counter.statements / len(requests), 1),
        "connections": round(counter.checkouts / len(requests), 1),
        "status": sorted(statuses),
    }


def page_requests(app, people, repeat: int) -> dict[str, tuple]:
    """Each page: (warm-up request, measured requests)."""
    from benchmarks.run import CHECK_IN_FORM

    doctor = _signed_in(app, people.doctors[0])
    mentor_email, relationship = people.mentors[0]
    mentor = _signed_in(app, mentor_email)
    coordinator = _signed_in(app, people.coordinators[0])
    anonymous = app.test_client()

    def get(client, path):
        return lambda: client.get(path)

    def check_in(email):
        client = _signed_in(app, email)
        form = {**CHECK_IN_FORM, "csrf_token": _token(client, "/check-in")}
        return lambda: client.post("/check-in", data=form)

    pages = {
        "ceiling": get(anonymous, "/bench/ceiling"),
        "page_doctor_home": get(doctor, "/home"),
        "page_mentor_relationship": get(mentor, f"/relationships/{relationship}"),
        "page_session_log_form": get(mentor, f"/relationships/{relationship}/sessions/new"),
        "page_directory": get(doctor, "/support"),
        "page_reports_dashboard": get(coordinator, "/reports/"),
    }
    plan = {name: (request, [request] * repeat) for name, request in pages.items()}
    submits = [check_in(email) for email in people.check_in_doctors[: repeat + 1]]
    plan["page_checkin_submit"] = (submits[0], submits[1:])
    return plan


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    url = ensure_data(args.database, args.scale, lambda m: print(f"# {m}", file=sys.stderr))
    from benchmarks.accounts import accounts_for
    from mentoring.extensions import db

    people = accounts_for(url, connections=1, check_ins=args.repeat + 1, timezone="Europe/London")
    app = _production_app(url)
    with app.app_context():
        counter = Counter(db.engine)
    for name, (warm_up, requests) in page_requests(app, people, args.repeat).items():
        warm_up()
        record = {"name": name, **measure(counter, requests)}
        print(json.dumps({**record, "scale": args.scale, "database": args.database}), flush=True)


if __name__ == "__main__":
    main()
