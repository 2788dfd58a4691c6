"""W5: what the bundled plugins cost the search (W1 with every one of them vs none).

Two servers on the same database, one with every bundled plugin enabled
(``TREMPLIN_PLUGINS``), one with none, both up at the same time and loaded in turn, a
few rounds each: on a shared machine, whatever else runs slows both alike, where two
runs minutes apart would compare the machine's moods. The ratio is the search's latency
with plugins over without; its floor is the run without plugins.
"""

from __future__ import annotations

from pathlib import Path

from . import w1_search
from .datasets import Database
from .instance import bundled_plugins, environment
from .load_generator import Load, load
from .measures import Options, Row, say
from .server import Server, signed_in_cookies

OVERHEAD_TARGET = 0.05  # issue 21: every bundled plugin at most 5 % slower than none
ROUNDS = 4


def measure(database: Database, options: Options, workdir: Path) -> list[Row]:
    """W5 rows: the search with every bundled plugin against the search with none."""
    plugins = bundled_plugins()
    size = database.size.label
    say(f"W5 {database.kind} {size}: search with every plugin and with none, in turn")
    with_plugins, without = _alternate(database, options, workdir, plugins)
    rows = []
    for measure, q in (("latency p50", 50), ("latency p95", 95)):
        value, floor = with_plugins.ms(q), without.ms(q)
        rows.append(
            Row(
                workload="W5 plugins",
                database=database.kind,
                size=size,
                measure=f"{measure}, plugins: {', '.join(plugins) or '-'}",
                value=value,
                unit="ms",
                floor="no plugin",
                floor_value=floor,
                ratio=value / floor,
                target=f"< +{OVERHEAD_TARGET:.0%}" if q == 50 else "",
                met=(value / floor - 1 < OVERHEAD_TARGET) if q == 50 else None,
            )
        )
    return rows


def _alternate(
    database: Database, options: Options, workdir: Path, plugins: list[str]
) -> tuple[Load, Load]:
    """Latencies of the searches with ``plugins`` and with none, loaded round by round."""
    servers = [
        Server(
            environment(database.url, database.queue_url, chosen),
            options.workers,
            workdir / f"gunicorn-{database.kind}-w5-{index}.log",
        )
        for index, chosen in enumerate((plugins, []))
    ]
    results = (Load(), Load())
    per_round = max(1, options.requests // ROUNDS)
    with servers[0], servers[1]:
        cookies = [signed_in_cookies(server.url) for server in servers]
        for _round in range(ROUNDS):
            for server, cookie, result in zip(servers, cookies, results, strict=True):
                run = load(
                    server.url,
                    w1_search.search_paths(),
                    per_round,
                    options.concurrency,
                    cookies=cookie,
                    deadline_seconds=options.load_seconds,
                )
                if run.errors:
                    raise RuntimeError(f"W5: {run.errors} searches failed: see {server.log}")
                result.latencies.extend(run.latencies)
                result.seconds += run.seconds
    return results
