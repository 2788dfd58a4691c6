"""Reminders, escalations and expiry of interventions, run every hour by the task queue.

Nothing waits unseen: a request unanswered is reminded to its ambassador, then escalated
to the referents, then expires; a scheduled intervention is reminded to both sides the day
before, and its report is asked for the day after.

==================  ===============================================  =======================
what                when (``[plugins.messaging]``)                   to whom, by email
==================  ===============================================  =======================
answer reminder     ``reminder_after_days`` (3) after the request    the ambassador
                    reached the ambassador, still unanswered
escalation          ``escalate_after_days`` (7) after the request    the referents of the
                    was made, still unanswered or unmatched          territory (admins when
                                                                     none covers it)
expiry              ``expire_after_days`` (14) after the request     the school side (told
                    was made, or once every proposed date passed     by ``notifications``)
day before          in the 24 hours before a scheduled               the ambassador and the
                    intervention                                     school side
report request      a day after a scheduled intervention ended       the school side
                    without its report
==================  ===============================================  =======================

Each function takes ``now`` (and the settings) and is idempotent: what it sends is recorded
in ``ReminderSent`` (an intervention, a kind and the moment it was about) in the same
transaction as the emails, so running it twice, or on two workers at once, sends nothing
twice. A scheduled intervention whose date changes is reminded again for its new date.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from typing import Any

import peewee
from huey import crontab
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..auth.models import Account
from ..clock import now
from ..db import BaseModel, database
from ..i18n import DEFAULT_LOCALE, _
from ..interventions import service as interventions
from ..interventions.models import Intervention, Status
from ..mail import service as mail
from ..runtime import settings_of
from .notifications import ambassador_account, referents, school_side

EMAILS = "messaging/email/"
TASK = "messaging.reminders"
DAY = datetime.timedelta(days=1)


class ReminderSettingsSchema(Schema):
    """``[plugins.messaging]``: after how many days a request unanswered is reminded to the
    ambassador, escalated to the referents, and expires."""

    reminder_after_days = fields.Integer(load_default=3, validate=validate.Range(1, 60))
    escalate_after_days = fields.Integer(load_default=7, validate=validate.Range(1, 90))
    expire_after_days = fields.Integer(load_default=14, validate=validate.Range(1, 365))

    @validates_schema
    def _in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not data["reminder_after_days"] < data["escalate_after_days"]:
            raise ValidationError(_("must be more than reminder_after_days"), "escalate_after_days")
        if not data["escalate_after_days"] < data["expire_after_days"]:
            raise ValidationError(_("must be more than escalate_after_days"), "expire_after_days")


class ReminderKind(StrEnum):
    """What a reminder was."""

    ANSWER = "answer"
    ESCALATION = "escalation"
    DAY_BEFORE = "day_before"
    REPORT = "report"


class ReminderSent(BaseModel):
    """A reminder sent about an intervention, so that it is never sent twice.

    ``about`` is the moment it was about: when the request reached the ambassador (answer),
    when it was made (escalation), the date of the intervention (day before, report).
    """

    intervention = peewee.ForeignKeyField(Intervention, on_delete="CASCADE")
    kind = peewee.CharField(max_length=20)
    about = peewee.DateTimeField()
    sent_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = "reminder_sent"
        indexes = ((("intervention", "kind", "about"), True),)


def register_tasks(queue) -> None:
    """``messaging.reminders``, every hour on the hour."""
    queue.periodic_task(crontab(minute="0"), name=TASK)(run)


def settings() -> dict[str, Any]:
    """The instance's reminder settings, defaults filled in."""
    return {**ReminderSettingsSchema().load({}), **settings_of("messaging")}


def run(moment: datetime.datetime | None = None) -> dict[str, int]:
    """Everything due at ``moment`` (default: now); return how many of each were done.

    Requests expire first, so that none is reminded in the hour it expires.
    """
    moment = moment or now()
    days = settings()
    return {
        "expired": expire(moment, days),
        "reminded": remind_unanswered(moment, days),
        "escalated": escalate(moment, days),
        "day_before": remind_day_before(moment),
        "reports": ask_for_reports(moment),
    }


def expire(moment: datetime.datetime, days: Mapping[str, int]) -> int:
    """Expire the requests unanswered for ``expire_after_days`` or whose every date passed."""
    cutoff = moment - days["expire_after_days"] * DAY
    return interventions.expire_overdue(moment) + interventions.expire_unanswered(cutoff)


