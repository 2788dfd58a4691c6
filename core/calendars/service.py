"""Calendars: invitations sent as an intervention is scheduled, moved or cancelled; feeds.

Invitations. When an intervention is scheduled, the ambassador and whoever asked for it
each receive an email with an ``invitation.ics`` (METHOD:REQUEST); when it is scheduled by
the ambassador's acceptance, the copy of who asked is the email telling them so (the only
email they receive of it, see ``messaging.notifications``); when its date changes,
another one with the same UID and a higher SEQUENCE, which calendar apps put in place of
the first; when a scheduled intervention is cancelled, METHOD:CANCEL, STATUS:CANCELLED and
a higher SEQUENCE again. Each copy is written in its recipient's language and names them
as its single attendee (see ``invitations``).

Feeds. Each person may have one private address (``CalendarFeed``) where their calendar
app reads their interventions (``feed_entries`` says which). Whoever knows the address
reads it, so it can be revoked and replaced at any time.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import operator
import secrets
from collections.abc import Callable
from enum import StrEnum

import peewee

from ..auth import permissions
from ..auth.models import Account, AccountStatus
from ..clock import now
from ..db import database
from ..errors import Invalid, NotFound
from ..i18n import _, using_locale
from ..interventions import access, preparation, times, visits
from ..interventions.models import Intervention, Status
from ..mail import service as mail
from ..organisations.models import Organisation
from ..people.models import Ambassador
from ..runtime import current
from . import invitations
from .invitations import Attendee, Method, PublicFacts
from .models import CalendarFeed, Invitation

# The address of an intervention's page, absolute (the web layer knows how to build it).
Link = Callable[[int], str]

ATTACHMENT_NAME = "invitation.ics"
REQUEST_MIMETYPE = "text/calendar; method=REQUEST; charset=utf-8"
CANCEL_MIMETYPE = "text/calendar; method=CANCEL; charset=utf-8"

# A feed shows a year of past interventions and everything to come...
FEED_PAST = datetime.timedelta(days=365)
# ...and at most this many (an admin's feed covers the whole region): the latest ones.
FEED_LIMIT = 1000
# Who takes part sees what is tentative too (accepted, date not fixed: data of earlier
# versions, where accepting did not fix the date); referents see fixed dates only.
TAKING_PART = (Status.ACCEPTED, Status.SCHEDULED, Status.COMPLETED)
DATE_FIXED = (Status.SCHEDULED, Status.COMPLETED)
# A revoked address is kept this long (to tell when it was revoked), then deleted.
REVOKED_KEPT = datetime.timedelta(days=30)


class Kind(StrEnum):
    """Which invitation email a transition calls for (the template's name)."""

    ACCEPTANCE = "acceptance"  # requested -> scheduled: accepted on a proposed date
    INVITATION = "invitation"  # accepted -> scheduled (data of earlier versions)
    UPDATE = "update"  # scheduled -> scheduled, another date
    CANCELLATION = "cancellation"  # scheduled -> cancelled


def kind_of(old_status: str | None, new_status: str) -> Kind | None:
    """The invitation email a transition from ``old_status`` to ``new_status`` sends, if any."""
    if new_status == Status.SCHEDULED and old_status == Status.REQUESTED:
        return Kind.ACCEPTANCE
    if new_status == Status.SCHEDULED and old_status == Status.ACCEPTED:
        return Kind.INVITATION
    if new_status == Status.SCHEDULED and old_status == Status.SCHEDULED:
        return Kind.UPDATE
    if new_status == Status.CANCELLED and old_status == Status.SCHEDULED:
        return Kind.CANCELLATION
    return None


# Invitations


def send_invitations(
    intervention: Intervention, old_status: str | None, new_status: str, link: Link
) -> int:
    """Queue the invitation emails the transition of ``intervention`` calls for.

    Return how many were queued: none for transitions without one, and none for a new
    date that is the date already sent.
    """
    kind = kind_of(old_status, new_status)
    if kind is None:
        return 0
    facts = public_facts(intervention.id, link)
    with database.atomic():
        sent = Invitation.get_or_none(Invitation.intervention == intervention.id)
        if (
            kind == Kind.UPDATE
            and sent is not None
            and (sent.starts_at, sent.ends_at) == (facts.starts_at, facts.ends_at)
        ):
            return 0
        first = kind in (Kind.ACCEPTANCE, Kind.INVITATION)
        sequence = _next_sequence(facts, first=0 if first else 1)
        facts = dataclasses.replace(facts, sequence=sequence)
        previous = sent.starts_at if sent is not None and kind == Kind.UPDATE else None
        recipients = invitation_recipients(intervention)
        for account in recipients:
            if kind == Kind.ACCEPTANCE and account.id == intervention.requested_by_id:
                _queue(kind, account, facts, previous, **_acceptance(intervention, facts))
            else:  # the ambassador who accepted gets the invitation for their calendar
                _queue(Kind.INVITATION if first else kind, account, facts, previous)
    return len(recipients)


def _acceptance(intervention: Intervention, facts: PublicFacts) -> dict[str, object]:
    """What the email telling who asked that the ambassador accepted says besides the date:
    who accepted, a company visit's safety rules, whether the region wrote its preparation
    kit."""
    safety = visits.safety_of(intervention)
    return {
        "ambassador": facts.ambassador_name,
        "safety_rules": safety["safety_rules"] if safety else "",
        "preparation_kit": preparation.written(),
    }


def invitation_recipients(intervention: Intervention) -> list[Account]:
    """Who receives the invitation: the ambassador and who asked, if their account is active."""
    ids = []
    if intervention.ambassador_id is not None:
        ambassador = Ambassador.get_or_none(Ambassador.id == intervention.ambassador_id)
        if ambassador is not None:
            ids.append(ambassador.account_id)
    if intervention.requested_by_id is not None and intervention.requested_by_id not in ids:
        requester = Account.get_or_none(Account.id == intervention.requested_by_id)
        if access.is_school_side(requester, intervention):  # not one who left the school
            ids.append(intervention.requested_by_id)
    accounts = {
        account.id: account
        for account in Account.select().where(
            Account.id.in_(ids), Account.status == AccountStatus.ACTIVE
        )
    }
    return [accounts[account_id] for account_id in ids if account_id in accounts]


def _next_sequence(facts: PublicFacts, first: int) -> int:
    """Record that ``facts`` are sent; return their SEQUENCE (``first`` for the first send).

    The increment is one guarded UPDATE, so two changes at once get two numbers.
    """
    moved = Invitation.update(
        sequence=Invitation.sequence + 1,
        starts_at=facts.starts_at,
        ends_at=facts.ends_at,
        sent_at=now(),
    ).where(Invitation.intervention == facts.intervention_id)
    if not moved.execute():
        try:
            with database.atomic():  # a savepoint: a concurrent first send may win the insert
                Invitation.create(
                    intervention=facts.intervention_id,
                    sequence=first,
                    starts_at=facts.starts_at,
                    ends_at=facts.ends_at,
                )
        except peewee.IntegrityError:
            moved.execute()
    return Invitation.get(Invitation.intervention == facts.intervention_id).sequence


def _queue(
    kind: Kind,
    account: Account,
    facts: PublicFacts,
    previous: datetime.datetime | None,
    **extra: object,
) -> None:
    """The email of ``kind`` to ``account``, its invitation attached, in their language."""
    method = Method.CANCEL if kind == Kind.CANCELLATION else Method.REQUEST
    with using_locale(account.locale):
        text = invitations.invitation(
            facts, method, Attendee(email=account.email, name=account.display_name), now()
        )
        context = {
            "first_name": account.first_name,
            "summary": invitations.summary(facts),
            "date": times.shown(facts.starts_at),
            "previous_date": times.shown(previous) if previous else "",
            "location": invitations.location(facts),
            "reason": facts.cancel_reason,
            "intervention_id": facts.intervention_id,
            **extra,
        }
    mail.queue(
        account.email,
        f"calendars/email/{kind}",
        locale=account.locale,
        attachments=[
            {
                "filename": ATTACHMENT_NAME,
                "content": text,
                "mimetype": CANCEL_MIMETYPE if method == Method.CANCEL else REQUEST_MIMETYPE,
            }
        ],
        **context,
    )


# Public facts


def public_facts(intervention_id: int, link: Link) -> PublicFacts:
    """What a calendar may say of the intervention ``intervention_id``."""
    rows = _public_rows(Intervention.id == intervention_id)
    if not rows:
        raise NotFound(_("No intervention has this number."))
    return _facts(rows[0], link)


def _public_rows(condition: peewee.Expression, limit: int | None = None) -> list[Intervention]:
    """Interventions matching ``condition`` with their school, ambassador and sequence."""
    workplace = Organisation.alias()
    query = (
        Intervention.select(
            Intervention,
            Organisation,
            Ambassador,
            Account.first_name,
            Account.last_name,
            workplace.name.alias("workplace_name"),
            peewee.fn.COALESCE(Invitation.sequence, 0).alias("calendar_sequence"),
        )
        .join(Organisation, on=(Intervention.organisation == Organisation.id))
        .switch(Intervention)
        .join(Ambassador, peewee.JOIN.LEFT_OUTER)
        .join(Account, peewee.JOIN.LEFT_OUTER)
        .switch(Ambassador)
        .join(workplace, peewee.JOIN.LEFT_OUTER, on=(Ambassador.organisation == workplace.id))
        .switch(Intervention)
        .join(
            Invitation,
            peewee.JOIN.LEFT_OUTER,
            on=(Invitation.intervention == Intervention.id),
        )
        .where(condition)
        .order_by(Intervention.starts_at.desc(), Intervention.id.desc())
    )
    return list(query.limit(limit) if limit else query)


def _facts(row: Intervention, link: Link) -> PublicFacts:
    ambassador = row.ambassador if row.ambassador_id is not None else None
    return PublicFacts(
        intervention_id=row.id,
        intervention_type=row.intervention_type,
        mode=row.mode,
        status=row.status,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        occupation=ambassador.occupation if ambassador else "",
        ambassador_name=ambassador.account.display_name if ambassador else "",
        workplace=(getattr(row, "workplace_name", None) or ambassador.organisation_name)
        if ambassador
        else None,
        school=row.organisation.name,
        city=row.organisation.city,
        audience_level=row.audience_level,
        group_size=row.group_size,
        sequence=row.calendar_sequence,
        link=link(row.id),
        cancel_reason=row.cancel_reason,
    )


# Feeds


def feed_of(account: Account) -> CalendarFeed | None:
    """The private address ``account`` uses now, if they made one."""
    return (
        CalendarFeed.select()
        .where(CalendarFeed.account == account.id, CalendarFeed.revoked_at.is_null())
        .order_by(CalendarFeed.created_at.desc(), CalendarFeed.id.desc())
        .first()
    )


def create_feed(account: Account) -> CalendarFeed:
    """Make ``account``'s private address, or return the one they have (a double click)."""
    with database.atomic():
        return feed_of(account) or CalendarFeed.create(
            account=account.id, token=secrets.token_urlsafe(32)
        )


def renew_feed(account: Account, confirmed: bool) -> CalendarFeed:
    """Revoke ``account``'s private addresses and make a new one, once they confirmed.

    The old address answers 404 at once: every calendar subscribed to it stops updating.
    """
    if not confirmed:
        raise Invalid(
            {"confirm": [_("Tick the box to confirm that the current address stops working.")]}
        )
    with database.atomic():
        CalendarFeed.update(revoked_at=now()).where(
            CalendarFeed.account == account.id, CalendarFeed.revoked_at.is_null()
        ).execute()
        return CalendarFeed.create(account=account.id, token=secrets.token_urlsafe(32))


def account_for_token(token: str) -> Account:
    """The active account whose address holds ``token``; else ``NotFound`` (revoked too)."""
    account = (
        Account.select(Account)
        .join(CalendarFeed)
        .where(
            CalendarFeed.token == token,
            CalendarFeed.revoked_at.is_null(),
            Account.status == AccountStatus.ACTIVE,
        )
        .first()
    )
    if account is None:
        raise NotFound(_("This calendar address does not exist or has been revoked."))
    return account


def feed_condition(account: Account) -> peewee.Expression:
    """SQL condition of the interventions in ``account``'s feed.

    - as an ambassador: theirs, accepted (tentative), scheduled or completed;
    - on the school side (who asked, educators of the school): the same;
    - as a referent: the scheduled and completed ones of their territories (everything
      for an admin);
    never requests still waiting, declined, expired or cancelled ones.
    """
    taking_part = access.school_side_of(account)
    ambassador_id = access.ambassador_id_of(account)
    if ambassador_id is not None:
        taking_part |= Intervention.ambassador == ambassador_id
    conditions = [taking_part & Intervention.status.in_(list(TAKING_PART))]
    covered = permissions.covered_territories(account)
    if covered is None:
        conditions.append(Intervention.status.in_(list(DATE_FIXED)))
    elif covered:
        conditions.append(
            Intervention.territory.in_(sorted(covered)) & Intervention.status.in_(list(DATE_FIXED))
        )
    return functools.reduce(operator.or_, conditions) & (
        Intervention.starts_at >= now() - FEED_PAST
    )


def feed_entries(account: Account, link: Link) -> list[PublicFacts]:
    """The interventions of ``account``'s feed, latest first (see ``feed_condition``)."""
    if account.status != AccountStatus.ACTIVE:
        return []
    return [_facts(row, link) for row in _public_rows(feed_condition(account), FEED_LIMIT)]


def feed_text(account: Account, link: Link) -> str:
    """``account``'s feed as iCalendar text, in their language."""
    region = current().region
    with using_locale(account.locale):
        name = _("My interventions — %(name)s", name=region.programme or region.name)
        return invitations.feed(feed_entries(account, link), name, now())


def erase_feeds(account: Account) -> int:
    """Delete every private address of ``account`` (the account is being erased)."""
    return CalendarFeed.delete().where(CalendarFeed.account == account.id).execute()


def purge_revoked(moment: datetime.datetime) -> int:
    """Delete the addresses revoked more than ``REVOKED_KEPT`` before ``moment`` (UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    return CalendarFeed.delete().where(CalendarFeed.revoked_at < moment - REVOKED_KEPT).execute()
