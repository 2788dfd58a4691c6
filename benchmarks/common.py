"""What every workload shares: datasets, servers, the load generator, timing and floors.

- ``Dataset``: a demo database of a given size, generated once with ``tremplin demo
  --no-serve`` and cached (SQLite file, PostgreSQL database), then copied for each run so
  that the workloads that write never change the cache.
- ``Server``: ``gunicorn tremplin.wsgi:app --workers 2`` on a free port of 127.0.0.1.
- ``load``: a closed-loop load generator (a few threads, one ``httpx`` client each).
- ``captured_sql`` / ``Driver``: the SQL statements Tremplin runs, recorded from peewee's
  log, replayed straight through the database driver: the floor of a workload.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import logging
import math
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
REGION = ROOT / "examples" / "hauts-de-france"
SECRET_KEY = "benchmarks-only-secret-key"
DEMO_PASSWORD = "tremplin-demo"
SEARCHER = "enseignant@demo.example.org"  # a teacher: educational teams search the directory
DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / (
    "tremplin-benchmarks"
)
DEFAULT_POSTGRESQL = "postgresql://postgres@127.0.0.1:5432/postgres"
SQLITE = "sqlite"
POSTGRESQL = "postgresql"


# Options and results


@dataclass(frozen=True)
class Options:
    """How much work each workload does; ``--quick`` and the smoke test make it small."""

    requests: int = 400  # per load run of W1/W5
    concurrency: int = 2  # clients of the load generator, as many as gunicorn workers
    repeats: int = 7  # W2: runs of the key figures (the median is kept)
    lifecycles: int = 150  # W3
    import_rows: int = 100_000  # W4 (at most the largest size)
    workers: int = 2
    analyze: bool = False  # ANALYZE each working copy first (see W1's plan check)
    load_seconds: float = 300  # bound of each load run and SQL replay


@dataclass
class Row:
    """One line of the results table: a measure, its floor and their ratio.

    ``ratio`` is always "how many times more expensive than the floor": a time divided by
    the floor's time, or the floor's rate divided by the rate. ``met`` is None without a
    target.
    """

    workload: str
    database: str
    size: str
    measure: str
    value: float
    unit: str
    floor: str = ""
    floor_value: float | None = None
    ratio: float | None = None
    target: str = ""
    met: bool | None = None


def say(message: str) -> None:
    """Progress on stderr (the table goes to the output file)."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) of ``values``, linearly interpolated."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    """The median of ``values``."""
    return percentile(values, 50)


def timed(function: Callable[[], Any]) -> float:
    """Seconds ``function()`` took."""
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


# The environment of the instance


def environment(
    database_url: str, queue_url: str, plugins: Sequence[str] | None = None
) -> dict[str, str]:
    """The process environment of a Tremplin command or server on ``database_url``.

    Everything that would be written into the region folder (database, queue, secret key)
    is pointed elsewhere: the benchmarks never write into examples/.
    """
    env = dict(os.environ)
    env.update(
        TREMPLIN_REGION=str(REGION),
        TREMPLIN_DATABASE_URL=database_url,
        TREMPLIN_QUEUE_URL=queue_url,
        TREMPLIN_SECRET_KEY=SECRET_KEY,
    )
    if plugins is not None:
        env["TREMPLIN_PLUGINS"] = ",".join(plugins)
    else:
        env.pop("TREMPLIN_PLUGINS", None)
    return env


def overrides(database_url: str, queue_url: str, plugins: Sequence[str] | None = None) -> dict:
    """The same, as ``create_app`` overrides (for the workloads run in this process)."""
    values: dict[str, Any] = {
        "database_url": database_url,
        "queue_url": queue_url,
        "secret_key": SECRET_KEY,
    }
    if plugins is not None:
        values["plugins"] = list(plugins)
    return values


def bundled_plugins() -> list[str]:
    """Names of the plugins shipped in ``tremplin.plugins`` (entry points), sorted."""
    from tremplin.pluginmanager import installed_plugins

    return sorted(
        name
        for name, entry_point in installed_plugins().items()
        if entry_point.value.startswith("tremplin.plugins.")
    )


def make_app(database_url: str, queue_url: str, plugins: Sequence[str] | None = None):
    """The region's Flask app on ``database_url``, in this process."""
    from tremplin import create_app

    return create_app(str(REGION), overrides=overrides(database_url, queue_url, plugins))


