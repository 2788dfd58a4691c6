"""The plugin's part of ``tremplin demo``: the region's administrators act as data protection
officers, and a few ambassadors' requests wait on their dashboard (one overdue, one awaiting
identity proof, one received this week), so that each screen has something to show."""

from __future__ import annotations

import datetime

from tremplin.auth.models import Account, Role, RoleGrant

from . import deadlines
from .models import Channel, Kind, Officer, Request, Status, Step

# (kind, days before today it was received, status, identity asked that many days after)
WAITING = (
    (Kind.ACCESS, 40, Status.IN_PROGRESS, None),
    (Kind.RECTIFICATION, 12, Status.AWAITING_IDENTITY, 2),
    (Kind.ERASURE, 3, Status.RECEIVED, None),
)


def populate(demo) -> None:
    """Officers from the administrators; three requests of active ambassadors, unless any."""
    if Request.select().exists():
        return
    admins = [
        row.account_id
        for row in RoleGrant.select(RoleGrant.account).where(RoleGrant.role == Role.ADMIN)
    ]
    for account_id in admins:
        demo.insert(Officer, {"account": account_id, "added_at": demo.now})
    active = [a for a in demo.ambassadors if a.active and a is not demo.showcase][: len(WAITING)]
    for ambassador, (kind, days, status, asked_after) in zip(active, WAITING, strict=False):
        account = Account.get_by_id(ambassador.account_id)
        received = demo.today - datetime.timedelta(days=days)
        asked = received + datetime.timedelta(days=asked_after) if asked_after else None
        due = deadlines.deadline(received, identity_requested=asked)
        request_id = demo.insert(
            Request,
            {
                "kind": kind,
                "status": status,
                "channel": Channel.ACCOUNT,
                "account": account.id,
                "name": f"{account.first_name} {account.last_name}",
                "email": account.email,
                "details": "",
                "created_at": demo.now - datetime.timedelta(days=days),
                "received_on": received,
                "identity_requested_on": asked,
                "calendar_due": due.calendar,
                "legal_due": due.legal,
            },
        )
        demo.insert(
            Step,
            {
                "request": request_id,
                "at": demo.now - datetime.timedelta(days=days),
                "action": "received",
                "note": "",
            },
        )
