"""The benchmark harness runs end to end on a tiny network and writes its table.

Not a benchmark: a few requests per workload on SQLite, to keep ``benchmarks/`` working
(docs/performance.md). Skipped where the ``bench`` extra (gunicorn, httpx) is missing.
"""

from __future__ import annotations

import ast
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("gunicorn")
pytest.importorskip("httpx")

ROOT = Path(__file__).resolve().parent.parent
# Every workload, in groups run side by side (the test's workers share them out), with
# the demo networks each needs: W7 compares W1 and W2 at two sizes; W5 and W6 need W1's
# servers; W4 and W8 make their own databases.
GROUPS = {
    "W1-W6-W7": (("W1", "W6", "W7"), "--sizes=30,60", "--interventions=40,80"),
    "W2-W3-W5": (("W2", "W3", "W5"), "--sizes=30", "--interventions=40"),
    "W4-W8": (("W4", "W8"), "--sizes=30", "--interventions=40"),
}


def test_the_groups_hold_every_workload_of_the_harness():
    # Read from the harness's source: ``benchmarks`` is not installed with Tremplin.
    harness = ast.parse((ROOT / "benchmarks" / "run.py").read_text(encoding="utf-8"))
    workloads = next(
        ast.literal_eval(node.value)
        for node in harness.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "WORKLOADS"
    )
    assert sorted(sum((group[0] for group in GROUPS.values()), ())) == sorted(workloads)


@pytest.mark.one_database  # the harness runs its own databases: SQLite here
@pytest.mark.parametrize("group", GROUPS)
def test_the_harness_measures_its_workloads_on_tiny_data_and_writes_its_table(tmp_path, group):
    workloads, *sizes = GROUPS[group]
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
        *sizes,
        "--databases=sqlite",
        "--requests=6",
        "--workers=1",
        "--repeats=1",
        "--lifecycles=2",
        "--import-rows=20",
        "--plugin-work-scale=0.02",
        f"--workloads={','.join(workloads)}",
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
    for workload in workloads:
        assert f"| {workload} " in table, workload

    rows = json.loads(rows_file.read_text())
    # A workload may need another's rows (W5 and W6 W1's, W7 W1's and W2's).
    assert set(workloads) <= {row["workload"].split()[0] for row in rows}
    for row in rows:
        assert isinstance(row["value"], float), row
        assert math.isfinite(row["value"]), row
        assert isinstance(row["ratio"], float), row
        assert math.isfinite(row["ratio"]), row
        assert row["ratio"] > 0, row
