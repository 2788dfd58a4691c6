"""Run the benchmarks and write the results table into docs/performance.md.

    python -m benchmarks.run [--sizes 10000,100000] [--databases sqlite,postgresql]
                             [--quick] [--output docs/performance.md]

Every workload (W1 to W7, see docs/performance.md) on every database and size; demo
databases are generated once into the cache folder and reused by later runs. The table
replaces what is between the ``results`` markers of the output file (created if needed).
Exit code 1 when a workload failed (its row says so), 0 otherwise, targets met or not.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import platform
import shlex
import shutil
import sqlite3
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from . import (
    w1_search,
    w2_figures,
    w3_lifecycle,
    w4_import,
    w5_plugins,
    w6_memory,
    w7_growth,
    w8_plugin_work,
)
from .datasets import (
    DEFAULT_CACHE,
    DEFAULT_POSTGRESQL,
    POSTGRESQL,
    SQLITE,
    PostgresqlStore,
    Size,
    SqliteStore,
    Store,
)
from .floors import Driver
from .measures import Options, Row, as_dict, say, workdir

START = "<!-- results:start -->"
END = "<!-- results:end -->"
WORKLOADS = ("W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8")
SIZED_WORKLOADS = {"W1", "W2", "W3", "W5", "W6", "W7"}  # measured on each demo network
MAX_INTERVENTIONS = 1_000_000


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--sizes", default="10000,100000", help="ambassadors, comma-separated")
    parser.add_argument(
        "--interventions",
        help="interventions of each size, comma-separated (default: 10 per ambassador, "
        "at most 1,000,000)",
    )
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--postgresql-sizes",
        help="ambassadors on PostgreSQL, a subset of --sizes (default: the same)",
    )
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--quick", action="store_true", help="fewer requests and repetitions")
    parser.add_argument("--requests", type=int, help="requests per load run (W1, W5)")
    parser.add_argument("--concurrency", type=int, help="clients of the load generator")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default 2)")
    parser.add_argument("--repeats", type=int, help="runs of the key figures (W2)")
    parser.add_argument("--lifecycles", type=int, help="request lifecycles (W3)")
    parser.add_argument("--import-rows", type=int, help="rows imported (W4)")
    parser.add_argument(
        "--plugin-work-scale",
        type=float,
        help="fraction of the plugins' heavy work's data (W8; default 1: issue 21's sizes)",
    )
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="time one search as generated, then ANALYZE each working copy before measuring",
    )
    parser.add_argument(
        "--load-seconds", type=float, help="bound of each load run and replay (default 300)"
    )
    parser.add_argument("--output", type=Path, default=Path("docs/performance.md"))
    parser.add_argument("--json", type=Path, help="also write the rows as JSON")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument(
        "--reuse-sqlite",
        action="append",
        default=[],
        metavar="[SIZE=]PATH",
        help="use this SQLite demo database for SIZE ambassadors (default: the largest size) "
        "instead of generating it; it is copied, never written",
    )
    parser.add_argument("--postgresql-url", default=DEFAULT_POSTGRESQL)
    parser.add_argument("--workdir", type=Path, help="where working copies go (default: /tmp)")
    parser.add_argument("--keep", action="store_true", help="keep the working folder")
    return parser.parse_args(argv)


def options_of(arguments: argparse.Namespace, largest: int) -> Options:
    """The amount of work, from ``--quick`` and the explicit counts."""
    options = Options(import_rows=min(100_000, largest))
    if arguments.quick:
        options = Options(requests=100, repeats=3, lifecycles=30, import_rows=min(10_000, largest))
    changes = {
        "requests": arguments.requests,
        "concurrency": arguments.concurrency,
        "workers": arguments.workers,
        "analyze": arguments.analyze,
        "load_seconds": arguments.load_seconds,
        "repeats": arguments.repeats,
        "lifecycles": arguments.lifecycles,
        "import_rows": arguments.import_rows,
        "plugin_work_scale": arguments.plugin_work_scale,
    }
    return Options(**{**options.__dict__, **{k: v for k, v in changes.items() if v}})


def sizes_of(arguments: argparse.Namespace) -> list[Size]:
    """The demo networks to measure, smallest first."""
    ambassadors = [int(value) for value in arguments.sizes.split(",") if value]
    if arguments.interventions:
        interventions = [int(value) for value in arguments.interventions.split(",")]
        if len(interventions) != len(ambassadors):
            raise SystemExit("--interventions needs one number per size")
    else:
        interventions = [min(10 * count, MAX_INTERVENTIONS) for count in ambassadors]
    return sorted(Size(a, i) for a, i in zip(ambassadors, interventions, strict=True))


def reused(values: list[str], sizes: list[Size]) -> dict[Size, Path]:
    """``--reuse-sqlite`` values as ``{size: path}``."""
    found = {}
    for value in values:
        count, _equals, path = value.rpartition("=")
        size = next((s for s in sizes if str(s.ambassadors) == count), None) if count else None
        size = size or sizes[-1]
        if not Path(path).is_file():
            raise SystemExit(f"--reuse-sqlite: no file {path}")
        found[size] = Path(path)
    return found


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; return the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    arguments = parse_arguments(argv)
    sizes = sizes_of(arguments)
    options = options_of(arguments, sizes[-1].ambassadors)
    workloads = set(arguments.workloads.split(","))
    postgresql_sizes = {
        int(value) for value in (arguments.postgresql_sizes or arguments.sizes).split(",")
    }
    folder = workdir(arguments.workdir)
    say(f"working folder {folder}; {options}")
    started, load_before = time.time(), os.getloadavg()
    rows: list[Row] = []
    failed = False
    for kind in arguments.databases.split(","):
        store: Store
        if kind == SQLITE:
            store = SqliteStore(arguments.cache, folder, reused(arguments.reuse_sqlite, sizes))
        elif kind == POSTGRESQL:
            store = PostgresqlStore(arguments.cache, folder, arguments.postgresql_url)
        else:
            raise SystemExit(f"unknown database {kind!r} (sqlite, postgresql)")
        measured = [
            size for size in sizes if kind != POSTGRESQL or size.ambassadors in postgresql_sizes
        ]
        if not workloads & SIZED_WORKLOADS:
            measured = []  # W4 and W8 make their own databases: no demo network to copy
        for size in measured:
            # W5 (two more servers' worth of load) at the largest size only.
            sized = workloads if size == measured[-1] else workloads - {"W5"}
            work = functools.partial(_size, store, size, options, sized, folder)
            failed |= not _attempt(rows, f"{kind} {size.label}", work)
        if "W4" in workloads:
            work = functools.partial(w4_import.measure, store, options, options.import_rows)
            failed |= not _attempt(rows, f"W4 {kind}", work)
        if "W8" in workloads:  # each plugin on its own: one failing keeps the others' rows
            for name, module in w8_plugin_work.modules():
                work = functools.partial(w8_plugin_work.measure, store, options, name, module)
                failed |= not _attempt(rows, f"W8 {kind} {name}", work)
        store.close()
    if "W7" in workloads:
        rows.extend(w7_growth.rows(rows))
    context = _context(arguments, argv, options, started, load_before)
    write_table(arguments.output, rows, context)
    if arguments.json:
        arguments.json.write_text(json.dumps([as_dict(row) for row in rows], indent=2))
    say(f"table written to {arguments.output}")
    if not arguments.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return 1 if failed else 0


def _attempt(rows: list[Row], what: str, work: Callable[[], list[Row]]) -> bool:
    """Add ``work()``'s rows; on failure a row that says so. Return whether it worked."""
    try:
        rows.extend(work())
    except Exception as error:
        traceback.print_exc()
        say(f"{what} failed: {error}")
        rows.append(
            Row(
                workload="failed",
                database=what,
                size="",
                measure=str(error).splitlines()[0][:120],
                value=math.nan,
                unit="",
            )
        )
        return False
    return True


