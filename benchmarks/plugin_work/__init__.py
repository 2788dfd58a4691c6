"""One module per bundled plugin's heavy work, each with ``measure(store, options)``.

See ``benchmarks/w8_plugin_work.py``. The helpers here are shared by those modules.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def with_defaults(model: Any, row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with ``model``'s defaults for the fields it leaves out: ``insert_rows``
    writes only the columns it is given."""
    full = dict(row)
    for name, field in model._meta.fields.items():
        if name not in full and name != "id" and field.default is not None:
            full[name] = field.default() if callable(field.default) else field.default
    return full


def median_ms(work: Callable[[], object], repeats: int) -> float:
    """The median of ``repeats`` runs of ``work``, in milliseconds."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def alternated(
    app: Callable[[], object],
    floor: Callable[[], object],
    repeats: int,
    before: Callable[[], object] | None = None,
) -> tuple[list[float], list[float]]:
    """Seconds of ``repeats`` runs of ``app`` and of ``floor``, alternated so that a loaded
    machine slows both alike; ``before`` (untimed) runs before each run."""
    app_times: list[float] = []
    floor_times: list[float] = []
    for _ in range(repeats):
        for work, times in ((app, app_times), (floor, floor_times)):
            if before is not None:
                before()
            started = time.perf_counter()
            work()
            times.append(time.perf_counter() - started)
    return app_times, floor_times
