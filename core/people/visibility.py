"""Who is out of the directory, and why: for the ambassadors' referents and admins.

An ambassador is out of the directory while their account is not active or while a hold
is stored for them (``tremplin.people.holds``): a referent sees the list of those of their
territories, and for each one the stored holds beside what the plugins answer now.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..auth.models import Account, AccountStatus
from ..errors import NotAllowed
from ..i18n import _
from . import holds
from .models import Ambassador, AmbassadorHold
from .service import can_manage, get_ambassador, managed_by


@dataclass(frozen=True)
class HiddenReasons:
    """Why an ambassador is out of the directory: account status, stored and current holds."""

    ambassador: Ambassador
    account_status: str
    holds: list[AmbassadorHold]
    current: dict[str, list[holds.Hold]]

    @property
    def hidden(self) -> bool:
        """Whether the directory leaves this ambassador out."""
        return self.account_status != AccountStatus.ACTIVE or bool(self.holds)

    def reason_of(self, hold: AmbassadorHold) -> str:
        """``hold``'s reason as its plugin says it now, in the reader's language (the stored
        text when the plugin no longer gives it)."""
        for current in self.current.get(hold.source, []):
            if current.code == hold.code:
                return current.reason
        return hold.reason

    @property
    def out_of_date(self) -> bool:
        """Whether the plugins answer differently now than the stored holds (rebuild due)."""
        stored = {(hold.source, hold.code) for hold in self.holds if hold.source in self.current}
        current = {(source, hold.code) for source, items in self.current.items() for hold in items}
        return stored != current


def hidden_reasons(viewer: Account | None, ambassador_id: int) -> HiddenReasons:
    """Why ``ambassador_id`` is hidden, for the ambassador's referents and admins.

    Besides the stored holds, asks each plugin now (``ambassador_holds``, with this one
    ambassador), so that a referent sees when ``tremplin holds rebuild`` would change
    something.
    """
    ambassador = get_ambassador(ambassador_id)
    if not can_manage(viewer, ambassador):
        raise NotAllowed(_("Only the referents of this ambassador's territories may see this."))
    status = Account.select(Account.status).where(Account.id == ambassador.account_id).scalar()
    return HiddenReasons(
        ambassador=ambassador,
        account_status=status,
        holds=holds.holds_of(ambassador),
        current=holds.current_holds(ambassador),
    )


@dataclass(frozen=True)
class HiddenAmbassador:
    """A line of the referents' list of hidden ambassadors."""

    id: int
    display_name: str
    occupation: str
    account_status: str
    holds: list[AmbassadorHold]
    explained: dict[tuple[int, str, str], str]

    def reason_of(self, hold: AmbassadorHold) -> str:
        """``hold``'s reason in the reader's language (the stored text when the plugin no
        longer gives it)."""
        return self.explained.get((self.id, hold.source, hold.code), hold.reason)


def hidden_ambassadors(
    viewer: Account | None, page: int = 1, page_size: int = 50
) -> tuple[list[HiddenAmbassador], int]:
    """Ambassadors of ``viewer``'s territories kept out of the directory, and how many.

    Referents see those living or intervening in their territories; admins see all.
    """
    managed = managed_by(viewer)
    if managed is None:
        raise NotAllowed(_("Only referents and administrators may see this."))
    query = (
        Ambassador.select(
            Ambassador.id,
            Ambassador.occupation,
            Account.first_name,
            Account.last_name,
            Account.status,
        )
        .join(Account)
        .where((Account.status != AccountStatus.ACTIVE) | holds.is_held(), managed)
    )
    total = query.count()
    rows = list(query.order_by(Ambassador.id).paginate(page, page_size))
    stored: dict[int, list[AmbassadorHold]] = {row.id: [] for row in rows}
    for hold in AmbassadorHold.select().where(
        AmbassadorHold.ambassador.in_(list(stored)), holds.counted()
    ):
        stored[hold.ambassador_id].append(hold)
    held = [ambassador_id for ambassador_id, items in stored.items() if items]
    explained = holds.explained(list(Ambassador.select().where(Ambassador.id.in_(held))))
    return [
        HiddenAmbassador(
            id=row.id,
            display_name=row.account.display_name,
            occupation=row.occupation,
            account_status=row.account.status,
            holds=stored[row.id],
            explained=explained,
        )
        for row in rows
    ], total
