"""The region's people in its key figures: ambassadors by gender and consenting to image
rights, educators registered, read from numbers kept by the database.

``PeopleTotals`` holds those numbers as they stand now; triggers of the database (stats
migration 0003) add each change's difference in the transaction that makes it: an account
activated, suspended, deleted or its gender changed, an ambassador profile added or
removed, an image-rights choice recorded or forgotten, an educator role granted, approved
or withdrawn. The key figures count the people present at the end of their period: to
the numbers of now, ``counts`` adds back what changed after that end (ambassadors and
educators registered since, image-rights choices made since), found through indexes of
those dates; for a period not over, nothing. ``rebuild`` counts the numbers from the
people (``tremplin stats rebuild``, and the migration).

Only the region's: a territory counts an ambassador living there or with a zone there
once, which numbers by territory could not add up without counting some twice, so a
territory's figures count its own people (``tremplin.stats.figures``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import peewee

from ..auth.models import Account, AccountStatus, Role, RoleGrant
from ..db import database
from ..people import image_rights
from ..people.models import Ambassador, ImageRightsDecision
from .models import PeopleTotals

GENDERS = ("female", "male", "other", "unknown")
AMBASSADORS, CONSENTING, EDUCATORS = "ambassadors", "consenting", "educators"


@dataclass(frozen=True)
class Registered:
    """The people a territory's key figures count at the end of a period."""

    genders: dict[str, int]  # active ambassadors registered before the end, by gender
    consenting: int  # of them, those whose choice in force at the end is a consent
    educators: int  # active accounts with an educator role granted before the end


def gender_of(declared: str | None) -> str:
    """The figures' gender of a declared one (``unknown`` for nothing or anything else)."""
    return declared if declared in GENDERS else "unknown"


def counts(high: datetime.datetime) -> Registered:
    """The region's people at ``high`` (a stored moment, the day after a period)."""
    totals = {(figure, gender): total for figure, gender, total in PeopleTotals.select().tuples()}
    genders = {gender: totals.get((AMBASSADORS, gender), 0) for gender in GENDERS}
    consenting = totals.get((CONSENTING, ""), 0)
    since = (
        Ambassador.select(
            Account.gender,
            peewee.fn.COUNT(Ambassador.id),
            peewee.fn.SUM(peewee.Case(None, [(image_rights.consenting_now(), 1)], 0)),
        )
        .join(Account)
        .where(Account.status == AccountStatus.ACTIVE, Ambassador.created_at >= high)
        .group_by(Account.gender)
        .tuples()
    )
    for declared, registered, consented in since:
        genders[gender_of(declared)] -= registered
        consenting -= int(consented or 0)
    decided = ImageRightsDecision.select(ImageRightsDecision.ambassador).where(
        ImageRightsDecision.decided_at >= high
    )
    then = peewee.Case(None, [(image_rights.consenting_at(high), 1)], 0)
    now = peewee.Case(None, [(image_rights.consenting_now(), 1)], 0)
    changed = (
        Ambassador.select(peewee.fn.SUM(then - now))
        .join(Account)
        .where(
            Account.status == AccountStatus.ACTIVE,
            Ambassador.created_at < high,
            Ambassador.id.in_(decided),
        )
        .scalar()
    )
    consenting += int(changed or 0)
    before = RoleGrant.alias("before")
    educators_since = (
        RoleGrant.select(peewee.fn.COUNT(RoleGrant.account.distinct()))
        .join(Account)
        .where(
            educator_role(RoleGrant),
            RoleGrant.created_at >= high,
            Account.status == AccountStatus.ACTIVE,
            ~peewee.fn.EXISTS(
                before.select(peewee.SQL("1")).where(
                    before.account == RoleGrant.account,
                    educator_role(before),
                    before.created_at < high,
                )
            ),
        )
        .scalar()
    )
    educators = totals.get((EDUCATORS, ""), 0) - int(educators_since or 0)
    return Registered(genders=genders, consenting=consenting, educators=educators)


def educator_role(grant: type[RoleGrant]) -> peewee.Node:
    """SQL condition on ``grant``: an approved educator role for an organisation."""
    return (
        (grant.role == Role.EDUCATOR)
        & (grant.pending == False)  # noqa: E712 (SQL)
        & grant.organisation.is_null(False)
    )


def rebuild() -> dict[tuple[str, str], int]:
    """Count the region's numbers of now from the people; return them."""
    active = Account.status == AccountStatus.ACTIVE
    totals = {(AMBASSADORS, gender): 0 for gender in GENDERS}
    with database.atomic():
        query = (
            Ambassador.select(Account.gender, peewee.fn.COUNT(Ambassador.id))
            .join(Account)
            .where(active)
            .group_by(Account.gender)
            .tuples()
        )
        for declared, count in query:
            totals[(AMBASSADORS, gender_of(declared))] += count
        totals[(CONSENTING, "")] = (
            Ambassador.select().join(Account).where(active, image_rights.consenting_now()).count()
        )
        totals[(EDUCATORS, "")] = (
            RoleGrant.select(peewee.fn.COUNT(RoleGrant.account.distinct()))
            .join(Account)
            .where(active, educator_role(RoleGrant))
            .scalar()
        ) or 0
        PeopleTotals.delete().execute()
        PeopleTotals.insert_many(
            [
                {"figure": figure, "gender": gender, "total": total}
                for (figure, gender), total in sorted(totals.items())
            ]
        ).execute()
    return totals