def tremplin(env: dict[str, str], *args: str, log: Path | None = None) -> None:
    """Run the ``tremplin`` command line; raise with its output if it fails."""
    command = [sys.executable, "-c", "from tremplin.cli import main; main()", *args]
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, check=False, cwd=ROOT, timeout=3600
    )
    if log is not None:
        log.write_text(result.stdout + result.stderr, encoding="utf-8")
    if result.returncode != 0:
        raise RuntimeError(
            f"tremplin {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        )


# Datasets


@dataclass(frozen=True, order=True)
class Size:
    """A demo network's size."""

    ambassadors: int
    interventions: int

    @property
    def label(self) -> str:
        """``10k / 100k``: ambassadors / interventions."""
        return f"{_short(self.ambassadors)} / {_short(self.interventions)}"


def _short(number: int) -> str:
    for unit, scale in (("M", 1_000_000), ("k", 1_000)):
        if number >= scale and number % (scale // 10) == 0:
            value = number / scale
            return f"{value:g}{unit}"
    return str(number)


@dataclass
class Database:
    """A working database of a run: a disposable copy of a cached demo database."""

    kind: str
    url: str
    size: Size
    queue_url: str

    @property
    def sqlite_path(self) -> Path:
        """The file of a SQLite database."""
        return Path(urlsplit(self.url).path)


class Store:
    """Where demo databases of one kind are generated, cached, copied and dropped."""

    kind: str

    def __init__(self, cache: Path, workdir: Path):
        self.cache = cache
        self.workdir = workdir

    def queue_url(self, name: str) -> str:
        """A throwaway SQLite queue for the instance: emails are queued, never sent."""
        return f"sqlite:///{self.workdir / (name + '-queue.db')}"

    def demo(self, size: Size) -> Database:
        """A working copy of the demo database of ``size``, generating it if needed."""
        raise NotImplementedError

    def fresh(self, name: str) -> Database:
        """An empty database, migrated and with the region's data loaded (``init``)."""
        raise NotImplementedError

    def drop(self, database: Database) -> None:
        """Remove a working database."""
        raise NotImplementedError

    def close(self) -> None:
        """Remove what the store made for this run (SQLite: the working folder does)."""

    def _generate(self, url: str, size: Size, log: Path) -> None:
        say(f"{self.kind}: generating {size.label} (tremplin demo --no-serve), once")
        env = environment(url, self.queue_url("generate"))
        tremplin(
            env,
            "demo",
            "--no-serve",
            "--ambassadors",
            str(size.ambassadors),
            "--interventions",
            str(size.interventions),
            log=log,
        )


class SqliteStore(Store):
    """SQLite: cached files ``sqlite-A-I.db``; a run works on a copy."""

    kind = SQLITE

    def __init__(self, cache: Path, workdir: Path, reuse: dict[Size, Path] | None = None):
        super().__init__(cache, workdir)
        self.reuse = reuse or {}

    def source(self, size: Size) -> Path:
        """The cached (or reused) database of ``size``; generated on first use."""
        if size in self.reuse:
            return self.reuse[size]
        path = self.cache / f"sqlite-{size.ambassadors}-{size.interventions}.db"
        if not path.exists():
            partial = path.with_suffix(".partial")
            for leftover in self.cache.glob(partial.name + "*"):
                leftover.unlink()
            self.cache.mkdir(parents=True, exist_ok=True)
            self._generate(f"sqlite:///{partial}", size, path.with_suffix(".log"))
            _checkpoint(partial)
            partial.rename(path)
        return path

    def demo(self, size: Size) -> Database:
        source = self.source(size)
        name = f"sqlite-{size.ambassadors}"
        target = self.workdir / f"{name}.db"
        say(f"sqlite: copying {source} ({source.stat().st_size / 1e6:.0f} MB)")
        shutil.copyfile(source, target)
        wal = source.with_name(source.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, target.with_name(target.name + "-wal"))
        return Database(SQLITE, f"sqlite:///{target}", size, self.queue_url(name))

    def fresh(self, name: str) -> Database:
        empty = self.workdir / "empty.db"
        if not empty.exists():  # ``tremplin init`` once per run, then copies
            url = f"sqlite:///{empty}"
            tremplin(environment(url, self.queue_url("empty")), "init")
            _checkpoint(empty)
        target = self.workdir / f"{name}.db"
        shutil.copyfile(empty, target)
        return Database(SQLITE, f"sqlite:///{target}", Size(0, 0), self.queue_url(name))

    def drop(self, database: Database) -> None:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(str(database.sqlite_path) + suffix).unlink()


def _checkpoint(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


class PostgresqlStore(Store):
    """PostgreSQL: cached databases ``tremplin_bench_A_I``; a run works on a TEMPLATE copy."""

    kind = POSTGRESQL

    def __init__(self, cache: Path, workdir: Path, admin_url: str):
        super().__init__(cache, workdir)
        self.admin_url = admin_url
        self.run_id = f"{os.getpid()}"

    def url_of(self, name: str) -> str:
        """The URL of database ``name`` on the server of ``admin_url``."""
        return urlunsplit(urlsplit(self.admin_url)._replace(path=f"/{name}"))

    def _admin(self, *statements: str) -> list[tuple]:
        import psycopg

        rows: list[tuple] = []
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            for statement in statements:
                cursor = connection.execute(statement)
                if cursor.description:
                    rows.extend(cursor.fetchall())
        return rows

    def _exists(self, name: str) -> bool:
        return bool(self._admin(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"))

    def source(self, size: Size) -> str:
        """The name of the cached database of ``size``; generated on first use."""
        name = f"tremplin_bench_{size.ambassadors}_{size.interventions}"
        if not self._exists(name):
            partial = f"{name}_partial"
            self._admin(f'DROP DATABASE IF EXISTS "{partial}"', f'CREATE DATABASE "{partial}"')
            self.cache.mkdir(parents=True, exist_ok=True)
            self._generate(self.url_of(partial), size, self.cache / f"{name}.log")
            self._admin(f'ALTER DATABASE "{partial}" RENAME TO "{name}"')
        return name

    def demo(self, size: Size) -> Database:
        source = self.source(size)
        name = f"tremplin_run_{self.run_id}_{size.ambassadors}"
        say(f"postgresql: copying {source}")
        self._admin(
            f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}" TEMPLATE "{source}"'
        )
        return Database(POSTGRESQL, self.url_of(name), size, self.queue_url(name))

    def fresh(self, name: str) -> Database:
        empty = f"tremplin_run_{self.run_id}_empty"
        if not self._exists(empty):  # ``tremplin init`` once per run, then TEMPLATE copies
            self._admin(f'CREATE DATABASE "{empty}"')
            tremplin(environment(self.url_of(empty), self.queue_url("empty")), "init")
        name = f"tremplin_run_{self.run_id}_{name}"
        self._admin(
            f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}" TEMPLATE "{empty}"'
        )
        return Database(POSTGRESQL, self.url_of(name), Size(0, 0), self.queue_url(name))

    def close(self) -> None:
        """Drop the run's empty template."""
        self._admin(f'DROP DATABASE IF EXISTS "tremplin_run_{self.run_id}_empty" WITH (FORCE)')

    def drop(self, database: Database) -> None:
        name = urlsplit(database.url).path.lstrip("/")
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# The server


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """``gunicorn tremplin.wsgi:app`` on 127.0.0.1, stopped when the block ends."""

    def __init__(self, env: dict[str, str], workers: int, log: Path):
        self.env = env
        self.workers = workers
        self.port = free_port()
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """The server's base URL."""
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--log-level",
            "warning",
            "--timeout",
            "600",
            "tremplin.wsgi:app",
        ]
        with self.log.open("a", encoding="utf-8") as output:
            self.process = subprocess.Popen(
                command, env=self.env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
            )
        self._wait_until_healthy()
        return self

    def _wait_until_healthy(self, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: see {self.log}")
            with contextlib.suppress(httpx.HTTPError):
                healthy = httpx.get(self.url + "/healthz", timeout=2).status_code == 200
                # Every worker must be up, not only the first to answer.
                if healthy and len(self.worker_pids()) >= self.workers:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz in {seconds:.0f} s: see {self.log}")

    def worker_pids(self) -> list[int]:
        """Process ids of the gunicorn workers (the master's children)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        with contextlib.suppress(OSError):
            return [int(pid) for pid in children.read_text().split()]
        return []

    def peak_memory_mb(self) -> float:
        """The largest ``VmHWM`` (peak resident memory) of the workers, in MB."""
        peaks = []
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                status = Path(f"/proc/{pid}/status").read_text()
                match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
                if match:
                    peaks.append(int(match.group(1)) / 1024)
        return max(peaks) if peaks else math.nan

    def __exit__(self, *exc_info: object) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def signed_in_cookies(base_url: str, email: str = SEARCHER) -> httpx.Cookies:
    """The session cookies of ``email`` after the sign-in form (CSRF token included)."""
    with httpx.Client(base_url=base_url, timeout=60) as client:
        page = client.get("/connexion").text
        token = re.search(r'name="csrf_token"\s+value="([^"]+)"', page)
        if token is None:
            raise RuntimeError("no CSRF token on /connexion")
        response = client.post(
            "/connexion",
            data={"email": email, "password": DEMO_PASSWORD, "csrf_token": token.group(1)},
        )
        if response.status_code != 302:
            raise RuntimeError(f"signing in as {email} failed ({response.status_code})")
        return client.cookies


# The load generator


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


# SQL floors


@contextlib.contextmanager
def captured_sql() -> Iterator[list[tuple[str, tuple]]]:
    """Record the ``(sql, params)`` of every statement peewee runs in the block."""
    statements: list[tuple[str, tuple]] = []

    class Recorder(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if isinstance(record.msg, tuple) and len(record.msg) == 2:
                sql, params = record.msg
                statements.append((sql, tuple(params or ())))

    logger = logging.getLogger("peewee")
    handler, level = Recorder(logging.DEBUG), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield statements
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


class Driver:
    """A raw connection of the database driver (sqlite3, psycopg), as Tremplin configures it."""

    def __init__(self, url: str):
        self.sqlite = url.startswith("sqlite")
        if self.sqlite:
            self.connection = sqlite3.connect(
                urlsplit(url).path, timeout=10, isolation_level=None, check_same_thread=False
            )
            for pragma in (
                "journal_mode = wal",
                "foreign_keys = 1",
                "busy_timeout = 10000",
                "synchronous = normal",
            ):
                self.connection.execute(f"PRAGMA {pragma}")
        else:
            import psycopg

            self.connection = psycopg.connect(url, autocommit=True)

    @property
    def placeholder(self) -> str:
        """The driver's parameter placeholder."""
        return "?" if self.sqlite else "%s"

    def run(self, statements: Sequence[tuple[str, tuple]]) -> int:
        """Execute ``statements`` and fetch every row; return how many rows came back."""
        rows = 0
        cursor = self.connection.cursor()
        for sql, params in statements:
            cursor.execute(sql, params)
            if cursor.description:
                rows += len(cursor.fetchall())
        return rows

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Any]:
        """A cursor inside one transaction, committed at the end."""
        if self.sqlite:
            cursor = self.connection.cursor()
            cursor.execute("BEGIN")
            try:
                yield cursor
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")
        else:
            with self.connection.transaction():
                yield self.connection.cursor()

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()

    def run_at_most(self, statements: Sequence[tuple[str, tuple]], seconds: float) -> float:
        """Seconds ``statements`` took, or ``inf`` if stopped after ``seconds`` (SQLite only)."""
        stop_at = time.monotonic() + seconds
        self.connection.set_progress_handler(lambda: int(time.monotonic() > stop_at), 10_000)
        started = time.perf_counter()
        try:
            self.run(statements)
        except sqlite3.OperationalError as error:
            if "interrupted" not in str(error):
                raise
            return math.inf
        finally:
            self.connection.set_progress_handler(None, 0)
        return time.perf_counter() - started

    def analyze(self) -> None:
        """Gather the planner's statistics (``ANALYZE``)."""
        self.connection.execute("ANALYZE")


def replay_latencies(
    driver: Driver,
    requests: Sequence[Sequence[tuple[str, tuple]]],
    count: int,
    seconds: float = 600,
) -> list[float]:
    """Seconds each of ``count`` replays took, cycling through ``requests`` (one warm-up each).

    Stops after ``seconds`` whatever is left (at least one replay is measured).
    """
    stop_at = time.monotonic() + seconds
    for statements in requests[:count]:
        driver.run(statements)
    latencies: list[float] = []
    for number in range(count):
        if latencies and time.monotonic() > stop_at:
            break
        started = time.perf_counter()
        driver.run(requests[number % len(requests)])
        latencies.append(time.perf_counter() - started)
    return latencies


def workdir(base: Path | None = None) -> Path:
    """A temporary folder for one run (databases, queues, server logs)."""
    return Path(tempfile.mkdtemp(prefix="tremplin-bench-", dir=base))


def as_dict(row: Row) -> dict[str, Any]:
    """``row`` as a plain dictionary (JSON output)."""
    return dataclasses.asdict(row)
