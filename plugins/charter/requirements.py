"""What an ambassador must have done, and the holds it gives while it is not done.

One query computes, for many ambassadors at once, everything the holds depend on (a
``Standing``): the current charter accepted, a verified record check still valid and the
status of the latest one, what was declared about an employer and insurance. ``holds_of``
turns a standing into holds, following the region's settings. The hook
``ambassador_holds`` (``holds_for_each``, a batch of ambassadors at a time) and ``sync``
(what changed, or everyone) both go through them, so they never disagree.

``sync`` materialises the holds in the core's table (``tremplin.people.holds``): it is
called when the plugin's state changes (a charter accepted or published, a check declared
or decided, a declaration saved), every hour by the task queue (a check expires, a version
takes effect), and when the instance starts (the plugin enabled again). It reads in bulk
and writes only what changed, through ``set_hold`` and ``release_hold``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

import peewee

from tremplin import clock
from tremplin.auth.models import Account, AccountStatus
from tremplin.db import among, database
from tremplin.i18n import DEFAULT_LOCALE, using_locale
from tremplin.people import holds
from tremplin.people.holds import Hold
from tremplin.people.models import Ambassador, AmbassadorHold
from tremplin.runtime import current

from . import plugin
from .i18n import _
from .models import Acceptance, CharterVersion, CheckStatus, Declaration, RecordCheck

SOURCE = plugin.name  # the source of its rows in ambassador_hold
# Ambassadors whose holds ``sync`` reads and writes at a time.
SYNC_BATCH = 1000


class Requirement(StrEnum):
    """The codes of the plugin's holds."""

    CHARTER = "charter"
    RECORD_CHECK = "record-check"
    EMPLOYER_AGREEMENT = "employer-agreement"
    INSURANCE = "insurance"


@dataclass(frozen=True)
class Standing:
    """Where one ambassador stands with what the plugin requires."""

    ambassador_id: int
    charter_accepted: bool
    check_valid: bool  # a verified check whose validity has not ended
    latest_check: str | None  # the status of the most recent check, if any
    salaried: bool | None
    employer_agreement_on: datetime.date | None
    insurance_on: datetime.date | None


@dataclass(frozen=True)
class SyncOutcome:
    """What ``sync`` changed in the core's table of holds."""

    added: int = 0
    removed: int = 0
    updated: int = 0


def settings() -> Mapping[str, Any]:
    """The instance's ``[plugins.charter]`` settings (validated: defaults filled in)."""
    return plugin.settings()


def current_version(today: datetime.date | None = None) -> CharterVersion | None:
    """The version of the charter in force on ``today`` (the latest to have taken effect)."""
    today = today or clock.today()
    return (
        CharterVersion.select()
        .where(CharterVersion.effective_on <= today)
        .order_by(CharterVersion.effective_on.desc(), CharterVersion.id.desc())
        .first()
    )


