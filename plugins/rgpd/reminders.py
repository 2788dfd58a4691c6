"""The daily reminders: the officers are told of requests whose legal date comes near.

Each morning, every open request due within one of ``reminder_days`` days (or overdue) is
reminded once that day (``reminded_on``, set in the same transaction as the email, so two
workers never send it twice), to every officer in one email.
"""

from __future__ import annotations

import datetime

from huey import crontab

from tremplin.db import database
from tremplin.i18n import DEFAULT_LOCALE
from tremplin.mail import service as mail

from . import officers, plugin, requests
from .models import OPEN_STATUSES, Request

TASK = f"{plugin.name}.reminders"
EMAIL = f"{plugin.name}/email/reminder"


def register_tasks(queue) -> None:
    """``rgpd.reminders``, every day at 7:10."""
    queue.periodic_task(crontab(minute="10", hour="7"), name=TASK)(remind)


def remind(today: datetime.date | None = None) -> int:
    """Remind the officers of the requests due soon or overdue; return how many requests."""
    today = today or requests.today()
    days = plugin.settings()["reminder_days"]
    horizon = today + datetime.timedelta(days=max(days, default=0))
    candidates = list(
        Request.select()
        .where(
            Request.status.in_(OPEN_STATUSES),
            Request.legal_due.is_null(False),
            Request.legal_due <= horizon,
            (Request.reminded_on.is_null()) | (Request.reminded_on < today),
        )
        .order_by(Request.legal_due, Request.id)
    )
    due = [r for r in candidates if r.legal_due < today or (r.legal_due - today).days in days]
    recipients = officers.emails()
    if not due or not recipients:
        return 0
    with database.atomic():
        claimed = (
            Request.update(reminded_on=today)
            .where(
                Request.id.in_([r.id for r in due]),
                (Request.reminded_on.is_null()) | (Request.reminded_on < today),
            )
            .execute()
        )
        if not claimed:
            return 0
        rows = [
            {
                "id": r.id,
                "kind": r.kind,
                "legal_due": r.legal_due.isoformat(),
                "days": (r.legal_due - today).days,
            }
            for r in due
        ]
        for email in recipients:
            mail.queue(email, EMAIL, locale=DEFAULT_LOCALE, requests=rows)
    return len(due)
