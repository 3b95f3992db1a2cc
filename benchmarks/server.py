"""The benchmark's data and server: synthetic schemes per scale, and gunicorn serving one of them.

PostgreSQL: each scale lives in its own schema (`bench_scale_0_1`, `bench_scale_1`) of the database
in BENCH_DATABASE_URL, chosen through `search_path`, so the benchmark never touches the `public`
schema the test suite rebuilds. SQLite: one file per scale in instance/bench/.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sqlalchemy import create_engine, text

from benchmarks.accounts import user_count
from mentoring.synthetic.plan import COORDINATORS, Plan

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "instance" / "bench"
DEFAULT_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

# Benchmark-only secrets: the data they protect is synthetic. Fixed, so data loaded by one run is
# readable by the next.
SECRET_KEY = "benchmark-only-secret-key-for-synthetic-data-0001"
NOTE_KEY = base64.urlsafe_b64encode(
    hashlib.sha256(b"mentoring benchmark note key").digest()
).decode()
PASSWORD = "benchmark synthetic accounts password"
TOTP_SECRET = "MENTORINGBENCHMARKSECRETKEY23456"


def schema_of(scale: float) -> str:
    return "bench_scale_" + f"{scale:g}".replace(".", "_")


def database_url(database: str, scale: float) -> str:
    if database == "sqlite":
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{BENCH_DIR / (schema_of(scale) + '.sqlite')}"
    base = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}options=-csearch_path%3D{schema_of(scale)}"


def _flask(url: str, *args: str) -> None:
    env = {
        **os.environ,
        "MENTORING_ENV": "development",
        "DATABASE_URL": url,
        "NOTE_ENCRYPTION_KEYS": NOTE_KEY,
    }
    # stdout carries only the benchmark's JSON lines: the command's own output goes to stderr.
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "mentoring", *args],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=sys.stderr,
    )


def _recreate(database: str, scale: float, url: str) -> None:
    if database == "sqlite":
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    engine = create_engine(os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema_of(scale)}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema_of(scale)}"'))
    engine.dispose()


def ensure_data(database: str, scale: float, log) -> str:
    """The URL of a database holding the synthetic scheme of `scale`, loading it if needed."""
    url = database_url(database, scale)
    expected = Plan(scale=scale, seed=6, today=None).doctors + COORDINATORS + 1
    found = user_count(url)
    if found != expected:
        log(f"loading synthetic data at scale {scale:g} into {database} (takes minutes at scale 1)")
        _recreate(database, scale, url)
        _flask(url, "db", "upgrade")
        started = time.perf_counter()
        _flask(
            url,
            "synthetic-data",
            "--scale",
            str(scale),
            "--password",
            PASSWORD,
            "--totp-secret",
            TOTP_SECRET,
        )
        log(f"loaded in {time.perf_counter() - started:.0f}s")
    else:
        _flask(url, "db", "upgrade")  # new migrations (indexes) reach old benchmark data too
        _vacuum_analyze(url)
    return url


def _vacuum_analyze(url: str) -> None:
    """After migrations on loaded data, as `synthetic-data` does after loading: a migration that
    rewrote rows (b5d2e8f4a1c7 filled the check-in topics' weeks) leaves the visibility map unset,
    and index-only scans then read the table too until autovacuum comes, if it is on. Tables
    already vacuumed are skipped page by page, so this is quick when nothing changed."""
    if url.startswith("sqlite"):
        return
    engine = create_engine(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        tables = connection.scalars(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        ).all()
        for table in tables:
            connection.execute(text(f'VACUUM ANALYZE "{table}"'))
    engine.dispose()


def redis_reachable(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


class Server:
    """gunicorn with the repository's gunicorn.conf.py, in production configuration."""

    def __init__(self, url: str, port: int, log_path: Path) -> None:
        self.base_url = f"http://127.0.0.1:{port}"
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        redis = redis_reachable()
        # Kept report figures: shared by the workers in Redis (as in production), under a prefix
        # of this server's own, so every run and scale starts with nothing kept.
        self.report_cache = "redis" if redis else "memory"
        self.report_cache_prefix = f"bench:{secrets.token_hex(6)}:"
        env = {
            **os.environ,
            "MENTORING_ENV": "production",
            "SECRET_KEY": SECRET_KEY,
            "NOTE_ENCRYPTION_KEYS": NOTE_KEY,
            "DATABASE_URL": url,
            "BENCHMARK_ROUTES": "1",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            # Plain HTTP on the loopback: no TLS proxy in front, so no Secure cookies or redirect.
            "SESSION_COOKIE_SECURE": "0",
            "FORCE_HTTPS": "0",
            "HSTS_ENABLED": "0",
            "TRUSTED_PROXY_COUNT": "0",
            "EMAIL_ALLOW_TEST_DOMAINS": "1",
            "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0" if redis else "memory://",
            "REPORT_CACHE_URL": "redis://127.0.0.1:6379/0" if redis else "memory://",
            "REPORT_CACHE_KEY_PREFIX": self.report_cache_prefix,
        }
        self.log = log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "mentoring:create_app()"],
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.base_url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer /healthz; see {self.log.name}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
        if self.report_cache == "redis":
            import redis

            store = redis.Redis(host="127.0.0.1", port=6379, db=0)
            for key in store.scan_iter(match=self.report_cache_prefix + "*"):
                store.delete(key)
            store.close()
