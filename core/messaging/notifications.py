"""Who is told what, and when: notifications in the platform and emails through the outbox.

Each reaction writes the notifications and queues the emails in one transaction. An email
is rendered when it is sent, in its recipient's language, from the template
``messaging/email/<name>`` and a context of plain data (codes, ids, stored dates as ISO
strings), so that dates and labels are written in the recipient's words.

Workflow transitions (``intervention_announced``, which the worker calls shortly after the
transition; the facts are the intervention's when it runs, see
``tremplin.interventions.announcements``):

============================  ==================================  ===========================
transition                    who is told                         by email
============================  ==================================  ===========================
created with an ambassador    the ambassador                      yes: answer before the date
created without one           referents of the territory (admins  yes: find an ambassador
                              when no referent covers it)
assigned (requested again)    the ambassador                      yes, as a new request
accepted (so scheduled)       the school side                     who asked: no (calendars
                                                                  send the acceptance with
                                                                  the invitation); the
                                                                  school's educators when
                                                                  who asked is gone: yes
declined, expired             the school side                     yes
date fixed (an intervention   the ambassador and the school side  no (calendars send the
accepted before accepting                                         invitation)
fixed it), date changed
cancelled                     the other sides                     yes, unless it was
                                                                  scheduled (calendars send
                                                                  the cancellation)
completed                     the ambassador, and the school      yes: thanks, and a survey
                              side unless it gave its feedback    link (unless
                              with the report                     ``may_contact`` says no
                                                                  to a survey)
============================  ==================================  ===========================

The school side is the person who made the request, or the school's educators when that
account is gone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import peewee

from ..auth import permissions
from ..auth.models import Account, AccountStatus, Role, RoleGrant
from ..clock import now
from ..db import database
from ..i18n import DEFAULT_LOCALE
from ..interventions import access, preparation, surveys, visits
from ..interventions.models import Feedback, Intervention, Side, Slot, Status
from ..mail import service as mail
from ..people.models import Ambassador
from .models import Message, Notification, NotificationKind, ThreadEmails

EMAILS = "messaging/email/"
EXCERPT_LENGTH = 200


def public_name(account: Account | None) -> str:
    """What other users read of ``account``: first name and initial; empty once deleted."""
    if account is None or account.status == AccountStatus.DELETED:
        return ""
    return account.display_name


def excerpt(body: str, length: int = EXCERPT_LENGTH) -> str:
    """The beginning of ``body`` on one line, cut at a word with an ellipsis when too long."""
    text = " ".join(body.split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


# Who


def _active(query: peewee.ModelSelect) -> list[Account]:
    return list(query.where(Account.status == AccountStatus.ACTIVE).order_by(Account.id))


def ambassador_account(intervention: Intervention) -> Account | None:
    """The active account of the intervention's ambassador, if there is one."""
    if intervention.ambassador_id is None:
        return None
    accounts = _active(
        Account.select().join(Ambassador).where(Ambassador.id == intervention.ambassador_id)
    )
    return accounts[0] if accounts else None


def school_side(intervention: Intervention) -> list[Account]:
    """Who made the request, or, when that person is gone or left the school, its educators
    (whose membership is in force)."""
    if intervention.requested_by_id is not None:
        requester = _active(Account.select().where(Account.id == intervention.requested_by_id))
        if requester and access.is_school_side(requester[0], intervention):
            return requester
    return _active(
        Account.select()
        .join(RoleGrant, on=(RoleGrant.account == Account.id))
        .where(
            RoleGrant.role == Role.EDUCATOR,
            RoleGrant.organisation == intervention.organisation_id,
            RoleGrant.in_force(),
        )
        .distinct()
        .order_by(Account.id)
    )


