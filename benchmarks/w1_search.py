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

import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from tremplin import runtime
from tremplin.clock import today
from tremplin.people import appellations, directory
from tremplin.people.directory import WORD
from tremplin.text import masculine_form, normalise

from . import w1_floor
from .datasets import Database
from .floors import Driver, captured_sql, replay_latencies
from .instance import bundled_plugins, environment, make_app
from .load_generator import Load, load
from .measures import Options, Row, percentile, say
from .server import SEARCHER, Server, signed_in_cookies

WORDS = ("tech", "infirm", "soud", "comptab", "cuisin", "ingenieur", "logist", "develop")
TERRITORIES = ("59", "62", "80", "02", "60", "bef-62-arras", "area-59-metropole-flandre")
TYPES = ("class_talk", "company_visit")
P95_TARGET_MS = 20
FLOOR_TARGET = 1.5


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


@dataclass
class Answered:
    """A search request answered in process: its SQL statements and the page it gave."""

    path: str
    statements: list[tuple[str, tuple]]
    ids: list[int]
    total: int
    page_size: int
    hold_sources: tuple[str, ...]  # the instance's registered areas and plugins


def answered_requests(database: Database, paths: list[str] | None = None) -> list[Answered]:
    """Each search request (``paths``) answered in this process, its SQL recorded."""
    app = make_app(database.url, database.queue_url, bundled_plugins())
    client = app.test_client()
    page = client.get("/connexion").get_data(as_text=True)
    token = re.search(r'name="csrf_token"\s+value="([^"]+)"', page).group(1)
    signed = client.post(
        "/connexion", data={"email": SEARCHER, "password": "tremplin-demo", "csrf_token": token}
    )
    if signed.status_code != 302:
        raise RuntimeError(f"W1: signing in failed in process ({signed.status_code})")
    with app.app_context():
        sources = tuple(sorted(name for name, _ in runtime.current().plugins.list_name_plugin()))
    answers = []
    for path in paths or search_paths():
        with captured_sql() as statements:
            response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"W1: {path} answered {response.status_code}")
        pagination = json.loads(response.headers["X-Pagination"])
        answers.append(
            Answered(
                path,
                list(statements),
                [item["id"] for item in response.get_json()],
                pagination["total"],
                pagination.get("page_size", len(response.get_json())),
                sources,
            )
        )
    return answers


def recorded_requests(
    database: Database, paths: list[str] | None = None
) -> list[list[tuple[str, tuple]]]:
    """The SQL statements of each search request (``paths``), recorded in this process."""
    return [answer.statements for answer in answered_requests(database, paths)]


def replayed_floor(database: Database, answers: list[Answered], options: Options) -> list[float]:
    """Latencies of the searches' own SQL replayed through the driver (the previous floor)."""
    driver = Driver(database.url)
    try:
        requests = [answer.statements for answer in answers]
        return replay_latencies(driver, requests, options.requests, options.load_seconds)
    finally:
        driver.close()


def least_sql_floor(database: Database, answers: list[Answered], options: Options) -> list[float]:
    """Latencies of the least SQL that yields each page (``w1_floor``), checked first."""
    driver = Driver(database.url)
    try:
        searches = [least_sql_search(driver, answer) for answer in answers]
        for answer, search in zip(answers, searches, strict=True):
            ids, total, rows = w1_floor.run(driver, search)
            if ids != answer.ids or total != answer.total or len(rows) != len(ids):
                raise RuntimeError(
                    f"W1: the floor of {answer.path} yields another page"
                    f" ({ids} of {total}, the application {answer.ids} of {answer.total})"
                )
        return w1_floor.latencies(driver, searches, options.requests, options.load_seconds)
    finally:
        driver.close()


def least_sql_search(driver: Driver, answer: Answered) -> w1_floor.Search:
    """What the hand-written SQL of ``answer``'s search binds."""
    query = parse_qs(urlsplit(answer.path).query)
    phrase = normalise(query["q"][0])
    chain, latitude, longitude = w1_floor.place_of(driver, query["territory"][0])
    words = [masculine_form(word) for word in WORD.findall(phrase)]
    words = [word for word in words if word not in appellations.SMALL_WORDS] or words
    return w1_floor.Search(
        words=tuple(words),
        codes={word: tuple(sorted(appellations.codes_matching(word))) for word in words},
        phrase=phrase,
        intervention_type=query["intervention_type"][0],
        territory_ids=chain,
        latitude=latitude,
        longitude=longitude,
        today=today().isoformat(),
        hold_sources=answer.hold_sources,
        page=1,
        page_size=answer.page_size,
        cap=directory.MATCHES_CAP,
    )


def measure(database: Database, options: Options, workdir: Path) -> tuple[list[Row], SearchRun]:
    """W1 rows for ``database``; also returns the run, which W5, W6 and W7 read."""
    size = database.size.label
    say(f"W1 {database.kind} {size}: search under load, /healthz floor")
    log = workdir / f"gunicorn-{database.kind}-w1.log"
    run = run_server(database, options, log, plugins=bundled_plugins())
    answers = answered_requests(database)
    say(f"W1 {database.kind} {size}: least SQL floor")
    least = least_sql_floor(database, answers, options)
    say(f"W1 {database.kind} {size}: previous floor (the search's own SQL replayed)")
    replayed = replayed_floor(database, answers, options)
    search, healthz = run.search, run.healthz
    p50, p95 = search.ms(50), search.ms(95)
    least50, least95 = percentile(least, 50) * 1000, percentile(least, 95) * 1000
    replayed50, replayed95 = percentile(replayed, 50) * 1000, percentile(replayed, 95) * 1000
    composite95 = healthz.ms(95) + least95
    previous95 = healthz.ms(95) + replayed95
    statements = sum(len(answer.statements) for answer in answers) / len(answers)
    common = {"workload": "W1 search", "database": database.kind, "size": size}
    previous = "previous floor, for comparison"
    rows = [
        Row(
            **common,
            measure="latency p50",
            value=p50,
            unit="ms",
            floor="least SQL p50",
            floor_value=least50,
            ratio=p50 / least50,
        ),
        Row(
            **common,
            measure="latency p95",
            value=p95,
            unit="ms",
            floor="least SQL p95",
            floor_value=least95,
            ratio=p95 / least95,
            target=f"< {P95_TARGET_MS} ms",
            met=p95 < P95_TARGET_MS,
        ),
        Row(
            **common,
            measure="latency p95",
            value=p95,
            unit="ms",
            floor="/healthz p95 + least SQL p95",
            floor_value=composite95,
            ratio=p95 / composite95,
            target=f"≤ {FLOOR_TARGET:g}x",
            met=p95 / composite95 <= FLOOR_TARGET,
        ),
        Row(
            **common,
            measure=f"latency p50 ({statements:g} statements a search)",
            value=p50,
            unit="ms",
            floor="own SQL replayed p50",
            floor_value=replayed50,
            ratio=p50 / replayed50,
            target=previous,
        ),
        Row(
            **common,
            measure="latency p95",
            value=p95,
            unit="ms",
            floor="/healthz p95 + own SQL replayed p95",
            floor_value=previous95,
            ratio=p95 / previous95,
            target=previous,
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
