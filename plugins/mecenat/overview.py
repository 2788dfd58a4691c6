"""What the region sees of its partners: charters, conventions, hours, receipts, figures.

Admins see every partner; referents those of their territories. Lists are one query each
(counts and sums in SQL), never a query per partner. Referents also see the companies
behind on their convention: fewer interventions completed than the share of the commitment
the time elapsed calls for.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

import peewee

from tremplin import spreadsheets
from tremplin.auth.models import Account
from tremplin.interventions.models import Intervention
from tremplin.organisations.models import Organisation
from tremplin.people.models import Ambassador
from tremplin.stats.figures import HOURS, Figure, scope_of, within

from . import service
from .i18n import _
from .models import (
    Convention,
    Correction,
    CorrectionStatus,
    Entry,
    PartnershipCharter,
    Receipt,
    ReceiptStatus,
    SigningStatus,
)


@dataclass(frozen=True)
class PartnerRow:
    """One convention of a partner, as the region's list shows it."""

    organisation_id: int
    organisation: str
    convention_id: int
    starts_on: datetime.date
    ends_on: datetime.date
    status: str
    committed: int
    completed: int
    minutes: int
    expected: int  # interventions the time elapsed calls for

    @property
    def behind(self) -> bool:
        """Whether fewer interventions were completed than the time elapsed calls for."""
        return self.status == SigningStatus.SIGNED and self.completed < self.expected


def expected_by(convention_start: datetime.date, end: datetime.date, committed: int, day) -> int:
    """Interventions due by ``day``: the commitment prorated to the days elapsed, rounded down."""
    if day < convention_start:
        return 0
    total = (end - convention_start).days + 1
    elapsed = min((day - convention_start).days + 1, total)
    return committed * elapsed // total


def conventions(account: Account) -> list[PartnerRow]:
    """Every convention of the partners ``account`` follows, with its progress."""
    covered = service.require_overseer(account)
    done = (
        Entry.select(
            Entry.convention,
            peewee.fn.COUNT(Entry.id).alias("completed"),
            peewee.fn.SUM(Entry.minutes + Entry.preparation_minutes).alias("minutes"),
        )
        .group_by(Entry.convention)
        .alias("done")
    )
    query = (
        Convention.select(
            Convention,
            Organisation.name.alias("organisation_name"),
            peewee.fn.COALESCE(done.c.completed, 0).alias("completed"),
            peewee.fn.COALESCE(done.c.minutes, 0).alias("minutes"),
        )
        .join(Organisation, on=(Convention.organisation == Organisation.id))
        .join(done, peewee.JOIN.LEFT_OUTER, on=(done.c.convention_id == Convention.id))
        .where(within(Organisation.territory, covered), Convention.status != "cancelled")
        .order_by(Organisation.name, Convention.starts_on)
        .objects()
    )
    today = service.today()
    return [
        PartnerRow(
            row.organisation_id,
            row.organisation_name,
            row.id,
            row.starts_on,
            row.ends_on,
            row.status,
            row.committed_interventions,
            int(row.completed),
            int(row.minutes),
            expected_by(row.starts_on, row.ends_on, row.committed_interventions, today),
        )
        for row in query
    ]


def behind(account: Account) -> list[PartnerRow]:
    """Companies behind on the interventions their convention commits them to."""
    return [row for row in conventions(account) if row.behind]


def charters(account: Account) -> list[PartnershipCharter]:
    """Every partnership charter of the organisations ``account`` follows."""
    covered = service.require_overseer(account)
    return list(
        PartnershipCharter.select(PartnershipCharter, Organisation)
        .join(Organisation, on=(PartnershipCharter.organisation == Organisation.id))
        .where(within(Organisation.territory, covered))
        .order_by(PartnershipCharter.year.desc(), Organisation.name)
    )


def receipts(account: Account) -> list[Receipt]:
    """Every receipt of the organisations ``account`` follows, the latest first."""
    covered = service.require_overseer(account)
    return list(
        Receipt.select(Receipt, Organisation)
        .join(Organisation, on=(Receipt.organisation == Organisation.id))
        .where(within(Organisation.territory, covered))
        .order_by(Receipt.issued_at.desc(), Receipt.id.desc())
    )


def pending_corrections_count(account: Account) -> int:
    """How many corrections wait for the region."""
    if not service.is_region(account):
        return 0
    return Correction.select().where(Correction.status == CorrectionStatus.PROPOSED).count()


def csv_export(account: Account) -> str:
    """The conventions, their hours and their receipts, as CSV (UTF-8, comma-separated)."""
    rows = conventions(account)
    issued = {
        (receipt.organisation_id, receipt.financial_year): receipt
        for receipt in receipts(account)
        if receipt.status == ReceiptStatus.ISSUED
    }
    out = io.StringIO()
    writer = spreadsheets.writer(out)
    writer.writerow(
        [
            "organisation",
            "convention",
            "starts_on",
            "ends_on",
            "status",
            "committed_interventions",
            "completed_interventions",
            "hours",
            "behind",
            "receipts",
        ]
    )
    for row in rows:
        numbers = [
            f"{year}:{receipt.amount}"
            for (organisation_id, year), receipt in sorted(issued.items())
            if organisation_id == row.organisation_id
        ]
        writer.writerow(
            [
                row.organisation,
                row.convention_id,
                row.starts_on.isoformat(),
                row.ends_on.isoformat(),
                row.status,
                row.committed,
                row.completed,
                f"{row.minutes / 60:.2f}",
                "yes" if row.behind else "no",
                " ".join(numbers),
            ]
        )
    return out.getvalue()


# Key figures


def key_figures(period, territory) -> list[Figure]:
    """Hours given by partners' employees in ``territory`` over ``period``, in all and by
    the employees' sector (one grouped query)."""
    start, end = period
    scope = scope_of(territory)
    query = (
        Entry.select(
            Ambassador.sector.alias("sector"),
            peewee.fn.SUM(Entry.minutes + Entry.preparation_minutes).alias("minutes"),
        )
        .join(Intervention, on=(Entry.intervention == Intervention.id))
        .switch(Entry)
        .join(Ambassador, peewee.JOIN.LEFT_OUTER, on=(Entry.ambassador == Ambassador.id))
        .where(Entry.day >= start, Entry.day <= end, within(Intervention.territory, scope))
        .group_by(Ambassador.sector)
        .dicts()
    )
    by_sector = {row["sector"] or "": int(row["minutes"] or 0) for row in query}
    total = sum(by_sector.values())
    rows = [Figure("mecenat.hours", _("Hours given by partners' employees"), total / 60, HOURS)]
    for sector, minutes in sorted(by_sector.items()):
        rows.append(
            Figure(
                f"mecenat.hours.sector.{sector or '-'}",
                _("Hours given by partners, sector: %(sector)s", sector=sector or _("unknown")),
                minutes / 60,
                HOURS,
            )
        )
    return rows