def escalate(moment: datetime.datetime, days: Mapping[str, int]) -> int:
    """Tell the referents of the requests unanswered or unmatched for ``escalate_after_days``."""
    waited = days["escalate_after_days"]
    candidates = Intervention.select().where(
        Intervention.status == Status.REQUESTED,
        Intervention.created_at <= moment - waited * DAY,
        _not_sent(ReminderKind.ESCALATION, Intervention.created_at),
    )

    def send(intervention: Intervention) -> None:
        # It expires after expire_after_days, or once its last proposed date has passed.
        last_date = max((slot.starts_at for slot in intervention.slots), default=None)
        expires_at = intervention.created_at + days["expire_after_days"] * DAY
        if last_date is not None:
            expires_at = min(expires_at, last_date)
        _email(
            referents(intervention, admins_when_none=True),
            "escalation",
            intervention,
            days=(moment - intervention.created_at).days,
            matched=intervention.ambassador_id is not None,
            expires_at=expires_at.isoformat(),
        )

    return _each(candidates, ReminderKind.ESCALATION, lambda i: i.created_at, send)


def remind_unanswered(moment: datetime.datetime, days: Mapping[str, int]) -> int:
    """Remind the ambassadors of the requests they left unanswered ``reminder_after_days``."""
    waited = days["reminder_after_days"]
    candidates = Intervention.select().where(
        Intervention.status == Status.REQUESTED,
        Intervention.ambassador.is_null(False),
        Intervention.assigned_at <= moment - waited * DAY,
        _not_sent(ReminderKind.ANSWER, Intervention.assigned_at),
    )

    def send(intervention: Intervention) -> None:
        waiting = (moment - intervention.assigned_at).days
        _email([ambassador_account(intervention)], "reminder_answer", intervention, days=waiting)

    return _each(candidates, ReminderKind.ANSWER, lambda i: i.assigned_at, send)


def remind_day_before(moment: datetime.datetime) -> int:
    """Remind both sides of the scheduled interventions starting in the next 24 hours."""
    candidates = Intervention.select().where(
        Intervention.status == Status.SCHEDULED,
        Intervention.starts_at > moment,
        Intervention.starts_at <= moment + DAY,
        _not_sent(ReminderKind.DAY_BEFORE, Intervention.starts_at),
    )

    def send(intervention: Intervention) -> None:
        sides = [ambassador_account(intervention), *school_side(intervention)]
        _email(sides, "reminder_day_before", intervention)

    return _each(candidates, ReminderKind.DAY_BEFORE, lambda i: i.starts_at, send)


def ask_for_reports(moment: datetime.datetime) -> int:
    """Ask the school side for the report of the interventions that ended a day ago."""
    candidates = Intervention.select().where(
        Intervention.status == Status.SCHEDULED,
        Intervention.starts_at <= moment - DAY,
        _not_sent(ReminderKind.REPORT, Intervention.starts_at),
    )
    ended = [intervention for intervention in candidates if intervention.ends_at + DAY <= moment]

    def send(intervention: Intervention) -> None:
        _email(school_side(intervention), "report_request", intervention)

    return _each(ended, ReminderKind.REPORT, lambda i: i.starts_at, send)


def _not_sent(kind: ReminderKind, about: peewee.Field) -> peewee.Expression:
    sent = ReminderSent.select(peewee.SQL("1")).where(
        ReminderSent.intervention == Intervention.id,
        ReminderSent.kind == kind,
        ReminderSent.about == about,
    )
    return ~peewee.fn.EXISTS(sent)


def _each(
    interventions_due: Iterable[Intervention],
    kind: ReminderKind,
    about: Callable[[Intervention], datetime.datetime],
    send: Callable[[Intervention], None],
) -> int:
    """Record and ``send`` each reminder in its own transaction; skip those already sent."""
    count = 0
    for intervention in list(interventions_due):
        with database.atomic():
            recorded = (
                ReminderSent.insert(
                    intervention=intervention.id,
                    kind=kind,
                    about=about(intervention),
                    sent_at=now(),
                )
                .on_conflict_ignore()
                .as_rowcount()
                .execute()
            )
            if recorded:  # another worker sent it meanwhile otherwise
                send(intervention)
                count += 1
    return count


def _email(
    recipients: Iterable[Account | None], name: str, intervention: Intervention, **context: Any
) -> None:
    """Queue the email ``name`` to each active recipient, in their language."""
    facts = {
        "intervention_id": intervention.id,
        "intervention_type": intervention.intervention_type,
        "starts_at": intervention.starts_at.isoformat(),
        "school": intervention.organisation.name,
    }
    seen = set()
    for account in recipients:
        if account is None or account.id in seen:
            continue
        seen.add(account.id)
        mail.queue(
            account.email,
            EMAILS + name,
            locale=account.locale or DEFAULT_LOCALE,
            first_name=account.first_name,
            **facts,
            **context,
        )
