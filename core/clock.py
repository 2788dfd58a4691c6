"""The time as Tremplin stores it: UTC, without time zone.

Every part of Tremplin asks ``now()`` or ``today()``, never the system's clock, so that the
time can be moved:

- ``pinned(moment)`` sets the clock at ``moment`` for a block, and time flows on from it
  as usual. It holds for the whole process (every thread: a test's server threads see
  it too). The test kit (``tremplin.testing``) pins every test, so that a test never
  depends on the day it runs.
- ``travel(delta)`` moves the time by ``delta`` for a block, on top of any pin, so that a
  test (or a data generator) sees a request expire or an intervention take place without
  waiting. It moves the time of the current thread's context only.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_offset: ContextVar[datetime.timedelta] = ContextVar(
    "tremplin_clock_offset", default=datetime.timedelta(0)
)

# How far the pinned clock is from the system's: zero unless ``pinned`` is running.
_pin = datetime.timedelta(0)


def now() -> datetime.datetime:
    """The current time in UTC, naive, as every timestamp is stored."""
    return _system_now() + _pin + _offset.get()


def today(tz: datetime.tzinfo | None = None) -> datetime.date:
    """Today's date in UTC, or in the time zone ``tz`` (the region's, for people's dates)."""
    moment = now()
    if tz is None:
        return moment.date()
    return moment.replace(tzinfo=datetime.UTC).astimezone(tz).date()


@contextmanager
def pinned(moment: datetime.datetime) -> Iterator[None]:
    """Run a block with the clock set at ``moment``; time flows on from it.

    ``moment`` is UTC when naive; an aware one is converted. ``travel`` blocks still move
    the time by their delta on top of it.
    """
    global _pin
    previous = _pin
    _pin = as_utc(moment) - _system_now()
    try:
        yield
    finally:
        _pin = previous


@contextmanager
def travel(delta: datetime.timedelta) -> Iterator[None]:
    """Run a block ``delta`` later (or earlier) than the clock's time."""
    token = _offset.set(_offset.get() + delta)
    try:
        yield
    finally:
        _offset.reset(token)


def as_utc(moment: datetime.datetime) -> datetime.datetime:
    """``moment`` as Tremplin stores it: UTC, naive (a naive ``moment`` is UTC already)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(datetime.UTC).replace(tzinfo=None)


def _system_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
