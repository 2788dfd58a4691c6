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

import contextlib
import datetime
from collections.abc import Iterator
from dataclasses import dataclass

import peewee

from ..auth.models import Account, AccountStatus, Role, RoleGrant
from ..db import database, is_sqlite
from ..people import image_rights
from ..people.models import Ambassador, ImageRightsDecision
from .models import PeopleTotals

GENDERS = ("female", "male", "other", "unknown")
AMBASSADORS, CONSENTING, EDUCATORS = "ambassadors", "consenting", "educators"
# The triggers of stats migration 0003 that keep the numbers (PostgreSQL's names).
TRIGGERS_PREFIX = "stats_people_"


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
    """The region's people at ``high`` (a stored moment, the day after a period).

    The numbers of now, less what was registered or decided since ``high``: each of the
    three corrections is looked for first through its index, so that a period not over
    reads one row more.
    """
    totals = {(figure, gender): total for figure, gender, total in PeopleTotals.select().tuples()}
    genders = {gender: totals.get((AMBASSADORS, gender), 0) for gender in GENDERS}
    consenting = totals.get((CONSENTING, ""), 0)
    educators = totals.get((EDUCATORS, ""), 0)
    if Ambassador.select().where(Ambassador.created_at >= high).exists():
        for declared, registered, consented in _ambassadors_since(high):
            genders[gender_of(declared)] -= registered
            consenting -= int(consented or 0)
    if ImageRightsDecision.select().where(ImageRightsDecision.decided_at >= high).exists():
        consenting += _consent_changed_since(high)
    if RoleGrant.select().where(RoleGrant.created_at >= high).exists():
        educators -= _educators_since(high)
    return Registered(genders=genders, consenting=consenting, educators=educators)


def _active(account: peewee.Field) -> peewee.Node:
    """SQL condition: the account ``account`` is active (tested per row found, so that the
    rows are found through their own index rather than through the active accounts)."""
    return peewee.fn.EXISTS(
        Account.select(peewee.SQL("1")).where(
            Account.id == account, Account.status == AccountStatus.ACTIVE
        )
    )


def _ambassadors_since(high: datetime.datetime) -> peewee.ModelSelect:
    """``(declared gender, active ambassadors, of them consenting now)`` of those registered
    at or after ``high``."""
    gender = Account.select(Account.gender).where(Account.id == Ambassador.account)
    return (
        Ambassador.select(
            gender,
            peewee.fn.COUNT(Ambassador.id),
            peewee.fn.SUM(peewee.Case(None, [(image_rights.consenting_now(), 1)], 0)),
        )
        .where(Ambassador.created_at >= high, _active(Ambassador.account))
        .group_by(peewee.SQL("1"))
        .tuples()
    )


def _consent_changed_since(high: datetime.datetime) -> int:
    """Active ambassadors registered before ``high`` consenting then, less those consenting
    now, among those who decided something at or after ``high``."""
    decided = ImageRightsDecision.select(ImageRightsDecision.ambassador).where(
        ImageRightsDecision.decided_at >= high
    )
    then = peewee.Case(None, [(image_rights.consenting_at(high), 1)], 0)
    now = peewee.Case(None, [(image_rights.consenting_now(), 1)], 0)
    changed = (
        Ambassador.select(peewee.fn.SUM(then - now))
        .where(
            Ambassador.id.in_(decided),
            Ambassador.created_at < high,
            _active(Ambassador.account),
        )
        .scalar()
    )
    return int(changed or 0)


def _educators_since(high: datetime.datetime) -> int:
    """Active accounts whose educator roles were all granted at or after ``high``."""
    before = RoleGrant.alias("before")
    granted = RoleGrant.alias("granted")
    since = granted.select(granted.id).where(granted.created_at >= high)
    count = (
        RoleGrant.select(peewee.fn.COUNT(RoleGrant.account.distinct()))
        .where(
            RoleGrant.id.in_(since),
            educator_role(RoleGrant),
            _active(RoleGrant.account),
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
    return int(count or 0)


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


@contextlib.contextmanager
def bulk_load() -> Iterator[None]:
    """Around a bulk load of people inside one transaction (the demo's generation): on
    PostgreSQL, the numbers are counted from the people once the block has written them,
    instead of being kept row by row.

    The triggers that keep them are suspended for the block (``ALTER TABLE ... DISABLE
    TRIGGER``, undone with the transaction if the load fails): each adds its
    difference by updating one row, and within one transaction PostgreSQL keeps every
    version of that row until the commit, each update walking them all. Measured: 5,000
    updates of one row in one transaction took 0.28 s, 40,000 took 11 s; a million
    ambassadors would have taken hours. SQLite updates the row in place: its triggers run.
    Needs the tables' owner, as migrations do, and locks the people's tables until the
    transaction ends: for filling a database nobody uses yet, not for a running instance.
    """
    if is_sqlite(database):
        yield
        return
    with database.atomic():
        triggers = database.execute_sql(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal"
            " AND starts_with(t.tgname, %s) ORDER BY 1, 2",
            (TRIGGERS_PREFIX,),
        ).fetchall()
        for table, trigger in triggers:
            database.execute_sql(f'ALTER TABLE "{table}" DISABLE TRIGGER "{trigger}"')
        yield
        for table, trigger in triggers:
            database.execute_sql(f'ALTER TABLE "{table}" ENABLE TRIGGER "{trigger}"')
        rebuild()