def referents(intervention: Intervention, admins_when_none: bool = False) -> list[Account]:
    """The referents of the school's territory or a territory above it.

    With ``admins_when_none``, the admins when no referent covers the territory, so that a
    request never waits unseen.
    """
    found = []
    territories = permissions.ancestors(intervention.territory_id)
    if territories:
        found = _active(
            Account.select()
            .join(RoleGrant, on=(RoleGrant.account == Account.id))
            .where(
                RoleGrant.role == Role.REFERENT,
                RoleGrant.territory.in_(territories),
                RoleGrant.in_force(),
            )
            .distinct()
        )
    if found or not admins_when_none:
        return found
    return _active(
        Account.select()
        .join(RoleGrant, on=(RoleGrant.account == Account.id))
        .where(RoleGrant.role == Role.ADMIN)
        .distinct()
    )


def thread_audience(intervention: Intervention) -> list[Account]:
    """Who hears of a new message: the ambassador, the school side, the referents, and
    anyone else who wrote in the thread and may still read it (an admin, an educator)."""
    audience = [ambassador_account(intervention), *school_side(intervention)]
    audience += referents(intervention)
    writers = _active(
        Account.select()
        .join(Message, on=(Message.author == Account.id))
        .where(Message.intervention == intervention.id)
        .distinct()
    )
    audience += [writer for writer in writers if access.can_view(writer, intervention)]
    return [account for account in audience if account is not None]


# Telling


def _facts(intervention: Intervention) -> dict[str, Any]:
    """What every email about ``intervention`` names: its type, date and school."""
    return {
        "intervention_id": intervention.id,
        "intervention_type": intervention.intervention_type,
        "starts_at": intervention.starts_at.isoformat(),
        "school": intervention.organisation.name,
    }


def tell(
    recipients: Iterable[Account | None],
    kind: NotificationKind,
    intervention: Intervention,
    actor: Account | None = None,
    email: str | None = None,
    skip: set[int] | None = None,
    facts: dict[str, Any] | None = None,
    survey: bool = False,
    **context: Any,
) -> list[Account]:
    """Notify each active recipient once, except ``actor``; queue ``email`` for each too.

    Call it inside the transaction that causes it; it only writes (given ``facts``, the
    intervention's ``_facts``). Ids in ``skip`` are left out, and those told are added to
    it (for several calls about one event). Return who was told. ``survey``: the email
    also asks for the recipient's opinion, through a survey link (``survey_token``) its
    template shows only when ``ask_feedback`` (``surveys.invite``: unless
    ``mail.may_contact(recipient, SURVEY)`` says no).
    """
    skip = set() if skip is None else skip
    told: dict[int, Account] = {}
    for account in recipients:
        if account is None or account.status != AccountStatus.ACTIVE:
            continue
        if account.id in told or account.id in skip:
            continue
        if actor is not None and account.id == actor.id:
            continue
        told[account.id] = account
    skip.update(told)
    if not told:
        return []
    moment = now()
    Notification.insert_many(
        [
            {
                "account": account.id,
                "kind": kind,
                "intervention": intervention.id,
                "actor": actor.id if actor else None,
                "created_at": moment,
            }
            for account in told.values()
        ]
    ).execute()
    if email is not None:
        facts = _facts(intervention) if facts is None else facts
        for account in told.values():
            asked = _survey_link(intervention, account) if survey else {}
            mail.queue(
                account.email,
                EMAILS + email,
                locale=account.locale or DEFAULT_LOCALE,
                first_name=account.first_name,
                **facts,
                **asked,
                **context,
            )
    return list(told.values())


def _survey_link(intervention: Intervention, account: Account) -> dict[str, Any]:
    """The context of an email that asks ``account`` for their opinion, with their link."""
    token = surveys.invite(intervention, account)
    return {"ask_feedback": token is not None, "survey_token": token}


def message_written(message: Message, intervention: Intervention, author: Account) -> None:
    """Tell the other participants that ``author`` wrote ``message``, with an excerpt.

    Referents who chose not to be emailed for each message are told in the platform only
    (unless they are also a side of the intervention or wrote in the thread).
    """
    audience = thread_audience(intervention)
    quiet = _quiet_referents(intervention, audience)
    context = {
        "author": public_name(author),
        "side": message.side,
        "excerpt": excerpt(message.body),
    }
    skip: set[int] = set()
    emailed = [account for account in audience if account.id not in quiet]
    tell(
        emailed,
        NotificationKind.MESSAGE,
        intervention,
        actor=author,
        email="message",
        skip=skip,
        **context,
    )
    tell(audience, NotificationKind.MESSAGE, intervention, actor=author, skip=skip, **context)


