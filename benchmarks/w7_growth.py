"""W7: growth of W1 (search p95) and W2 (key figures) from one size to the next.

Computed from the W1 and W2 measures of the run: the larger network's value divided by
the smaller one's (the floor), on the same database.
"""

from __future__ import annotations

import itertools
import re

from .measures import Row

GROWTH_TARGET = 1.5
QUERIES = re.compile(r" \(\d+ queries\)$")


def rows(measures: list[Row]) -> list[Row]:
    """Growth rows from W1's p95 and W2's rows of every size measured."""
    found: dict[tuple[str, str], list[tuple[int, Row]]] = {}
    for row in measures:
        if (
            row.workload == "W1 search"
            and row.measure == "latency p95"
            and row.target.startswith("<")
        ):
            key = (row.database, "W1 search p95")
        elif row.workload == "W2 key figures":
            # "region, 12 months, from the monthly aggregates (23 queries)": each way apart.
            key = (row.database, f"W2 {QUERIES.sub('', row.measure)}")
        else:
            continue
        found.setdefault(key, []).append((_ambassadors(row.size), row))
    growth = []
    for (database, what), sized in found.items():
        sized.sort(key=lambda pair: pair[0])
        for (_small, smaller), (_large, larger) in itertools.pairwise(sized):
            ratio = larger.value / smaller.value
            growth.append(
                Row(
                    workload="W7 growth",
                    database=database,
                    size=f"{smaller.size} → {larger.size}",
                    measure=what,
                    value=larger.value,
                    unit=larger.unit,
                    floor=f"same at {smaller.size}",
                    floor_value=smaller.value,
                    ratio=ratio,
                    target=f"< {GROWTH_TARGET:g}x" if what.startswith("W1") else "",
                    met=ratio < GROWTH_TARGET if what.startswith("W1") else None,
                )
            )
    return growth


def _ambassadors(label: str) -> float:
    """The ambassadors of a size label (``10k / 100k`` -> 10000)."""
    first = label.split("/")[0].strip()
    scale = {"k": 1e3, "M": 1e6}.get(first[-1:], 1)
    return float(first.rstrip("kM")) * scale
