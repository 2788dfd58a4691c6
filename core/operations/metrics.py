"""Prometheus metrics with prometheus_client, the Prometheus project's own Python client.

Per process: the latency of each request, by method, route and status. Per instance,
read at each scrape from the database and the queue (so every host gives the same
figures): the queue's depth, the outbox by status, the age of the oldest email due and
unsent, the tasks that failed, the age of the worker's heartbeat.

Under gunicorn each worker process has its own request histogram; with
``PROMETHEUS_MULTIPROC_DIR`` set (and gunicorn's ``child_exit`` hook of
``deploy/gunicorn.conf.py``), prometheus_client adds up every process's figures.
"""

from __future__ import annotations

import os
import time

from prometheus_client import REGISTRY, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from .. import clock, runtime
from ..mail import service as mail

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
REQUEST_SECONDS = Histogram(
    "tremplin_request_duration_seconds",
    "Time to answer a request, by method, route and status.",
    ["method", "endpoint", "status"],
)


def started() -> float:
    """The moment a request starts, for ``observe``."""
    return time.perf_counter()


def observe(start: float, method: str, endpoint: str, status: int) -> None:
    """Record a request's latency (``endpoint`` is its route, never the raw path)."""
    REQUEST_SECONDS.labels(method, endpoint, str(status)).observe(time.perf_counter() - start)


def exposition() -> bytes:
    """Every metric in Prometheus's text format."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        MultiProcessCollector(processes)
    else:
        processes = REGISTRY
    instance = CollectorRegistry()
    instance.register(_InstanceCollector())
    return generate_latest(processes) + generate_latest(instance)


class _InstanceCollector:
    """Figures of the whole instance, read when Prometheus asks."""

    def collect(self):
        moment = clock.now()
        queue = runtime.current().queue
        yield GaugeMetricFamily(
            "tremplin_queue_depth", "Tasks waiting in the queue.", value=queue.depth()
        )
        yield CounterMetricFamily(
            "tremplin_task_failures",
            "Tasks that raised an error in a worker.",
            value=queue.failed_tasks(),
        )
        heartbeat = queue.last_heartbeat()
        if heartbeat is not None:
            yield GaugeMetricFamily(
                "tremplin_worker_heartbeat_age_seconds",
                "Seconds since a worker last ran its heartbeat task.",
                value=(moment - heartbeat).total_seconds(),
            )
        summary = mail.summary(moment)
        emails = GaugeMetricFamily("tremplin_emails", "Emails of the outbox.", labels=["status"])
        for status, count in (
            ("pending", summary.pending),
            ("failed", summary.failed),
            ("sent", summary.sent),
        ):
            emails.add_metric([status], count)
        yield emails
        age = (moment - summary.oldest_due).total_seconds() if summary.oldest_due else 0
        yield GaugeMetricFamily(
            "tremplin_email_oldest_unsent_age_seconds",
            "Seconds the oldest email due has waited (0 when none waits).",
            value=age,
        )
