"""A closed-loop load generator: a few threads, one ``httpx`` client each."""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import httpx

from .measures import percentile


@dataclass
class Load:
    """What a load run measured: latencies in seconds, wall time, errors."""

    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    errors: int = 0

    @property
    def rate(self) -> float:
        """Requests per second."""
        return len(self.latencies) / self.seconds if self.seconds else math.nan

    def ms(self, q: float) -> float:
        """The ``q``-th percentile latency in milliseconds."""
        return percentile(self.latencies, q) * 1000


def load(
    base_url: str,
    paths: Sequence[str],
    requests: int,
    concurrency: int,
    cookies: httpx.Cookies | None = None,
    warmup: int | None = None,
    deadline_seconds: float = 300,
) -> Load:
    """Send ``requests`` GETs (cycling through ``paths``) from ``concurrency`` threads.

    Closed loop: each client sends its next request when the previous answer is in. Each
    path is first requested once per client (at most ``requests`` in all), unmeasured:
    caches are warm and every worker has served each path.
    A request that fails or answers anything but 200 counts as an error. Bounded in count
    and time: stops at ``deadline_seconds`` whatever is left.
    """
    result = Load()
    counter = itertools.count()
    lock = threading.Lock()
    warmup = min(len(paths), requests) if warmup is None else warmup
    stop_at = time.monotonic() + deadline_seconds

    def client_loop() -> None:
        with httpx.Client(base_url=base_url, cookies=cookies, timeout=deadline_seconds) as client:
            for index in range(warmup):
                client.get(paths[index % len(paths)])
            barrier.wait()
            while time.monotonic() < stop_at:
                number = next(counter)
                if number >= requests:
                    return
                started = time.perf_counter()
                try:
                    ok = client.get(paths[number % len(paths)]).status_code == 200
                except httpx.HTTPError:
                    ok = False
                elapsed = time.perf_counter() - started
                with lock:
                    if ok:
                        result.latencies.append(elapsed)
                    else:
                        result.errors += 1

    barrier = threading.Barrier(concurrency + 1)
    threads = [threading.Thread(target=client_loop, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result
