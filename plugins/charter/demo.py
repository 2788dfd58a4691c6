"""The charter's part of ``tremplin demo``: most ambassadors in order, a few waiting.

Ambassadors of the demo accepted the charter in force, had their record checked by their
referent (declared, never uploaded: the demo holds no document) and declared their
employer's agreement and insurance. A few have not: their check waits for the referent,
or they have not accepted the charter yet, so that the referents' queue and the
ambassadors' own pages have something to show.
"""

from __future__ import annotations

import datetime

from .models import Acceptance, CheckStatus, Declaration, Delivery, RecordCheck
from .requirements import current_version, settings, sync

PENDING_CHECK = 0.03  # share of ambassadors whose check waits for a referent
NOT_ACCEPTED = 0.02  # share who have not accepted the charter in force yet


def populate(demo) -> None:
    """Acceptances, checks and declarations of the demo's ambassadors, then their holds."""
    version = current_version(demo.today)
    valid_days = settings()["check_valid_days"]
    for ambassador in demo.ambassadors:
        chance = demo.random.random()
        if ambassador.id == demo.showcase.id:  # the demo login: in order, found by everyone
            chance = 1.0
        joined = ambassador.created_at
        if version is not None and chance >= NOT_ACCEPTED:
            demo.insert(
                Acceptance,
                {
                    "account": ambassador.account_id,
                    "version": version.id,
                    "accepted_at": max(joined, _midnight(version.effective_on)),
                },
            )
        pending = NOT_ACCEPTED <= chance < NOT_ACCEPTED + PENDING_CHECK
        declared = min(joined + datetime.timedelta(days=demo.random.uniform(1, 20)), demo.now)
        if pending:  # shown to the referent days ago, waiting for their decision
            declared = demo.now - datetime.timedelta(days=demo.random.uniform(1, 12))
        issued = (declared - datetime.timedelta(days=demo.random.randint(3, 60))).date()
        checked = declared + datetime.timedelta(days=3)
        pending = pending or checked > demo.now  # joined lately: not decided on yet
        if not pending and (checked.date() + datetime.timedelta(days=valid_days)) < demo.today:
            checked = demo.now - datetime.timedelta(days=demo.random.randint(10, 300))
            declared = checked - datetime.timedelta(days=3)
            issued = (declared - datetime.timedelta(days=demo.random.randint(3, 60))).date()
        demo.insert(
            RecordCheck,
            {
                "ambassador": ambassador.id,
                "status": CheckStatus.PENDING if pending else CheckStatus.VERIFIED,
                "delivery": Delivery.SENT,
                "declared_at": declared,
                "extract_issued_on": issued,
                "decided_at": None if pending else checked,
                "decided_by": None
                if pending
                else demo.referent_for(ambassador.place.referent_territory_id),
                "valid_until": None
                if pending
                else checked.date() + datetime.timedelta(days=valid_days),
            },
        )
        salaried = demo.random.random() < 0.7
        demo.insert(
            Declaration,
            {
                "ambassador": ambassador.id,
                "salaried": salaried,
                "employer_agreement_on": declared.date() if salaried else None,
                "insurance_on": declared.date(),
                "updated_at": declared,
            },
        )
    demo.flush()
    sync()  # the demo's database holds only the demo's ambassadors


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time())
