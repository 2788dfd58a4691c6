"""Tremplin reads the time from ``tremplin.clock`` only, so that tests pin it and move it.

A date read from the system's clock would make a business decision (an expiry, a month's
capacity, a retention period) that no test can pin, and a test that reads it passes or
fails with the day it runs (README.md, "Run the tests").
"""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.one_database  # nothing here depends on the database

ROOT = Path(__file__).resolve().parent.parent
SEARCHED = ("core", "plugins", "tests", "examples")
# Durations (time.monotonic, time.perf_counter) are not dates: they are not listed.
SYSTEM_CLOCK = re.compile(
    r"\b(?:datetime\.now|datetime\.utcnow|datetime\.today|date\.today|time\.time)\("
    r"|\butcnow\b|CURRENT_(?:TIMESTAMP|DATE|TIME)\b|\bfn\.(?:now|NOW)\b"
)
# The clock itself; migrations, whose models are frozen history: their Python defaults
# never run (no migration inserts rows through them); and the rate limiter's frozen clock,
# which starts at the system's time because flask-limiter computes Retry-After from it.
ALLOWED = (
    "core/clock.py",
    "/migrations/",
    "tests/core/auth/conftest.py",
    "tests/test_clock_reads.py",
)


def test_nothing_but_tremplin_clock_reads_the_system_s_clock():
    readers = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for folder in SEARCHED
        for path in sorted((ROOT / folder).rglob("*.py"))
        if not any(allowed in path.as_posix() for allowed in ALLOWED)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SYSTEM_CLOCK.search(line)
    ]
    assert readers == []
