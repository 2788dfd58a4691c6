"""The Tremplin instance under measure: the reference region, its environment, its app.

Everything that would be written into the region folder (database, queue, secret key) is
pointed elsewhere: the benchmarks never write into examples/.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REGION = ROOT / "examples" / "hauts-de-france"
SECRET_KEY = "benchmarks-only-secret-key"


def environment(
    database_url: str, queue_url: str, plugins: Sequence[str] | None = None
) -> dict[str, str]:
    """The process environment of a Tremplin command or server on ``database_url``.

    Everything that would be written into the region folder (database, queue, secret key)
    is pointed elsewhere: the benchmarks never write into examples/.
    """
    env = dict(os.environ)
    env.update(
        TREMPLIN_REGION=str(REGION),
        TREMPLIN_DATABASE_URL=database_url,
        TREMPLIN_QUEUE_URL=queue_url,
        TREMPLIN_SECRET_KEY=SECRET_KEY,
    )
    if plugins is not None:
        env["TREMPLIN_PLUGINS"] = ",".join(plugins)
    else:
        env.pop("TREMPLIN_PLUGINS", None)
    return env


def overrides(database_url: str, queue_url: str, plugins: Sequence[str] | None = None) -> dict:
    """The same, as ``create_app`` overrides (for the workloads run in this process)."""
    values: dict[str, Any] = {
        "database_url": database_url,
        "queue_url": queue_url,
        "secret_key": SECRET_KEY,
    }
    if plugins is not None:
        values["plugins"] = list(plugins)
    return values


def bundled_plugins() -> list[str]:
    """Names of the plugins shipped in ``tremplin.plugins`` (entry points), sorted."""
    from tremplin.pluginmanager import installed_plugins

    return sorted(
        name
        for name, entry_point in installed_plugins().items()
        if entry_point.value.startswith("tremplin.plugins.")
    )


def make_app(database_url: str, queue_url: str, plugins: Sequence[str] | None = None):
    """The region's Flask app on ``database_url``, in this process."""
    from tremplin import create_app

    return create_app(str(REGION), overrides=overrides(database_url, queue_url, plugins))


def tremplin(env: dict[str, str], *args: str, log: Path | None = None) -> None:
    """Run the ``tremplin`` command line; raise with its output if it fails."""
    command = [sys.executable, "-c", "from tremplin.cli import main; main()", *args]
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, check=False, cwd=ROOT, timeout=3600
    )
    if log is not None:
        log.write_text(result.stdout + result.stderr, encoding="utf-8")
    if result.returncode != 0:
        raise RuntimeError(
            f"tremplin {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        )
