"""W6: peak memory of a gunicorn worker, read from ``/proc/<pid>/status`` (``VmHWM``).

Read after W1's search load, the largest of the workers; the floor is the same reading
after the ``/healthz`` load only (an idle, booted worker), in the same server.
"""

from __future__ import annotations

from . import w1_search
from .datasets import Database
from .measures import Row


def measure(database: Database, run: w1_search.SearchRun) -> list[Row]:
    """The W6 row of W1's ``run``."""
    return [
        Row(
            workload="W6 memory",
            database=database.kind,
            size=database.size.label,
            measure="worker peak RSS (VmHWM) after W1",
            value=run.memory_after_mb,
            unit="MB",
            floor="same worker after /healthz only",
            floor_value=run.memory_before_mb,
            ratio=run.memory_after_mb / run.memory_before_mb,
        )
    ]
