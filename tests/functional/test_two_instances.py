"""Two instances of the service, one database and one Redis: they act as one service.

Each instance is a real gunicorn process in production configuration. A person signed in on one is
signed in on the other (the session is a signed cookie), signing out everywhere on one ends the
session on the other (the token lives in the database), and failed sign-ins on either count
towards one limit (the counters live in Redis). CI runs Redis; without it these tests are skipped.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.client import Browser
from tests.factories import FACTORY_PASSWORD, make_user

ROOT = Path(__file__).resolve().parents[2]
REDIS = ("127.0.0.1", 6379)


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not _redis_reachable(), reason="needs Redis on 127.0.0.1:6379")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(base: str, process: subprocess.Popen) -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        assert process.poll() is None, "the instance stopped while starting"
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{base} did not start")


@pytest.fixture
def instances(db, database_url, tmp_path) -> Iterator[tuple[str, str]]:
    """Two production instances sharing the test database and one Redis (own key prefix)."""
    env = {
        **os.environ,
        "MENTORING_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "NOTE_ENCRYPTION_KEYS": "cHJvZHVjdGlvbi1zaGFwZS10ZXN0LW5vdGUta2V5LTA=",
        "DATABASE_URL": database_url,
        "RATELIMIT_STORAGE_URI": f"redis://{REDIS[0]}:{REDIS[1]}/0",
        "RATELIMIT_KEY_PREFIX": f"test-two-instances-{secrets.token_hex(6)}",
        "SIGN_IN_LIMIT_PER_ACCOUNT": "3 per minute",
        "SESSION_COOKIE_SECURE": "0",
        "FORCE_HTTPS": "0",
        "TRUSTED_PROXY_COUNT": "0",
        "EMAIL_ALLOW_TEST_DOMAINS": "1",
        "GUNICORN_WORKERS": "1",
        "UPLOAD_FOLDER": str(tmp_path),
    }
    processes, bases = [], []
    for _ in range(2):
        port = _free_port()
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "mentoring:create_app()"],
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(process)
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base, process in zip(bases, processes, strict=True):
            _wait_for(base, process)
        yield bases[0], bases[1]
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)


def test_signing_out_everywhere_on_one_instance_ends_the_session_on_the_other(instances, db):
    a, b = instances
    doctor = make_user(email="two.instances@nhs.net")
    db.session.commit()
    laptop, phone = Browser(a), Browser(b)
    laptop.sign_in(doctor.email, FACTORY_PASSWORD)
    phone.sign_in(doctor.email, FACTORY_PASSWORD)
    elsewhere = Browser(b)
    elsewhere.cookies = dict(laptop.cookies)
    assert elsewhere.get("/home")[0] == 200  # a session made on A is good on B

    status, _, _ = laptop.post_form("/account/sign-out-everywhere", {}, token_from="/auth/account")
    assert status == 303
    status, location, _ = phone.get("/home")
    assert status == 302 and "/auth/login" in location
    assert laptop.get("/home")[0] == 200


def test_failed_sign_ins_on_either_instance_count_towards_one_limit(instances, db):
    a, b = instances
    doctor = make_user(email="limited@nhs.net")
    db.session.commit()
    statuses = []
    for base in (a, b, a, b):
        browser = Browser(base)
        status, _, _ = browser.post_form(
            "/auth/login", {"email": doctor.email, "password": "not the password at all"}
        )
        statuses.append(status)
    assert statuses == [400, 400, 400, 429]
    right = Browser(a).post_form(
        "/auth/login", {"email": doctor.email, "password": FACTORY_PASSWORD}
    )
    assert right[0] == 429  # even the right password waits: the limit is the account's
