"""The benchmark harness runs end to end on a tiny network and writes its table.

Not a benchmark: a few requests per workload on SQLite, to keep ``benchmarks/`` working
(docs/performance.md). Skipped where the ``bench`` extra (gunicorn, httpx) is missing. The
suite's longest test: its folder's name puts it first in the run, so that the suite's
other workers are busy meanwhile rather than waiting for it at the end.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("gunicorn")
pytest.importorskip("httpx")

ROOT = Path(__file__).resolve().parents[2]
WORKLOADS = ("W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8")


@pytest.mark.one_database  # the harness runs its own databases: SQLite here
def test_the_harness_measures_every_workload_on_tiny_data_and_writes_its_table(tmp_path):
    output = tmp_path / "performance.md"
    output.write_text(
        "# Performance\n\nBefore.\n\n<!-- results:start -->\nold\n<!-- results:end -->\n\nAfter.\n",
        encoding="utf-8",
    )
    rows_file = tmp_path / "rows.json"
    command = [
        sys.executable,
        "-m",
        "benchmarks.run",
        "--sizes=30,60",
        "--interventions=40,80",
        "--databases=sqlite",
        "--requests=6",
        "--workers=1",
        "--repeats=1",
        "--lifecycles=2",
        "--import-rows=20",
        "--plugin-work-scale=0.02",
        f"--output={output}",
        f"--json={rows_file}",
        f"--cache={tmp_path / 'cache'}",
        f"--workdir={tmp_path}",
    ]
    # The timeout stops a hung harness, it measures nothing: about a minute alone, the run
    # takes several on a machine shared with the suite's other workers and other jobs.
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]

    text = output.read_text(encoding="utf-8")
    assert text.startswith("# Performance\n\nBefore.")
    assert text.rstrip().endswith("After.")
    assert "old" not in text
    table = text.split("<!-- results:start -->")[1].split("<!-- results:end -->")[0]
    for workload in WORKLOADS:
        assert f"| {workload} " in table, workload

    rows = json.loads(rows_file.read_text())
    assert {row["workload"].split()[0] for row in rows} == set(WORKLOADS)
    for row in rows:
        assert isinstance(row["value"], float), row
        assert math.isfinite(row["value"]), row
        assert isinstance(row["ratio"], float), row
        assert math.isfinite(row["ratio"]), row
        assert row["ratio"] > 0, row
