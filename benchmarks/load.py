"""Drive one page with N signed-in clients for a fixed time; report throughput and latency.

Each connection is a thread with its own keep-alive connection and cookie session. Latency is the
time from sending the request to reading the whole response.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from benchmarks.client import Browser


@dataclass
class Visit:
    """One timed request a connection makes over and over (or once, for one-off forms)."""

    browser: Browser
    method: str
    path: str
    form: dict | None = None
    expect: int = 200


@dataclass
class Measurement:
    name: str
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    @property
    def rps(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    @classmethod
    def merged(cls, name: str, parts: list[Measurement]) -> Measurement:
        """One measurement of several slices of the same load: their requests over their time."""
        whole = cls(name)
        for part in parts:
            whole.latencies_ms.extend(part.latencies_ms)
            whole.errors += part.errors
            whole.seconds += part.seconds
        return whole

    def summary(self) -> dict:
        return {
            "name": self.name,
            "rps": round(self.rps, 1),
            "p50_ms": round(self.percentile(0.50), 1),
            "p95_ms": round(self.percentile(0.95), 1),
            "p99_ms": round(self.percentile(0.99), 1),
            "requests": len(self.latencies_ms),
            "errors": self.errors,
            "seconds": round(self.seconds, 1),
        }


def drive(name: str, queues: list[list[Visit]], *, duration: float, repeat: bool) -> Measurement:
    """Each queue is one connection's visits: repeated until time is up, or each made once (taken
    off the queue, so the next call goes on with the visits not made yet)."""
    result = Measurement(name)
    lock = threading.Lock()
    deadline = time.perf_counter() + duration

    def connection(queue: list[Visit]) -> None:
        done: list[float] = []
        errors = 0
        position = 0
        while time.perf_counter() < deadline and (repeat or queue):
            if repeat:
                visit = queue[position % len(queue)]
                position += 1
            else:
                visit = queue.pop()
            started = time.perf_counter()
            status, _location, _body = visit.browser.request(visit.method, visit.path, visit.form)
            done.append((time.perf_counter() - started) * 1000)
            errors += status != visit.expect
        with lock:
            result.latencies_ms.extend(done)
            result.errors += errors

    threads = [threading.Thread(target=connection, args=(queue,)) for queue in queues]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result


def warm_up(queues: list[list[Visit]]) -> None:
    """One untimed request per connection: workers import, compile templates and fill pools."""
    for queue in queues:
        visit = queue[0]
        visit.browser.request(visit.method, visit.path, visit.form)


def single_request_ms(visit: Visit, times: int = 9) -> float:
    """The median time of one request with the server otherwise idle."""
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        visit.browser.request(visit.method, visit.path, visit.form)
        samples.append((time.perf_counter() - started) * 1000)
    return sorted(samples)[len(samples) // 2]


def in_parallel(tasks: list[Callable[[], object]], width: int) -> list[object]:
    """Run setup tasks (sign-ins) `width` at a time; sign-in is slow on purpose (argon2)."""
    results: list[object] = [None] * len(tasks)
    failures: list[BaseException] = []
    lock = threading.Lock()
    pending = list(enumerate(tasks))

    def worker() -> None:
        while True:
            with lock:
                if not pending or failures:
                    return
                index, task = pending.pop()
            try:
                results[index] = task()
            except Exception as error:  # noqa: BLE001 - raised again below, in the caller
                with lock:
                    failures.append(error)

    threads = [threading.Thread(target=worker) for _ in range(width)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return results
