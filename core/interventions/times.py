"""Dates and times of interventions: stored in UTC, read and shown in the region's zone.

A date typed in a form or sent without an offset to the API is the region's local time
(a teacher in Lille means Paris time); one sent with an offset is converted.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

from ..i18n import get_locale
from ..runtime import current


def zone() -> ZoneInfo:
    """The time zone of the current region."""
    return ZoneInfo(current().region.timezone)


def to_utc(moment: datetime.datetime, tz: datetime.tzinfo | None = None) -> datetime.datetime:
    """``moment`` as stored: UTC without time zone (a naive ``moment`` is local time)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz or zone())
    return moment.astimezone(datetime.UTC).replace(tzinfo=None)


def to_local(moment: datetime.datetime, tz: datetime.tzinfo | None = None) -> datetime.datetime:
    """A stored (UTC, naive) ``moment`` in the region's time zone."""
    return moment.replace(tzinfo=datetime.UTC).astimezone(tz or zone())


def in_local_time(value: Any) -> Any:
    """``value`` with every stored (UTC, naive) date in the region's zone, with its offset."""
    if isinstance(value, datetime.datetime):
        return to_local(value) if value.tzinfo is None else value
    if isinstance(value, Mapping):
        return {key: in_local_time(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [in_local_time(item) for item in value]
    return value


def month_bounds(
    moment: datetime.datetime, tz: datetime.tzinfo | None = None
) -> tuple[datetime.datetime, datetime.datetime]:
    """The local calendar month holding the stored ``moment``, as stored (UTC) bounds.

    A monthly capacity counts interventions of the month as the ambassador lives it:
    an intervention on 1 March at 00:30 in Paris belongs to March, not to February.
    """
    local = to_local(moment, tz)
    first = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return to_utc(first, local.tzinfo), to_utc(following, local.tzinfo)


def shown(moment: datetime.datetime | None, with_time: bool = True) -> str:
    """A stored ``moment`` as people read it, in their language and the region's zone."""
    if moment is None:
        return ""
    local = to_local(moment)
    if with_time:
        return format_datetime(local, "EEEE d MMMM y, HH:mm", locale=get_locale())
    return format_date(local.date(), "d MMMM y", locale=get_locale())
