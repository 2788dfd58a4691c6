"""When an ambassador's account stops, what they committed to that is still to come is
cancelled, and each school is told why.

Called through the ``account_leaving`` hook, inside the transaction that deletes or
suspends the account: either everything happens or nothing does.
"""

from __future__ import annotations

from ..auth.models import Account, Departure
from ..clock import now
from ..i18n import _, using_locale
from ..runtime import current
from . import access
from .models import OPEN, Intervention, Status
from .service import fire, lock_ambassador, move

REASONS = {
    Departure.DELETED: lambda: _(
        "The ambassador has left the network (their account is deleted): this intervention "
        "will not take place with them. You may ask another ambassador."
    ),
    Departure.SUSPENDED: lambda: _(
        "The ambassador's account has been suspended by the network: this intervention will "
        "not take place with them. You may ask another ambassador."
    ),
}


def close_for(person: Account, reason: Departure) -> list[int]:
    """Cancel the open interventions and event places of ``person`` as an ambassador that
    have not taken place yet; return their ids. Call it inside a transaction: the schools
    hear of it through ``intervention_announced`` once it has committed."""
    ambassador_id = access.ambassador_id_of(person)
    if ambassador_id is None:
        return []
    upcoming = list(
        Intervention.select(Intervention.id, Intervention.status).where(
            Intervention.ambassador == ambassador_id,
            Intervention.status.in_(list(OPEN)),
            Intervention.starts_at >= now(),
        )
    )
    if not upcoming:
        return []
    # Stored once, read by the school: in the region's language.
    with using_locale(current().region.default_locale):
        text = REASONS[Departure(reason)]()
    lock_ambassador(ambassador_id)
    before = {intervention.id: Status(intervention.status) for intervention in upcoming}
    for intervention in upcoming:
        move(
            intervention,
            before[intervention.id],
            Status.CANCELLED,
            cancelled_at=now(),
            cancelled_by=None,
            cancel_reason=text,
        )
    for intervention_id, old in before.items():
        fire(Intervention.get_by_id(intervention_id), old, Status.CANCELLED)
    return list(before)
