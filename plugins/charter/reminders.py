"""The hourly task: holds brought up to date with the calendar, renewal reminders sent.

A check expires and a new version of the charter takes effect on a date, without anybody
doing anything: each hour the task materialises the holds of that day (``sync``), and
reminds by email the ambassadors whose check must be renewed within
``renewal_reminder_days`` (once per check: ``reminded_at``, set in the same transaction as
the email, so that two workers never send it twice).
"""

from __future__ import annotations

import datetime

import peewee
from huey import crontab

from tremplin import clock
from tremplin.auth.models import Account, AccountStatus
from tremplin.db import database
from tremplin.i18n import DEFAULT_LOCALE
from tremplin.mail import service as mail
from tremplin.people.models import Ambassador

from . import requirements
from .models import CheckStatus, RecordCheck

TASK = "charter.hourly"
EMAIL = "charter/email/renewal"


def register_tasks(queue) -> None:
    """``charter.hourly``, every hour at twenty past."""
    queue.periodic_task(crontab(minute="20"), name=TASK)(hourly)


def hourly(moment: datetime.datetime | None = None) -> dict[str, int]:
    """Everything due at ``moment`` (default: now); return what was done."""
    moment = moment or clock.now()
    outcome = requirements.sync()
    return {
        "holds_added": outcome.added,
        "holds_removed": outcome.removed,
        "reminded": remind_renewals(moment),
    }


def remind_renewals(moment: datetime.datetime) -> int:
    """Email the ambassadors whose latest check must be renewed soon; return how many."""
    days = requirements.settings()["renewal_reminder_days"]
    today = moment.date()
    newer = RecordCheck.alias("newer")
    due = (
        RecordCheck.select(RecordCheck, Ambassador, Account)
        .join(Ambassador)
        .join(Account)
        .where(
            RecordCheck.status == CheckStatus.VERIFIED,
            RecordCheck.valid_until >= today,
            RecordCheck.valid_until <= today + datetime.timedelta(days=days),
            RecordCheck.reminded_at.is_null(),
            Account.status == AccountStatus.ACTIVE,
            # Not when the ambassador already sent a new extract.
            ~peewee.fn.EXISTS(
                newer.select(peewee.SQL("1")).where(
                    newer.ambassador == RecordCheck.ambassador, newer.id > RecordCheck.id
                )
            ),
        )
    )
    sent = 0
    for check in list(due):
        with database.atomic():
            claimed = (
                RecordCheck.update(reminded_at=moment)
                .where(RecordCheck.id == check.id, RecordCheck.reminded_at.is_null())
                .execute()
            )
            if not claimed:  # another worker reminded meanwhile
                continue
            account = check.ambassador.account
            mail.queue(
                account.email,
                EMAIL,
                locale=account.locale or DEFAULT_LOCALE,
                first_name=account.first_name,
                valid_until=check.valid_until.isoformat(),
                days=(check.valid_until - today).days,
            )
            sent += 1
    return sent