def standings(
    today: datetime.date | None = None,
    ambassador_ids: Iterable[int] | None = None,
    version: CharterVersion | None = None,
    after: int = 0,
    limit: int | None = None,
) -> list[Standing]:
    """The standing of the ambassadors ``ambassador_ids`` (every one not deleted by default).

    One query, whatever their number, in order of id. ``version`` is the charter in force
    (looked up when not given). ``after`` and ``limit``: only the first ``limit`` whose id
    is above ``after`` (a page of them).
    """
    today = today or clock.today()
    version = version if version is not None else current_version(today)
    if version is None:
        accepted: peewee.Node = peewee.Value(True)
    else:
        accepted = peewee.fn.EXISTS(
            Acceptance.select(peewee.SQL("1")).where(
                Acceptance.account == Ambassador.account, Acceptance.version == version.id
            )
        )
    valid = peewee.fn.EXISTS(
        RecordCheck.select(peewee.SQL("1")).where(
            RecordCheck.ambassador == Ambassador.id,
            RecordCheck.status == CheckStatus.VERIFIED,
            RecordCheck.valid_until >= today,
        )
    )
    latest = RecordCheck.alias("latest")
    latest_status = (
        latest.select(latest.status)
        .where(latest.ambassador == Ambassador.id)
        .order_by(latest.id.desc())
        .limit(1)
    )
    query = (
        Ambassador.select(
            Ambassador.id,
            accepted.alias("accepted"),
            valid.alias("valid"),
            latest_status.alias("latest_check"),
            Declaration.salaried,
            Declaration.employer_agreement_on,
            Declaration.insurance_on,
        )
        .join(Account, on=(Ambassador.account == Account.id))
        .switch(Ambassador)
        # The page's range again on the declarations: a merge join (PostgreSQL's choice at a
        # million ambassadors) then starts their index at the page, not at its beginning.
        .join(
            Declaration,
            peewee.JOIN.LEFT_OUTER,
            on=(Declaration.ambassador == Ambassador.id) & (Declaration.ambassador > after),
        )
        .where(Account.status != AccountStatus.DELETED, Ambassador.id > after)
        .order_by(Ambassador.id)
        .limit(limit)
    )
    if ambassador_ids is not None:
        query = query.where(among(Ambassador.id, list(ambassador_ids)))
    return [
        Standing(
            ambassador_id=row[0],
            charter_accepted=bool(row[1]),
            check_valid=bool(row[2]),
            latest_check=row[3],
            salaried=row[4],
            employer_agreement_on=_date(row[5]),
            insurance_on=_date(row[6]),
        )
        for row in query.tuples()
    ]


def holds_of(
    standing: Standing, version: CharterVersion | None, config: Mapping[str, Any]
) -> list[Hold]:
    """The holds ``standing`` calls for under the settings ``config``, translated now."""
    found = []
    if version is not None and not standing.charter_accepted:
        found.append(
            Hold(
                Requirement.CHARTER,
                _(
                    "The charter (version %(version)s) is not accepted yet.",
                    version=version.version,
                ),
            )
        )
    if config["require_record_check"] and not standing.check_valid:
        found.append(Hold(Requirement.RECORD_CHECK, _check_reason(standing.latest_check)))
    if config["require_employer_agreement"]:
        if standing.salaried is None:
            found.append(
                Hold(
                    Requirement.EMPLOYER_AGREEMENT,
                    _("Whether the ambassador intervenes as an employee is not declared yet."),
                )
            )
        elif standing.salaried and standing.employer_agreement_on is None:
            found.append(
                Hold(Requirement.EMPLOYER_AGREEMENT, _("The employer's agreement is not declared."))
            )
    if config["require_insurance"] and standing.insurance_on is None:
        found.append(Hold(Requirement.INSURANCE, _("No civil-liability insurance is declared.")))
    return found


def holds_for(ambassador: Ambassador) -> list[Hold]:
    """The holds the plugin wants on ``ambassador`` now (empty for a deleted account)."""
    return holds_for_each([ambassador]).get(ambassador.id, [])


def holds_for_each(ambassadors: Iterable[Ambassador]) -> dict[int, list[Hold]]:
    """The holds the plugin wants on ``ambassadors`` now, by id (the ``ambassador_holds`` hook).

    Two queries whatever their number: the charter in force and their standings. Deleted
    accounts, and ambassadors who have done everything, are left out.
    """
    ids = [ambassador.id for ambassador in ambassadors]
    if not ids:
        return {}
    today = clock.today()
    version = current_version(today)
    config = settings()
    # Ambassadors who stand alike get the same holds: translated once, not once each.
    alike: dict[Standing, list[Hold]] = {}
    found = {}
    for standing in standings(today, ids, version):
        anyone = replace(standing, ambassador_id=0)
        if anyone not in alike:
            alike[anyone] = holds_of(standing, version, config)
        if alike[anyone]:
            found[standing.ambassador_id] = list(alike[anyone])
    return found


