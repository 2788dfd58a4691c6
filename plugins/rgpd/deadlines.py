"""When a request to exercise a data-protection right must be answered, and its extension.

The rules, with their sources (``docs/plugins/rgpd.md`` explains each reading):

- GDPR art. 12(3): answer "within one month of receipt of the request"; "that period may
  be extended by two further months", the person being told of the extension and its
  reasons "within one month of receipt".
- Regulation (EEC, Euratom) No 1182/71 art. 3: the day of receipt is not counted (3(1));
  a period in months ends on the same date of its last month, or on that month's last day
  when the date does not exist there (3(2)(c)); Saturdays, Sundays and public holidays
  count (3(3)), but a period whose last day is one of them ends at the end of the next
  working day (3(4)).
- Décret n° 2019-536 art. 77 (loi Informatique et Libertés): on reasonable doubt about the
  requester's identity the controller may ask for more information, and the periods of
  art. 12(3) are suspended until it is received. A suspension stops the clock without
  wiping the time already run (as Code civil art. 2230 defines it): the due dates move
  later by the days it lasted.

Every function is pure: dates are arguments, nothing reads a clock or a database.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from .holidays import (
    ALSACE_MOSELLE,
    FRENCH_PUBLIC_HOLIDAYS,
    EasterHoliday,
    FixedHoliday,
    Holiday,
    HolidayRule,
    first_working_day_from,
    french_public_holidays,
    is_working_day,
    public_holidays,
    require_date,
    require_rules,
)

__all__ = [
    "ALSACE_MOSELLE",
    "EXTENSION_MONTHS",
    "FIRST_PERIOD_MONTHS",
    "FRENCH_PUBLIC_HOLIDAYS",
    "Deadline",
    "EasterHoliday",
    "FixedHoliday",
    "Holiday",
    "HolidayRule",
    "can_extend",
    "deadline",
    "first_working_day_from",
    "french_public_holidays",
    "is_working_day",
    "months_after",
    "public_holidays",
]

# GDPR art. 12(3): one month of receipt, "extended by two further months".
FIRST_PERIOD_MONTHS = 1
EXTENSION_MONTHS = 2


@dataclass(frozen=True)
class Deadline:
    """When a request must be answered.

    ``calendar``: the end of the period by the month arithmetic alone: the same date one
    month after receipt (three months when ``extended``), or that month's last day; then
    moved later by ``suspended_days``.

    ``legal``: ``calendar``, or the first working day after it when it falls on a Saturday,
    Sunday or public holiday: the date that binds (Regulation 1182/71 art. 3(4)).

    ``extension_notice_by``: the last day to tell the person that the period is extended,
    and why: the legal end of the first month, moved by a suspension that began within it.

    ``suspended_days``: the days by which waiting for identity proof moved ``calendar``:
    from the day proof was asked to the day it arrived, 0 without a suspension. Asked on
    the days off between the last calendar day and the legal end, proof finds no day left:
    the period ends on the day it arrives, which may move it a little more.

    ``awaiting_identity``: proof was asked and has not arrived. The period stands still, so
    its end is not known yet: ``calendar``, ``legal`` and ``suspended_days`` are ``None``,
    and so is ``extension_notice_by`` when the suspension began within the first month.
    Compute the deadline again once the proof arrives.
    """

    received: datetime.date
    extended: bool
    calendar: datetime.date | None
    legal: datetime.date | None
    extension_notice_by: datetime.date | None
    suspended_days: int | None
    awaiting_identity: bool


def months_after(start: datetime.date, months: int) -> datetime.date:
    """The date ``months`` months after ``start``: the same date, or that month's last day.

    Regulation 1182/71 art. 3(2)(c): 31 January plus one month is 28 February (29 in a
    leap year), 15 January plus one month is 15 February. ``start``, the day of the event,
    is not itself counted (art. 3(1)).
    """
    start = require_date(start, "The start of the period")
    if isinstance(months, bool) or not isinstance(months, int) or months < 0:
        raise ValueError(f"A period counts a whole number of months from 0, not {months!r}.")
    year, month_index = divmod(start.month - 1 + months, 12)
    year += start.year
    if year > datetime.MAXYEAR:
        raise ValueError(f"{months} months after {start.isoformat()} is beyond the calendar.")
    month = month_index + 1
    return datetime.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def deadline(
    received: datetime.date,
    *,
    extended: bool = False,
    identity_requested: datetime.date | None = None,
    identity_received: datetime.date | None = None,
    extra_holidays: Iterable[HolidayRule] = (),
) -> Deadline:
    """The due dates of a request received on ``received`` (GDPR art. 12(3)).

    One month after receipt; three months with ``extended`` (the first month and the two
    further months all counted from receipt: 31 January gives 30 April, not 28 April). The
    legal date skips Saturdays, Sundays, French public holidays and ``extra_holidays``
    (e.g. ``ALSACE_MOSELLE``).

    ``identity_requested`` is the day proof of identity was asked (on reasonable doubt),
    ``identity_received`` the day it arrived. The period stands still in between: the days
    it had left when proof was asked run again from the day it arrived, so the calendar end
    moves later by ``(identity_received - identity_requested).days`` days, before the move
    to a working day (proof asked on the days off after the last calendar day finds none
    left: the period ends the day it arrives). With ``identity_received`` ``None`` the
    proof is still awaited (see ``Deadline.awaiting_identity``).

    ``ValueError`` for a datetime or anything but a date, for identity proof received
    without having been asked, asked before the request was received, received before it
    was asked, or asked after the period had already ended (a suspension cannot revive it).
    """
    received = require_date(received, "The date the request was received")
    if not isinstance(extended, bool):
        raise ValueError(f"extended must be True or False, not {extended!r}.")
    requested, arrived = _identity_dates(received, identity_requested, identity_received)
    holidays = require_rules(extra_holidays)
    months = FIRST_PERIOD_MONTHS + (EXTENSION_MONTHS if extended else 0)

    period_end = _legal_end(received, months, None, None, holidays)
    if requested is not None and requested > period_end:
        raise ValueError(
            f"Identity proof was asked on {requested.isoformat()}, after the period had "
            f"ended on {period_end.isoformat()}: a suspension cannot revive it."
        )
    first_month_end = _legal_end(received, FIRST_PERIOD_MONTHS, None, None, holidays)
    # Asked after the first month ended (an extended request), the proof no longer moves
    # the day by which the extension had to be told: that day had already passed.
    asked_within_first_month = requested is not None and requested <= first_month_end
    notice_requested = requested if asked_within_first_month else None

    if requested is not None and arrived is None:
        return Deadline(
            received=received,
            extended=extended,
            calendar=None,
            legal=None,
            extension_notice_by=None if notice_requested is not None else first_month_end,
            suspended_days=None,
            awaiting_identity=True,
        )
    calendar_end = _calendar_end(received, months, requested, arrived)
    return Deadline(
        received=received,
        extended=extended,
        calendar=calendar_end,
        legal=first_working_day_from(calendar_end, extra_holidays=holidays),
        extension_notice_by=_legal_end(
            received, FIRST_PERIOD_MONTHS, notice_requested, arrived, holidays
        ),
        suspended_days=(calendar_end - months_after(received, months)).days,
        awaiting_identity=False,
    )


def can_extend(
    received: datetime.date,
    notified_on: datetime.date,
    *,
    identity_requested: datetime.date | None = None,
    identity_received: datetime.date | None = None,
    extra_holidays: Iterable[HolidayRule] = (),
) -> bool:
    """Whether telling the person on ``notified_on`` extends a request received on ``received``.

    GDPR art. 12(3): the person must be told of the extension, and why, "within one month
    of receipt": up to and including the legal end of that month (``Deadline.
    extension_notice_by``: moved to the next working day by Regulation 1182/71 art. 3(4),
    and later by a suspension for identity proof that began within the month). Later, the
    extension is refused. While proof asked within the month is still awaited, the month
    stands still, so any notice is in time.

    ``ValueError`` for a notice before the request was received (no request to extend
    yet: the dates are wrong), and for the bad inputs ``deadline`` refuses.
    """
    received = require_date(received, "The date the request was received")
    notified_on = require_date(notified_on, "The date the person was told of the extension")
    if notified_on < received:
        raise ValueError(
            f"The person was told of an extension on {notified_on.isoformat()}, before the "
            f"request was received on {received.isoformat()}."
        )
    due = deadline(
        received,
        extended=True,
        identity_requested=identity_requested,
        identity_received=identity_received,
        extra_holidays=extra_holidays,
    )
    if due.extension_notice_by is None:
        return True
    return notified_on <= due.extension_notice_by


def _identity_dates(
    received: datetime.date, requested: object, arrived: object
) -> tuple[datetime.date | None, datetime.date | None]:
    if requested is None:
        if arrived is not None:
            raise ValueError(
                "Identity proof cannot have been received without having been asked: "
                "give identity_requested too."
            )
        return None, None
    requested = require_date(requested, "The date identity proof was asked")
    if requested < received:
        raise ValueError(
            f"Identity proof was asked on {requested.isoformat()}, before the request was "
            f"received on {received.isoformat()}."
        )
    if arrived is None:
        return requested, None
    arrived = require_date(arrived, "The date identity proof was received")
    if arrived < requested:
        raise ValueError(
            f"Identity proof was received on {arrived.isoformat()}, before it was asked on "
            f"{requested.isoformat()}."
        )
    return requested, arrived


def _calendar_end(
    received: datetime.date,
    months: int,
    requested: datetime.date | None,
    arrived: datetime.date | None,
) -> datetime.date:
    """The end of ``months`` from ``received``, before any move to a working day.

    Suspended from ``requested`` to ``arrived``, the period keeps the days it had left on
    the day proof was asked and runs them again from the day it arrived. Asked after the
    last day of the period (on the days off that art. 3(4) adds), it had none left: it ends
    on the day the proof arrives.
    """
    end = months_after(received, months)
    if requested is None or arrived is None:
        return end
    return _shifted(arrived, max(0, (end - requested).days))


def _legal_end(
    received: datetime.date,
    months: int,
    requested: datetime.date | None,
    arrived: datetime.date | None,
    holidays: tuple[HolidayRule, ...],
) -> datetime.date:
    end = _calendar_end(received, months, requested, arrived)
    return first_working_day_from(end, extra_holidays=holidays)


def _shifted(day: datetime.date, days: int) -> datetime.date:
    try:
        return day + datetime.timedelta(days=days)
    except OverflowError:
        raise ValueError(f"{days} days after {day.isoformat()} is beyond the calendar.") from None
