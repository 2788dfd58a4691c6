"""Waiting in a test for what another process or thread does: a served instance to answer,
its worker to send an email, a server's statistics to arrive."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_for(find: Callable[[], T], seconds: float = 10.0, what: str = "", every: float = 0.1) -> T:
    """What ``find()`` returns once it is truthy, asking every ``every`` seconds; fail the
    test (``AssertionError`` naming ``what``) when ``seconds`` have passed without it.

    Time here is the machine's (``time.monotonic``), not the test's pinned clock: the
    other process waited for does not see the test's clock move.
    """
    deadline = time.monotonic() + seconds
    while True:
        found = find()
        if found:
            return found
        if time.monotonic() >= deadline:
            raise AssertionError(f"waited {seconds:g} s for {what or 'a condition'}")
        time.sleep(every)