def _quiet_referents(intervention: Intervention, audience: list[Account]) -> set[int]:
    """Ids of the referents of ``audience`` who chose no email per message, and are only
    there as referents (not a side of the intervention, not a writer in its thread)."""
    referent_ids = {account.id for account in referents(intervention)}
    sides = {
        account.id
        for account in (ambassador_account(intervention), *school_side(intervention))
        if account
    }
    writers = {
        row.author_id
        for row in Message.select(Message.author).where(Message.intervention == intervention.id)
    }
    candidates = referent_ids - sides - writers
    if not candidates:
        return set()
    return {
        row.account_id
        for row in ThreadEmails.select(ThreadEmails.account).where(
            ThreadEmails.account.in_(list(candidates)),
            ThreadEmails.each_message == False,  # noqa: E712
        )
    }


def contacts_shared(intervention: Intervention, ambassador: Account) -> None:
    """Tell the school side, in the platform, that the ambassador shared contact details."""
    tell(
        school_side(intervention),
        NotificationKind.CONTACTS_SHARED,
        intervention,
        actor=ambassador,
    )


# Workflow transitions


@dataclass(frozen=True)
class Announcement:
    """Who to tell of a transition, of what, and with which email (``None``: in-app only)."""

    recipients: list[Account | None]
    kind: NotificationKind
    actor: Account | None = None
    email: str | None = None
    context: dict[str, Any] = field(default_factory=dict)
    survey: bool = False  # the email asks for an opinion (``tell``'s ``survey``)


def intervention_announced(
    intervention: Intervention, old_status: str | None, new_status: str
) -> None:
    """Tell of a transition of ``intervention`` (see the table of the module).

    Everything is read first, then written in one transaction (a savepoint of the worker's,
    which starts by writing: on SQLite a transaction that reads before writing cannot wait
    for a concurrent writer).
    """
    old = Status(old_status) if old_status else None
    announcements = announcements_for(intervention, old, Status(new_status))
    if not announcements:
        return
    facts = _facts(intervention)
    told: set[int] = set()
    with database.atomic():
        for announcement in announcements:
            tell(
                announcement.recipients,
                announcement.kind,
                intervention,
                actor=announcement.actor,
                email=announcement.email,
                skip=told,
                facts=facts,
                survey=announcement.survey,
                **announcement.context,
            )


def announcements_for(
    intervention: Intervention, old: Status | None, new: Status
) -> list[Announcement]:
    """What a transition of ``intervention`` from ``old`` to ``new`` announces, to whom."""
    ambassador = ambassador_account(intervention)
    if new == Status.REQUESTED and old in (None, Status.REQUESTED, Status.DECLINED):
        # A new request, a referent's match, or asked again after declining.
        if intervention.ambassador_id is not None:
            requester = intervention.requested_by
            return [
                Announcement(
                    [ambassador],
                    NotificationKind.REQUESTED,
                    actor=requester,
                    email="requested",
                    context={
                        "requester": public_name(requester),
                        "message": intervention.message,
                        "slots": _slots(intervention, Side.SCHOOL),
                    },
                )
            ]
        if old is None:
            return [
                Announcement(
                    referents(intervention, admins_when_none=True),
                    NotificationKind.TO_MATCH,
                    actor=intervention.requested_by,
                    email="to_match",
                    context={"slots": _slots(intervention, Side.SCHOOL)},
                )
            ]
        return []
    if new == Status.SCHEDULED and old == Status.REQUESTED:
        return _accepted(intervention, ambassador)
    if new == Status.DECLINED:
        return [
            Announcement(
                school_side(intervention),
                NotificationKind.DECLINED,
                actor=ambassador,
                email="declined",
                context={
                    "ambassador": public_name(ambassador),
                    "reason": intervention.decline_reason,
                    "message": intervention.decline_message,
                    "slots": _slots(intervention, Side.AMBASSADOR),
                },
            )
        ]
    if new == Status.SCHEDULED:
        # In the platform only: the calendars area emails the invitation (.ics).
        moved = old == Status.SCHEDULED
        kind = NotificationKind.RESCHEDULED if moved else NotificationKind.SCHEDULED
        return [Announcement([ambassador, *school_side(intervention)], kind)]
    if new == Status.CANCELLED:
        return _cancelled(intervention, old, ambassador)
    if new == Status.COMPLETED:
        thanks = [
            Announcement(
                [ambassador],
                NotificationKind.COMPLETED,
                email="completed",
                context={"pupils": intervention.pupils_reached},
                survey=True,
            )
        ]
        if not _school_answered(intervention):
            thanks.append(
                Announcement(
                    school_side(intervention),
                    NotificationKind.COMPLETED,
                    email="completed_school",
                    survey=True,
                )
            )
        return thanks
    if new == Status.EXPIRED:
        return [Announcement(school_side(intervention), NotificationKind.EXPIRED, email="expired")]
    return []


