"""Personal data of the rgpd plugin itself: what a person can read, what is erased, how long.

=====================  =============================================  ==========================
what                   kept                                           on erasure
=====================  =============================================  ==========================
requests and log       ``requests_kept_years`` after they are closed  kept (``rights.KEPT``)
unconfirmed requests   ``confirm_link_hours``                         deleted
answer to an erasure   the outbox, ``answer_mail_kept_days``          kept until sent
export files           until downloaded or ``export_link_hours``      deleted
restrictions,          as long as the account                         deleted
objections
officer role           as long as the account                         deleted
=====================  =============================================  ==========================
"""

from __future__ import annotations

import datetime
from typing import Any

from tremplin.auth.models import Account
from tremplin.db import among, database
from tremplin.mail import service as mail
from tremplin.people.holds import Hold
from tremplin.people.models import Ambassador
from tremplin.privacy import ProcessingActivity
from tremplin.storage import delete as delete_file

from . import exports, plugin
from .i18n import _
from .models import ExportLink, Kind, Limit, LimitKind, Officer, Request, Status, Step
from .rights import RESTRICTION_HOLD


def personal_data(person: Account) -> dict[str, Any]:
    """The person's requests with their steps, and the limits in force."""
    rows = list(
        Request.select()
        .where(Request.account == person.id, Request.status != Status.UNCONFIRMED)
        .order_by(Request.id)
    )
    steps: dict[int, list[dict[str, str]]] = {row.id: [] for row in rows}
    for request_id, at, action in (
        Step.select(Step.request, Step.at, Step.action)
        .where(Step.request.in_(list(steps)))
        .order_by(Step.at, Step.id)
        .tuples()
    ):
        steps[request_id].append({"at": at.isoformat(), "action": action})
    requests = [
        {
            "kind": row.kind,
            "status": row.status,
            "channel": row.channel,
            "details": row.details,
            "received_on": _iso(row.received_on),
            "legal_due": _iso(row.legal_due),
            "extended_on": _iso(row.extended_on),
            "closed_on": _iso(row.closed_on),
            "answer": row.answer,
            "identity_checked": row.identity_checked,
            "steps": steps[row.id],
        }
        for row in rows
    ]
    limits = [
        {"kind": row.kind, "since": row.since.isoformat()}
        for row in Limit.select().where(Limit.account == person.id).order_by(Limit.kind)
    ]
    data = {}
    if requests:
        data[_("Requests about your personal data")] = requests
    if limits:
        data[_("Restrictions and objections")] = limits
    return data


def erase(person: Account) -> None:
    """Erase what can go: limits, the officer role, unused export files. Requests stay
    (``rights.KEPT``): the network must be able to show it answered them."""
    Limit.delete().where(Limit.account == person.id).execute()
    Officer.delete().where(Officer.account == person.id).execute()
    links = list(
        ExportLink.select()
        .join(Request)
        .where(Request.account == person.id, ExportLink.file_key.is_null(False))
    )
    ExportLink.update(file_key=None).where(ExportLink.id.in_([link.id for link in links])).execute()
    for link in links:
        delete_file(link.file_key)


def purge(moment: datetime.datetime) -> dict[str, int]:
    """Apply the retention periods as of ``moment`` (aware, or stored UTC); return counts."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    config = plugin.settings()
    unconfirmed_before = moment - datetime.timedelta(hours=config["confirm_link_hours"])
    closed_before = (moment - datetime.timedelta(days=365 * config["requests_kept_years"])).date()
    with database.atomic():
        files = exports.purge(moment)
        unconfirmed = (
            Request.delete()
            .where(Request.status == Status.UNCONFIRMED, Request.created_at < unconfirmed_before)
            .execute()
        )
        old = (
            Request.delete()
            .where(
                Request.status.in_((Status.ANSWERED, Status.REFUSED)),
                Request.closed_on < closed_before,
            )
            .execute()
        )
        answers = _forget_erasure_answers(moment.date(), config["answer_mail_kept_days"])
    return {
        _("export files"): files,
        _("unconfirmed requests"): unconfirmed,
        _("closed requests"): old,
        _("answers to erasures in the outbox"): answers,
    }


def _forget_erasure_answers(today: datetime.date, kept_days: int) -> int:
    """Delete from the outbox the answers to erasures closed ``kept_days`` ago (a week of
    them, should the purge have missed nights): by then they are sent, and the request's
    record keeps the address (``rights.KEPT``)."""
    cutoff = today - datetime.timedelta(days=kept_days)
    emails = {
        row.email
        for row in Request.select(Request.email).where(
            Request.kind == Kind.ERASURE,
            Request.status == Status.ANSWERED,
            Request.closed_on <= cutoff,
            Request.closed_on > cutoff - datetime.timedelta(days=7),
        )
    }
    return sum(mail.erase_for(email) for email in sorted(emails))


def holds_for(ambassadors: list[Ambassador]) -> dict[int, list[Hold]]:
    """The restriction holds of ``ambassadors``: those whose account restricted processing."""
    restricted = {
        row.account_id
        for row in Limit.select(Limit.account).where(
            Limit.kind == LimitKind.RESTRICTION,
            among(Limit.account, [a.account_id for a in ambassadors]),
        )
    }
    reason = _("Processing restricted at the person's request (GDPR art. 18).")
    return {
        a.id: [Hold(RESTRICTION_HOLD, reason)] for a in ambassadors if a.account_id in restricted
    }


def processing_activities() -> list[ProcessingActivity]:
    """The plugin's rows of the register of processing activities (GDPR article 30)."""
    config = plugin.settings()
    return [
        ProcessingActivity(
            name=_("Requests to exercise data protection rights"),
            purpose=_(
                "Receive and answer the requests of access, rectification, erasure, "
                "restriction, portability and objection in time, and show it was done."
            ),
            legal_basis=_("Legal obligation (GDPR articles 12 to 21, article 6.1.c)."),
            data=_(
                "Name, email address, the right exercised, the request's text, its dates and "
                "steps, whether identity was checked, by whom and how (never a copy of the "
                "document), the answer."
            ),
            retention=_(
                "%(years)d years after the answer; a request never confirmed %(hours)d hours; "
                "an export until it is downloaded, %(export)d hours at most.",
                years=config["requests_kept_years"],
                hours=config["confirm_link_hours"],
                export=config["export_link_hours"],
            ),
        )
    ]


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None