def sync(ambassador_ids: Iterable[int] | None = None) -> SyncOutcome:
    """Make the stored holds of ``ambassador_ids`` (everyone by default) what they should be.

    Reasons are written in the region's language, as the referents' pages show them. The
    ambassadors are read ``SYNC_BATCH`` at a time, in one transaction: every web worker
    syncs everyone as it starts, and its memory must not grow with the network.
    """
    today = clock.today()
    config = settings()
    outcomes = []
    with database.atomic(), using_locale(_region_locale()):
        version = current_version(today)
        if ambassador_ids is not None:
            for ids in peewee.chunked(dict.fromkeys(ambassador_ids), SYNC_BATCH):
                found = standings(today, ids, version)
                stored = among(AmbassadorHold.ambassador, ids)
                outcomes.append(_sync_batch(found, stored, version, config))
        else:
            after = 0
            while True:
                found = standings(today, version=version, after=after, limit=SYNC_BATCH)
                # This page is the ambassadors after ``after`` up to its last one (those of
                # deleted accounts among them lose their holds), the last page all the rest.
                stored = AmbassadorHold.ambassador > after
                if len(found) == SYNC_BATCH:
                    after = found[-1].ambassador_id
                    stored &= AmbassadorHold.ambassador <= after
                outcomes.append(_sync_batch(found, stored, version, config))
                if len(found) < SYNC_BATCH:
                    break
    return SyncOutcome(
        added=sum(outcome.added for outcome in outcomes),
        removed=sum(outcome.removed for outcome in outcomes),
        updated=sum(outcome.updated for outcome in outcomes),
    )


def _sync_batch(
    found: list[Standing],
    stored: peewee.Node,
    version: CharterVersion | None,
    config: Mapping[str, Any],
) -> SyncOutcome:
    """Bring the holds of the standings ``found`` and of the rows ``stored`` selects (the
    same ambassadors, and any whose account is deleted) to what they should be."""
    wanted = {
        (standing.ambassador_id, hold.code): hold.reason
        for standing in found
        for hold in holds_of(standing, version, config)
    }
    rows = AmbassadorHold.select().where(AmbassadorHold.source == SOURCE, stored)
    existing = {(row.ambassador_id, row.code): row.reason for row in rows}
    removed = [key for key in existing if key not in wanted]
    for ambassador_id, code in removed:
        holds.release_hold(ambassador_id, SOURCE, code)
    changed = [key for key, reason in wanted.items() if existing.get(key) != reason]
    for ambassador_id, code in changed:
        holds.set_hold(ambassador_id, SOURCE, code, wanted[(ambassador_id, code)])
    added = sum(1 for key in changed if key not in existing)
    return SyncOutcome(added=added, removed=len(removed), updated=len(changed) - added)


def must_accept(account: Account | None) -> bool:
    """Whether ``account`` is an ambassador held until they accept the charter in force.

    One query on the materialised holds: cheap enough for every page of a signed-in person.
    """
    if account is None:
        return False
    return (
        AmbassadorHold.select()
        .join(Ambassador)
        .where(
            Ambassador.account == account.id,
            AmbassadorHold.source == SOURCE,
            AmbassadorHold.code == Requirement.CHARTER,
        )
        .exists()
    )


def _check_reason(latest: str | None) -> str:
    if latest is None:
        return _("No extract of the criminal record has been provided yet.")
    if latest == CheckStatus.PENDING:
        return _("The extract of the criminal record waits for a referent's check.")
    if latest == CheckStatus.REFUSED:
        return _("The check of the criminal record was refused.")
    return _("The check of the criminal record has expired: a new extract is needed.")


def _region_locale() -> str:
    try:
        return current().region.default_locale
    except RuntimeError:
        return DEFAULT_LOCALE


def _date(value: Any) -> datetime.date | None:
    """A date column read through ``tuples()`` (SQLite gives text)."""
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])
