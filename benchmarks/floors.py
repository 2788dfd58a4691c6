"""The floor of a workload: the SQL statements Tremplin runs, recorded from peewee's log,
replayed straight through the database driver (sqlite3, psycopg).
"""

from __future__ import annotations

import contextlib
import logging
import math
import sqlite3
import time
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit


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
