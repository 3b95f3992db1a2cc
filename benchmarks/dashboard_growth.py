"""The dashboard's growth with the data, measured at both scales in turn so load affects both alike.

`make bench` takes each scale's dashboard time while that scale's server runs, minutes apart; on a
machine shared with other work the two can meet different loads (the ceiling's throughput shows
it). Here one process holds the app for each scale (production configuration, figures kept in
memory) and alternates between them: a signed-in coordinator's dashboard request with its figures
kept (`--rounds` each, after one untimed request that keeps them), then builds of every section
without the cache (`--builds` each). It prints the medians, their ratio, and per request the SQL
statements and the page's size, which no load changes.

    python -m benchmarks.dashboard_growth [--database postgresql] [--scales 0.1,1]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from benchmarks.cold import build_ms
from benchmarks.server import ensure_data
from benchmarks.work import Counter, _production_app, _signed_in


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="postgresql")
    parser.add_argument("--scales", default="0.1,1")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--builds", type=int, default=7)
    args = parser.parse_args(argv)
    scales = [float(value) for value in args.scales.split(",")]
    apps = {scale: _serving(args.database, scale) for scale in scales}
    kept, statements = _kept(apps, args.rounds)
    cold = _cold(apps, args.builds)
    small, large = min(scales), max(scales)
    for name, samples in (("kept", kept), ("cold", cold)):
        medians = {scale: statistics.median(samples[scale]) for scale in scales}
        record = {"name": f"reports_{name}_interleaved", "database": args.database}
        for scale in scales:
            record[f"ms_scale_{scale:g}"] = round(medians[scale], 1)
        record["ratio"] = round(medians[large] / medians[small], 2)
        if name == "kept":
            for scale in scales:
                record[f"statements_scale_{scale:g}"] = statements[scale]
                record[f"bytes_scale_{scale:g}"] = apps[scale][3]
        print(json.dumps(record), flush=True)


def _serving(database: str, scale: float) -> tuple:
    """(app, signed-in coordinator, statement counter, page bytes), the figures kept."""
    from benchmarks.accounts import accounts_for
    from mentoring.extensions import db

    url = ensure_data(database, scale, lambda message: None)
    people = accounts_for(url, connections=1, check_ins=1, timezone="Europe/London")
    app = _production_app(url)
    client = _signed_in(app, people.coordinators[0])
    size = len(client.get("/reports/").data)  # untimed: works the figures out and keeps them
    with app.app_context():
        counter = Counter(db.engine)
    return app, client, counter, size


def _kept(apps: dict, rounds: int) -> tuple[dict, dict]:
    samples: dict[float, list[float]] = {scale: [] for scale in apps}
    statements: dict[float, int] = {}
    for _ in range(rounds):
        for scale, (_app, client, counter, _size) in apps.items():
            counter.statements, counter.counting = 0, True
            started = time.perf_counter()
            response = client.get("/reports/")
            samples[scale].append((time.perf_counter() - started) * 1000)
            counter.counting = False
            statements[scale] = counter.statements
            if response.status_code != 200:
                raise RuntimeError(f"dashboard answered {response.status_code}")
    return samples, statements


def _cold(apps: dict, builds: int) -> dict:
    samples: dict[float, list[float]] = {scale: [] for scale in apps}
    for round_ in range(builds + 1):
        for scale, (app, *_rest) in apps.items():
            with app.test_request_context("/reports/"):
                elapsed = build_ms(app)
            if round_:  # the first build of each is untimed
                samples[scale].append(elapsed)
    return samples


if __name__ == "__main__":
    main()
