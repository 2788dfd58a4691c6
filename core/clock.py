"""The time as Tremplin stores it: UTC, without time zone.

Every part of Tremplin asks ``now()``; ``travel()`` moves that time for a block, so tests
(and data generators) can see a request expire or an intervention take place without
waiting. It moves the time of the current thread's context only.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_offset: ContextVar[datetime.timedelta] = ContextVar(
    "tremplin_clock_offset", default=datetime.timedelta(0)
)


def now() -> datetime.datetime:
    """The current time in UTC, naive, as every timestamp is stored."""
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None) + _offset.get()


def today() -> datetime.date:
    """Today's date in UTC."""
    return now().date()


@contextmanager
def travel(delta: datetime.timedelta) -> Iterator[None]:
    """Run a block ``delta`` later (or earlier) than the real time."""
    token = _offset.set(_offset.get() + delta)
    try:
        yield
    finally:
        _offset.reset(token)
