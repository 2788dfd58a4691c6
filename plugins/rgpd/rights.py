"""What answering a request does, right by right.

- access (art. 15) and portability (art. 20): the ZIP of ``exports``, behind a link;
- rectification (art. 16): the officer corrects the data through the usual pages and says
  what was corrected in the answer;
- erasure (art. 17): ``tremplin.auth.service.erase_account``, which calls every area's and
  plugin's ``erase_personal_data`` in the request's transaction; what must be kept is
  ``KEPT``, each with its legal basis, and stays;
- restriction (art. 18): the data stays but is no longer processed: the person is held out
  of the directory and of requests (``tremplin.people.holds``);
- objection (art. 21): recorded as a ``Limit`` the plugin answers for (``objects``): no
  surveys, no communications beyond what the service itself needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from tremplin.auth import service as accounts
from tremplin.auth.models import Account, AccountStatus
from tremplin.people.holds import release_hold, set_hold
from tremplin.people.models import Ambassador

from . import exports, plugin
from .i18n import _, lazy_gettext
from .models import Kind, Limit, LimitKind, Request

RESTRICTION_HOLD = "restriction"
# The limit an answered request of these kinds put in force, which an officer may lift.
LIFTABLE = {
    Kind.RESTRICTION.value: LimitKind.RESTRICTION,
    Kind.OBJECTION.value: LimitKind.OBJECTION,
}


@dataclass(frozen=True)
class Kept:
    """What an erasure keeps, and the legal basis that requires it."""

    what: str
    basis: str


KEPT = (
    Kept(
        lazy_gettext("The record of your requests and of their answers (this one included)."),
        lazy_gettext(
            "GDPR art. 5(2) and 24: the network must be able to show it answered; art. "
            "17(3)(e): establishment or defence of legal claims (Code civil art. 2224)."
        ),
    ),
    Kept(
        lazy_gettext("The email answering this request, until it is sent, a week at most."),
        lazy_gettext("GDPR art. 12(1) and 12(3): the answer must reach you."),
    ),
    Kept(
        lazy_gettext("Signed conventions and issued receipts that name you."),
        lazy_gettext(
            "GDPR art. 17(3)(b): legal obligations of keeping accounting and tax documents "
            "(Livre des procédures fiscales art. L102 B, Code de commerce art. L123-22)."
        ),
    ),
    Kept(
        lazy_gettext("Figures of past interventions, without anything that identifies you."),
        lazy_gettext("No longer personal data once anonymised (GDPR recital 26)."),
    ),
)


@dataclass(frozen=True)
class Done:
    """What carrying out a request did: a sentence for the log, and an export's link secret."""

    summary: str
    export_secret: str | None = None


def carry_out(request: Request) -> Done:
    """Do what ``request``'s right asks, inside the caller's transaction."""
    account = _account_of(request)
    kind = Kind(request.kind)
    if account is None:
        return Done(_("No account of the network matches this request: nothing else is held."))
    if kind in (Kind.ACCESS, Kind.PORTABILITY):
        return Done(
            _("The export of the data was prepared and its link sent."),
            exports.create_link(request, account),
        )
    if kind is Kind.ERASURE:
        accounts.erase_account(account)
        kept = "; ".join(f"{item.what} ({item.basis})" for item in KEPT)
        return Done(_("The account and its data were erased. Kept: %(kept)s", kept=kept))
    if kind is Kind.RESTRICTION:
        _limit(account, LimitKind.RESTRICTION, request)
        return Done(_("Processing is restricted: the data is kept but no longer used."))
    if kind is Kind.OBJECTION:
        _limit(account, LimitKind.OBJECTION, request)
        return Done(_("The objection is recorded: no more surveys or communications."))
    return Done("")


def refuses_contact(account: Account) -> bool:
    """Whether ``account`` objected to processing or had it restricted: no surveys, no
    communications (hook ``may_contact``)."""
    return (
        Limit.select()
        .where(
            Limit.account == account.id,
            Limit.kind.in_([LimitKind.OBJECTION, LimitKind.RESTRICTION]),
        )
        .exists()
    )


def objects(account: Account) -> bool:
    """Whether ``account`` objected to processing (no surveys, no communications)."""
    return (
        Limit.select()
        .where(Limit.account == account.id, Limit.kind == LimitKind.OBJECTION)
        .exists()
    )


def restricted(account: Account) -> bool:
    """Whether processing of ``account``'s data is restricted."""
    return (
        Limit.select()
        .where(Limit.account == account.id, Limit.kind == LimitKind.RESTRICTION)
        .exists()
    )


def lift(account: Account, kind: LimitKind) -> bool:
    """End a restriction or an objection of ``account``; whether one was in force."""
    removed = Limit.delete().where(Limit.account == account.id, Limit.kind == kind).execute()
    if kind is LimitKind.RESTRICTION:
        for ambassador in Ambassador.select().where(Ambassador.account == account.id):
            release_hold(ambassador, plugin.name, RESTRICTION_HOLD)
    return bool(removed)


def _limit(account: Account, kind: LimitKind, request: Request) -> None:
    Limit.insert(account=account.id, kind=kind, request=request.id).on_conflict_ignore().execute()
    if kind is LimitKind.RESTRICTION:
        for ambassador in Ambassador.select().where(Ambassador.account == account.id):
            set_hold(
                ambassador,
                plugin.name,
                RESTRICTION_HOLD,
                _("Processing restricted at the person's request (GDPR art. 18)."),
            )


def _account_of(request: Request) -> Account | None:
    if request.account_id is None:
        return None
    account = Account.get_or_none(Account.id == request.account_id)
    if account is None or account.status == AccountStatus.DELETED:
        return None
    return account
