"""What a run measures and how it says it: options, result rows, percentiles, progress."""

from __future__ import annotations

import dataclasses
import math
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


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
    plugin_work_scale: float = 1.0  # W8: fraction of the plugins' data (issue 21's sizes)


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


def workdir(base: Path | None = None) -> Path:
    """A temporary folder for one run (databases, queues, server logs)."""
    return Path(tempfile.mkdtemp(prefix="tremplin-bench-", dir=base))


def as_dict(row: Row) -> dict[str, Any]:
    """``row`` as a plain dictionary (JSON output)."""
    return dataclasses.asdict(row)
