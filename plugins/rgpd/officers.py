"""The plugin's role: the region's data protection officers, who handle the requests.

An administrator names them (``tremplin rgpd officer add EMAIL``); an officer sees every
request and its log, nobody else does (a person sees their own).
"""

from __future__ import annotations

from tremplin.auth.models import Account, AccountStatus
from tremplin.errors import Invalid, NotAllowed

from .i18n import _
from .models import Officer


def is_officer(account: Account | None) -> bool:
    """Whether ``account`` acts as a data protection officer."""
    if account is None:
        return False
    return Officer.select().where(Officer.account == account.id).exists()


def require_officer(account: Account | None) -> Account:
    """``account``, if it is an officer's; ``NotAllowed`` otherwise."""
    if not is_officer(account):
        raise NotAllowed(_("Only the data protection officers may do this."))
    return account


def add(email: str) -> Officer:
    """Make the active account of ``email`` an officer (again: nothing changes)."""
    account = Account.get_or_none(
        Account.email == email.strip().lower(), Account.status == AccountStatus.ACTIVE
    )
    if account is None:
        raise Invalid({"email": [_("No active account has this email address.")]})
    officer, _created = Officer.get_or_create(account=account)
    return officer


def remove(email: str) -> bool:
    """The account of ``email`` is no longer an officer; whether it was one."""
    account = Account.get_or_none(Account.email == email.strip().lower())
    if account is None:
        return False
    return bool(Officer.delete().where(Officer.account == account.id).execute())


def emails() -> list[str]:
    """The addresses of the active officers, for reminders."""
    query = (
        Account.select(Account.email)
        .join(Officer, on=Officer.account == Account.id)
        .where(Account.status == AccountStatus.ACTIVE)
        .order_by(Account.email)
    )
    return [row.email for row in query]
