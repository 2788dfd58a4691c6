"""W1: the directory search through a real gunicorn server under load.

The search is ``GET /api/v1/ambassadors/?q=...&territory=...&intervention_type=...`` as a
signed-in teacher, cycling through a fixed list of searches (words of occupations, five
departments and two basins, two types). Floors, measured in the same run:

- **SQL**: every statement the same requests run (session, search, count, profiles),
  recorded from peewee's log in this process and replayed straight through the driver on
  one open connection, sequentially;
- **/healthz**: a trivial route of the same server under the same load.

The composite floor of a search over HTTP is the trivial route's latency plus the SQL's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from .datasets import Database
from .floors import Driver, captured_sql, replay_latencies
from .instance import bundled_plugins, environment, make_app
from .load_generator import Load, load
from .measures import Options, Row, percentile, say
from .server import SEARCHER, Server, signed_in_cookies

WORDS = ("tech", "infirm", "soud", "comptab", "cuisin", "ingenieur", "logist", "develop")
TERRITORIES = ("59", "62", "80", "02", "60", "bef-62-arras", "area-59-metropole-flandre")
TYPES = ("class_talk", "company_visit")
P95_TARGET_MS = 50
FLOOR_TARGET = 2.0


def search_paths() -> list[str]:
    """The searches W1 cycles through: free text + territory + intervention type."""
    paths = []
    for number, word in enumerate(WORDS * 2):
        query = {
            "q": word,
            "territory": TERRITORIES[number % len(TERRITORIES)],
            "intervention_type": TYPES[number % len(TYPES)],
        }
        paths.append("/api/v1/ambassadors/?" + urlencode(query))
    return paths


@dataclass
class SearchRun:
    """One server's measures: the search, the trivial route, and the workers' peak memory."""

    search: Load
    healthz: Load
    memory_before_mb: float  # after the /healthz load only
    memory_after_mb: float  # after the search load too


def run_server(
    database: Database, options: Options, log: Path, plugins: list[str] | None = None
) -> SearchRun:
    """Start gunicorn on ``database``, load ``/healthz`` then the searches; stop it."""
    env = environment(database.url, database.queue_url, plugins)
    with Server(env, options.workers, log) as server:
        healthz = load(
            server.url,
            ["/healthz?ignore=worker"],
            options.requests,
            options.concurrency,
            deadline_seconds=options.load_seconds,
        )
        before = server.peak_memory_mb()
        cookies = signed_in_cookies(server.url)
        search = load(
            server.url,
            search_paths(),
            options.requests,
            options.concurrency,
            cookies=cookies,
            deadline_seconds=options.load_seconds,
        )
        after = server.peak_memory_mb()
    if search.errors or healthz.errors:
        raise RuntimeError(
            f"W1: {search.errors} searches and {healthz.errors} /healthz failed: see {log}"
        )
    return SearchRun(search, healthz, before, after)


def recorded_requests(
    database: Database, paths: list[str] | None = None
) -> list[list[tuple[str, tuple]]]:
    """The SQL statements of each search request (``paths``), recorded in this process."""
    app = make_app(database.url, database.queue_url, bundled_plugins())
    client = app.test_client()
    page = client.get("/connexion").get_data(as_text=True)
    token = re.search(r'name="csrf_token"\s+value="([^"]+)"', page).group(1)
    signed = client.post(
        "/connexion", data={"email": SEARCHER, "password": "tremplin-demo", "csrf_token": token}
    )
    if signed.status_code != 302:
        raise RuntimeError(f"W1: signing in failed in process ({signed.status_code})")
    requests = []
    for path in paths or search_paths():
        with captured_sql() as statements:
            response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"W1: {path} answered {response.status_code}")
        requests.append(list(statements))
    return requests


def sql_floor(database: Database, options: Options) -> list[float]:
    """Latencies of the searches' SQL replayed through the driver."""
    requests = recorded_requests(database)
    driver = Driver(database.url)
    try:
        return replay_latencies(driver, requests, options.requests, options.load_seconds)
    finally:
        driver.close()


def measure(database: Database, options: Options, workdir: Path) -> tuple[list[Row], SearchRun]:
    """W1 rows for ``database``; also returns the run, which W5, W6 and W7 read."""
    size = database.size.label
    say(f"W1 {database.kind} {size}: search under load, /healthz floor")
    log = workdir / f"gunicorn-{database.kind}-w1.log"
    run = run_server(database, options, log, plugins=bundled_plugins())
    say(f"W1 {database.kind} {size}: SQL floor")
    sql = sql_floor(database, options)
    sql_p50, sql_p95 = percentile(sql, 50) * 1000, percentile(sql, 95) * 1000
    search, healthz = run.search, run.healthz
    p50, p95 = search.ms(50), search.ms(95)
    composite95 = healthz.ms(95) + sql_p95
    common = {"workload": "W1 search", "database": database.kind, "size": size}
    rows = [
        Row(
            **common,
            measure="latency p50",
            value=p50,
            unit="ms",
            floor="SQL via driver p50",
            floor_value=sql_p50,
            ratio=p50 / sql_p50,
        ),
        Row(
            **common,
            measure="latency p95",
            value=p95,
            unit="ms",
            floor="SQL via driver p95",
            floor_value=sql_p95,
            ratio=p95 / sql_p95,
            target=f"< {P95_TARGET_MS} ms",
            met=p95 < P95_TARGET_MS,
        ),
        Row(
            **common,
            measure="latency p95",
            value=p95,
            unit="ms",
            floor="/healthz p95 + SQL p95",
            floor_value=composite95,
            ratio=p95 / composite95,
            target=f"≤ {FLOOR_TARGET:g}x",
            met=p95 / composite95 <= FLOOR_TARGET,
        ),
        Row(
            **common,
            measure="throughput",
            value=search.rate,
            unit="req/s",
            floor="/healthz req/s",
            floor_value=healthz.rate,
            ratio=healthz.rate / search.rate,
        ),
    ]
    return rows, run


PLAN_CHECK_SECONDS = 30


def plan_check(database: Database) -> list[Row]:
    """One search's SQL on the database as generated, then after ``ANALYZE`` (SQLite).

    Without the planner's statistics (``sqlite_stat1``: nothing in Tremplin runs
    ``ANALYZE``), SQLite may drive the search from the ``account_status`` index and run the
    full-text subquery once per account; stopped after 30 s. ``ANALYZE`` follows, so that
    the workloads measured next see the plan a maintained database gets.
    """
    first = search_paths()[0]
    driver = Driver(database.url)
    driver.analyze()  # recording the statements through the app is quick then
    driver.close()
    requests = recorded_requests(database, [first])
    driver = Driver(database.url)
    driver.connection.execute("DELETE FROM sqlite_stat1")  # back to "as generated"
    driver.close()
    driver = Driver(database.url)  # a new connection reads the (missing) statistics again
    try:
        before = driver.run_at_most(requests[0], PLAN_CHECK_SECONDS)
        say(f"W1 {database.kind}: ANALYZE")
        driver.analyze()
        driver.run(requests[0])
        after = driver.run_at_most(requests[0], PLAN_CHECK_SECONDS)
    finally:
        driver.close()
    capped = before == float("inf")
    value = PLAN_CHECK_SECONDS * 1000 if capped else before * 1000
    return [
        Row(
            workload="W1 search",
            database=database.kind,
            size=database.size.label,
            measure="one search's SQL, database as generated" + (" (stopped)" if capped else ""),
            value=value,
            unit="ms",
            floor="same after ANALYZE",
            floor_value=after * 1000,
            ratio=value / (after * 1000),
        )
    ]
