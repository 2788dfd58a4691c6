"""W2: the key figures of the region and of one department, against the aggregates' SQL.

``tremplin.stats.figures.key_figures`` over the last twelve calendar months (this month
and the eleven before), run in this process as the stats pages and ``tremplin stats`` run
it; the median of several runs. Floor: the same figures read from the precomputed monthly
aggregates through the driver (the statements it ran, recorded from peewee's log and
replayed without peewee, Python or the plugins' hooks).

Beside it, in the same run, the previous way and its floor: the same figures counted from
the interventions (``from_aggregates=False``) and those statements replayed through the
driver, so that the table shows what the aggregates changed.
"""

from __future__ import annotations

import datetime
import functools
import time

from .datasets import Database
from .floors import Driver, captured_sql
from .instance import bundled_plugins, make_app
from .measures import Options, Row, median, say

DEPARTMENT = "59"  # the Nord, the largest department of the reference region
FLOOR_TARGET = 1.5
TARGET_MS = 200  # the region's figures over twelve months (issue 21)


def measure(database: Database, options: Options) -> tuple[list[Row], dict[str, float]]:
    """W2 rows; also ``{scope: median seconds}`` for W7."""
    from tremplin.clock import today
    from tremplin.stats.figures import Period, key_figures
    from tremplin.territories.models import Territory

    size = database.size.label
    say(f"W2 {database.kind} {size}: key figures")
    app = make_app(database.url, database.queue_url, bundled_plugins())
    this_month = today().replace(day=1)
    first = (this_month - datetime.timedelta(days=334)).replace(day=1)
    following = (this_month + datetime.timedelta(days=32)).replace(day=1)
    period = Period(first, following - datetime.timedelta(days=1))
    rows, seconds = [], {}
    with app.app_context():
        runtime_db = app.extensions["tremplin"].runtime.database
        with runtime_db.connection_context():
            scopes = {
                "region": Territory.select().where(Territory.parent.is_null()).get(),
                f"department {DEPARTMENT}": Territory.get(Territory.code == DEPARTMENT),
            }
            for scope, territory in scopes.items():
                for aggregates in (True, False):
                    value, floor_value, queries = _timed(
                        database,
                        options,
                        functools.partial(key_figures, territory, period, aggregates),
                    )
                    if aggregates:
                        seconds[scope] = value / 1000
                        met = value / floor_value <= FLOOR_TARGET and value <= TARGET_MS
                        measure, floor = "from the monthly aggregates", "aggregates via driver"
                        target = f"≤ {TARGET_MS:g} ms, ≤ {FLOOR_TARGET:g}x"
                    else:
                        met, target = None, "previous, for comparison"
                        measure, floor = "counted from the interventions", "same SQL via driver"
                    rows.append(
                        Row(
                            workload="W2 key figures",
                            database=database.kind,
                            size=size,
                            measure=f"{scope}, 12 months, {measure} ({queries} queries)",
                            value=value,
                            unit="ms",
                            floor=floor,
                            floor_value=floor_value,
                            ratio=value / floor_value,
                            target=target,
                            met=met,
                        )
                    )
    return rows, seconds


def _timed(database: Database, options: Options, compute) -> tuple[float, float, int]:
    """``(median ms of compute, median ms of its statements via the driver, statements)``."""
    with captured_sql() as statements:
        compute()  # warm-up, and the SQL it runs
    statements = list(statements)
    times = []
    for _ in range(options.repeats):
        started = time.perf_counter()
        compute()
        times.append(time.perf_counter() - started)
    floor = _replayed(database, statements, options.repeats)
    return median(times) * 1000, median(floor) * 1000, len(statements)


def _replayed(database: Database, statements, repeats: int) -> list[float]:
    driver = Driver(database.url)
    try:
        driver.run(statements)
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            driver.run(statements)
            times.append(time.perf_counter() - started)
        return times
    finally:
        driver.close()