def _size(store: Store, size: Size, options: Options, workloads: set[str], folder: Path):
    database = store.demo(size)
    rows: list[Row] = []
    try:
        if options.analyze:
            if database.kind == SQLITE:
                rows.extend(w1_search.plan_check(database))
            else:
                driver = Driver(database.url)
                driver.analyze()
                driver.close()
        if workloads & {"W1", "W5", "W6", "W7"}:
            search_rows, run = w1_search.measure(database, options, folder)
            rows.extend(search_rows)
            if "W6" in workloads:
                rows.extend(w6_memory.measure(database, run))
            if "W5" in workloads:
                rows.extend(w5_plugins.measure(database, options, folder))
        if workloads & {"W2", "W7"}:
            figure_rows, _seconds = w2_figures.measure(database, options)
            rows.extend(figure_rows)
        if "W3" in workloads:
            rows.extend(w3_lifecycle.measure(database, options))
    finally:
        store.drop(database)
    return rows


# The table


def _context(arguments, argv, options: Options, started: float, load_before) -> list[str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = Path("/proc/meminfo").read_text().split("\n", 1)[0].split()[1]
        memory_gib = f"{int(memory) / 1024 / 1024:.0f} GiB"
    except OSError:
        memory_gib = "?"
    command = "python -m benchmarks.run " + shlex.join(argv)
    return [
        f"- Run: {time.strftime('%Y-%m-%d %H:%M', time.localtime(started))}, "
        f"{(time.time() - started) / 60:.0f} min; command: `{command.strip()}`",
        f"- Machine: {os.cpu_count()} × {cpu}, {memory_gib}; load average "
        f"{load_before[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end",
        f"- Software: Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
        f"{_postgresql_version(arguments)}, gunicorn {_version('gunicorn')} "
        f"(--workers {options.workers}, sync), httpx {_version('httpx')}",
        f"- Work: {options.requests} requests per load run with {options.concurrency} "
        f"clients; key figures × {options.repeats} (median); {options.lifecycles} "
        f"lifecycles; {options.import_rows} rows imported",
        "- Databases: "
        + (
            "`ANALYZE`d after generation (see W1's plan check)"
            if options.analyze
            else "as `tremplin demo` leaves them (no `ANALYZE`)"
        ),
    ]


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "?"


def _postgresql_version(arguments) -> str:
    if POSTGRESQL not in arguments.databases.split(","):
        return ""
    try:
        import psycopg

        with psycopg.connect(arguments.postgresql_url) as connection:
            (server,) = connection.execute("SHOW server_version").fetchone()
        return f", PostgreSQL {server.split()[0]}"
    except Exception:
        return ", PostgreSQL ?"


def format_number(value: float | None) -> str:
    """A number for the table: three significant digits at least, thousands grouped."""
    if value is None:
        return ""
    if math.isnan(value):
        return "n/a"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def table(rows: list[Row]) -> str:
    """The results as a Markdown table."""
    lines = [
        "| workload | database | size | measure | value | floor | floor value | ratio "
        "| target | met |",
        "|---|---|---|---|---:|---|---:|---:|---|---|",
    ]
    for row in rows:
        met = {True: "yes", False: "**no**", None: ""}[row.met]
        ratio = "" if row.ratio is None else f"{format_number(row.ratio)}x"
        floor_value = (
            "" if row.floor_value is None else f"{format_number(row.floor_value)} {row.unit}"
        )
        lines.append(
            f"| {row.workload} | {row.database} | {row.size} | {row.measure} | "
            f"{format_number(row.value)} {row.unit} | {row.floor} | {floor_value} | {ratio} | "
            f"{row.target} | {met} |"
        )
    return "\n".join(lines)


def write_table(path: Path, rows: list[Row], context: list[str]) -> None:
    """Replace what is between the markers of ``path`` (created, or appended to, if needed)."""
    block = "\n".join([START, "", *context, "", table(rows), "", END])
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if START in text and END in text:
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1]
        text = head + block + tail
    else:
        text = (text.rstrip() + "\n\n" if text.strip() else "") + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
