"""The benchmark's ceiling: a minimal page through the base template that reads no database.

`make bench` compares every page's throughput with this one's (README, "Performance"). Registered
only when `BENCHMARK_ROUTES` is on: the benchmark's server and the test suite, never by default.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from mentoring.permissions import public

bp = Blueprint("bench", __name__, url_prefix="/bench")


@bp.route("/ceiling")
@public
def ceiling():
    return render_template("core/ceiling.html")
