"""The time as Tremplin stores it: UTC, without time zone (tests may freeze it)."""

import datetime


def now() -> datetime.datetime:
    """The current time in UTC, naive, as every timestamp is stored."""
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


def today() -> datetime.date:
    """Today's date in UTC."""
    return now().date()
