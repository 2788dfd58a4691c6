"""W2: the key figures of the region and of one department, against their raw SQL.

``tremplin.stats.figures.key_figures`` over the last twelve months (every demo
intervention but the future ones), run in this process as the stats pages and
``tremplin stats`` run it; the median of several runs. Floor: the statements it ran,
recorded from peewee's log and replayed through the driver (the same aggregate SQL,
without peewee, Python or the plugins' hooks).
"""

from __future__ import annotations

import datetime
import time

from .datasets import Database
from .floors import Driver, captured_sql
from .instance import bundled_plugins, make_app
from .measures import Options, Row, median, say

DEPARTMENT = "59"  # the Nord, the largest department of the reference region
FLOOR_TARGET = 1.5


def measure(database: Database, options: Options) -> tuple[list[Row], dict[str, float]]:
    """W2 rows; also ``{scope: median seconds}`` for W7."""
    from tremplin.clock import today
    from tremplin.stats.figures import Period, key_figures
    from tremplin.territories.models import Territory

    size = database.size.label
    say(f"W2 {database.kind} {size}: key figures")
    app = make_app(database.url, database.queue_url, bundled_plugins())
    period = Period(today() - datetime.timedelta(days=365), today())
    rows, seconds = [], {}
    with app.app_context():
        runtime_db = app.extensions["tremplin"].runtime.database
        with runtime_db.connection_context():
            scopes = {
                "region": Territory.select().where(Territory.parent.is_null()).get(),
                f"department {DEPARTMENT}": Territory.get(Territory.code == DEPARTMENT),
            }
            for scope, territory in scopes.items():
                with captured_sql() as statements:
                    key_figures(territory, period)  # warm-up, and the SQL it runs
                statements = list(statements)
                times = []
                for _ in range(options.repeats):
                    started = time.perf_counter()
                    key_figures(territory, period)
                    times.append(time.perf_counter() - started)
                floor = _replayed(database, statements, options.repeats)
                value, floor_value = median(times) * 1000, median(floor) * 1000
                seconds[scope] = value / 1000
                rows.append(
                    Row(
                        workload="W2 key figures",
                        database=database.kind,
                        size=size,
                        measure=f"{scope}, 12 months ({len(statements)} queries)",
                        value=value,
                        unit="ms",
                        floor="same SQL via driver",
                        floor_value=floor_value,
                        ratio=value / floor_value,
                        target=f"≤ {FLOOR_TARGET:g}x",
                        met=value / floor_value <= FLOOR_TARGET,
                    )
                )
    return rows, seconds


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