def _school_answered(intervention: Intervention) -> bool:
    """Whether the school side gave its feedback (with the report, most often)."""
    return (
        Feedback.select()
        .where(Feedback.intervention == intervention.id, Feedback.side == Side.SCHOOL)
        .exists()
    )


def _accepted(intervention: Intervention, ambassador: Account | None) -> list[Announcement]:
    """The ambassador accepted on a proposed date, which scheduled the intervention.

    Who asked is emailed by calendars (their invitation says it is accepted and the date
    fixed): told here in the platform only. The school's educators, told when who asked
    is gone, receive no invitation: they are emailed here.
    """
    school = school_side(intervention)
    invited = [account for account in school if account.id == intervention.requested_by_id]
    others = [account for account in school if account.id != intervention.requested_by_id]
    context = {
        "ambassador": public_name(ambassador),
        "preparation_kit": preparation.written(),
        **_visit_safety(intervention),
    }
    return [
        Announcement(invited, NotificationKind.ACCEPTED, actor=ambassador),
        Announcement(
            others, NotificationKind.ACCEPTED, actor=ambassador, email="accepted", context=context
        ),
    ]


def _cancelled(
    intervention: Intervention, old: Status | None, ambassador: Account | None
) -> list[Announcement]:
    """The sides other than the one who cancelled; referents of an unmatched request."""
    canceller = intervention.cancelled_by
    if canceller is not None and access.is_ambassador_of(canceller, intervention):
        ambassadors, schools = [], school_side(intervention)
    elif canceller is not None and access.is_school_side(canceller, intervention):
        ambassadors, schools = [ambassador], []
    else:  # a referent, an admin, or an account gone since
        ambassadors, schools = [ambassador], school_side(intervention)
    unmatched = intervention.ambassador_id is None
    others = referents(intervention, admins_when_none=True) if unmatched else []
    context = {"cancelled_by": public_name(canceller), "reason": intervention.cancel_reason}
    # A scheduled intervention's cancellation is emailed by calendars, with the .ics.
    email = None if old == Status.SCHEDULED else "cancelled"
    return [
        Announcement(
            recipients,
            NotificationKind.CANCELLED,
            actor=canceller,
            email=email,
            context={**context, "for_school": for_school},
        )
        for recipients, for_school in ((schools, True), (ambassadors, False), (others, False))
    ]


def _visit_safety(intervention: Intervention) -> dict[str, str]:
    """The safety rules of a company visit, for the email telling the school it is accepted."""
    safety = visits.safety_of(intervention)
    return {"safety_rules": safety["safety_rules"]} if safety else {}


def _slots(intervention: Intervention, side: Side) -> list[str]:
    """The dates still to come that ``side`` proposed, as stored (ISO), soonest first."""
    return [
        slot.starts_at.isoformat()
        for slot in Slot.select()
        .where(
            Slot.intervention == intervention.id,
            Slot.proposed_by == side,
            Slot.starts_at > now(),
        )
        .order_by(Slot.starts_at)
    ]
