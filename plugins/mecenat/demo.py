"""The plugin's part of ``tremplin demo``: partner companies living their sponsorship.

The demo's organisations, partner managers and ambassadors are the core's. This publishes
the partnership charter (unless the region's own versions were loaded), then gives the
first partner organisations (the demo partner login's first) a signed charter of the year
and, for companies, a signed convention covering their last financial year, closed three
months ago, and the next: employees who chose to count, their costs, the hours of their
completed interventions, a correction approved (and, for another, one waiting for the
region). The region has issued the receipt of the last financial year of the company that
gave the most. Everything follows from the demo's seed and day. On a machine that cannot
make PDFs (no Pango), the charters and conventions come without their PDF and no receipt
is issued: the demo still runs.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from tremplin.auth.models import Account, Role, RoleGrant
from tremplin.documents import service as documents
from tremplin.interventions.models import Intervention, Status
from tremplin.organisations.models import Organisation, OrganisationKind
from tremplin.people.models import Ambassador

from . import charters, conventions, plugin, receipts, service
from .models import (
    CharterVersion,
    Consent,
    Convention,
    Correction,
    CorrectionStatus,
    Costing,
    Entry,
    Partner,
    PartnershipCharter,
    SigningStatus,
)

DEMO_TEXT = """## Article 1 — Objet

L'organisation soutient le réseau des ambassadeurs des métiers.

## Article 2 — Engagements

Elle mobilise des salariés ambassadeurs, des heures d'intervention, accueille des visites
et des stages de découverte.
"""
PARTNERS = 4  # partner organisations with a charter; the companies among them, a convention
EMPLOYEES = 4  # employees of a company who count for its convention
LEGAL_FORMS = ("SAS", "SA", "SARL", "SCOP")


def populate(demo) -> None:
    """The charter's text, then the partners' charters, conventions, hours and a receipt."""
    version = _charter_version(demo)
    demo.flush()
    admin = _first_account(Role.ADMIN)
    companies = 0
    for index, organisation in enumerate(_partner_organisations()):
        manager = _first_account(Role.PARTNER_MANAGER, organisation.id)
        _details(demo, organisation, index)
        _charter(demo, organisation, version, manager)
        if organisation.kind != OrganisationKind.COMPANY:
            continue
        convention = _convention(demo, organisation, manager, _last_year(demo.today)[0])
        employees = _employees(demo, organisation, convention)
        _hours(demo, organisation, convention, employees)
        if companies < 2:
            _correction(demo, convention, employees, manager, admin, first=companies == 0)
        companies += 1
    demo.flush()
    _receipt(demo, admin)


def _charter_version(demo) -> CharterVersion:
    """The charter in force: the region's, or the demo's text."""
    version = charters.current_version(demo.today)
    if version is not None:
        return version
    demo.insert(
        CharterVersion,
        {
            "version": "demo-1",
            "title": "Charte de partenariat",
            "text": DEMO_TEXT,
            "effective_on": demo.today.replace(month=1, day=1),
            "published_at": _at(demo.today, 8),
        },
    )
    demo.flush()
    return CharterVersion.get(CharterVersion.version == "demo-1")


def _partner_organisations() -> list[Organisation]:
    """The first organisations with a partner manager: the demo login's comes first."""
    managed = RoleGrant.select(RoleGrant.organisation).where(RoleGrant.role == Role.PARTNER_MANAGER)
    return list(
        Organisation.select()
        .where(Organisation.id.in_(managed))
        .order_by(Organisation.id)
        .limit(PARTNERS)
    )


def _first_account(role: Role, organisation_id: int | None = None) -> Account:
    query = RoleGrant.select().where(RoleGrant.role == role)
    if organisation_id is not None:
        query = query.where(RoleGrant.organisation == organisation_id)
    return Account.get_by_id(query.order_by(RoleGrant.id).first().account_id)


def _details(demo, organisation: Organisation, index: int) -> None:
    street = demo.random.randint(2, 180)
    demo.insert(
        Partner,
        {
            "organisation": organisation.id,
            "legal_form": LEGAL_FORMS[index % len(LEGAL_FORMS)],
            "address": f"{street} rue de l'Industrie, {organisation.postcode or ''} "
            f"{organisation.city or ''}".strip(),
            "closing_month": _closing_month(demo.today),
            "updated_at": _at(demo.today, 8),
        },
    )


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    """``hour`` o'clock (UTC) on ``day``: the demo's moments follow its day, not its time."""
    return datetime.datetime.combine(day, datetime.time(hour))


def _closing_month(today: datetime.date) -> int:
    """The month three months before ``today``'s: the companies' years close at its end."""
    return (today.month - 4) % 12 + 1


def _closing_year(today: datetime.date) -> int:
    return today.year if today.month > 3 else today.year - 1


def _last_year(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last days of the demo companies' last financial year."""
    return receipts.financial_year(_closing_month(today), _closing_year(today))


def _charter(demo, organisation: Organisation, version: CharterVersion, manager: Account) -> None:
    year = demo.today.year
    data = {
        "year": year,
        "employees": demo.random.randint(3, 8),
        "hours": demo.random.choice((20, 30, 40, 60)),
        "visits": demo.random.randint(0, 3),
        "internships": demo.random.randint(0, 4),
    }
    signed = _at(demo.today - datetime.timedelta(days=demo.random.randint(20, 90)), 10)
    charter_id = demo.insert(
        PartnershipCharter,
        {
            "organisation": organisation.id,
            "version": version.id,
            "status": SigningStatus.SIGNED,
            "created_by": manager.id,
            "created_at": signed - datetime.timedelta(days=2),
            "signed_at": signed,
            **data,
        },
    )
    demo.flush()
    document = _pdf(
        charters.KIND,
        f"charter:{charter_id}",
        f"Charte de partenariat {year} — {organisation.name}",
        charters.TEMPLATE,
        charters.document_context(organisation, version, data, manager),
    )
    PartnershipCharter.update(document=document).where(
        PartnershipCharter.id == charter_id
    ).execute()


def _convention(demo, organisation: Organisation, manager: Account, start) -> Convention:
    """Two years from the start of the last financial year, signed before it began."""
    end = start.replace(year=start.year + 2) - datetime.timedelta(days=1)
    signed = _at(start - datetime.timedelta(days=15), 10)
    convention_id = demo.insert(
        Convention,
        {
            "organisation": organisation.id,
            "starts_on": start,
            "ends_on": end,
            "committed_interventions": demo.random.randint(8, 16),
            "timetable": "Une à deux interventions par mois pendant l'année scolaire.",
            "status": SigningStatus.SIGNED,
            "created_by": manager.id,
            "created_at": signed - datetime.timedelta(days=10),
            "signed_at": signed,
        },
    )
    demo.flush()
    convention = Convention.get_by_id(convention_id)
    document = _pdf(
        conventions.KIND,
        f"convention:{convention_id}",
        f"Convention de mécénat de compétences — {organisation.name}",
        conventions.TEMPLATE,
        conventions.document_context(convention, organisation, manager),
    )
    Convention.update(document=document).where(Convention.id == convention_id).execute()
    return convention


def _pdf(kind: str, subject: str, title: str, template: str, context: dict) -> int | None:
    """The id of a document issued at once, or ``None`` on a machine that cannot make PDFs
    (without Pango): the demo runs there too, without its documents."""
    try:
        return documents.issue_new(kind, plugin.name, subject, title, template, context).id
    except documents.PdfUnavailable:
        return None


def _employees(demo, organisation: Organisation, convention: Convention) -> list[int]:
    """Up to ``EMPLOYEES`` ambassadors of the company, those who completed interventions
    first: they count for the convention from its start and have their costs entered."""
    staff = list(
        Ambassador.select(Ambassador.id)
        .where(Ambassador.organisation == organisation.id)
        .order_by(Ambassador.id)
    )
    done = {
        row.ambassador_id
        for row in Intervention.select(Intervention.ambassador).where(
            Intervention.status == Status.COMPLETED,
            Intervention.ambassador.in_([a.id for a in staff] or [0]),
        )
    }
    chosen = sorted(
        (a.id for a in staff), key=lambda ambassador_id: (ambassador_id not in done, ambassador_id)
    )[:EMPLOYEES]
    given = _at(convention.starts_on - datetime.timedelta(days=20), 9)
    for ambassador_id in chosen:
        demo.insert(
            Consent,
            {"ambassador": ambassador_id, "organisation": organisation.id, "given_at": given},
        )
        salary = Decimal(demo.random.randrange(2200, 5600, 50))
        charges = (salary * Decimal("0.42")).quantize(Decimal("0.01"))
        for year, raise_ in ((convention.starts_on.year, 0), (convention.starts_on.year + 1, 2)):
            factor = Decimal(100 + raise_) / 100
            demo.insert(
                Costing,
                {
                    "convention": convention.id,
                    "ambassador": ambassador_id,
                    "year": year,
                    "monthly_salary": (salary * factor).quantize(Decimal("0.01")),
                    "monthly_charges": (charges * factor).quantize(Decimal("0.01")),
                    "monthly_hours": Decimal("151.67"),
                    "updated_at": given,
                },
            )
    return chosen


def _hours(demo, organisation: Organisation, convention: Convention, employees: list[int]) -> None:
    """The completed interventions of the employees during the convention, as the hook
    records them."""
    preparation = service.settings()["preparation_minutes"]
    for intervention in (
        Intervention.select()
        .where(
            Intervention.status == Status.COMPLETED,
            Intervention.ambassador.in_(employees or [0]),
        )
        .order_by(Intervention.id)
    ):
        day = service.local_day(intervention.starts_at)
        if not convention.starts_on <= day <= convention.ends_on:
            continue
        demo.insert(
            Entry,
            {
                "intervention": intervention.id,
                "ambassador": intervention.ambassador_id,
                "organisation": organisation.id,
                "convention": convention.id,
                "day": day,
                "intervention_type": intervention.intervention_type,
                "minutes": intervention.duration_minutes,
                "preparation_minutes": preparation.get(intervention.intervention_type, 0),
                "created_at": intervention.completed_at or intervention.starts_at,
            },
        )


def _correction(
    demo,
    convention: Convention,
    employees: list[int],
    manager: Account,
    admin: Account,
    first: bool,
) -> None:
    """The first company's correction of its last financial year was approved; the
    second's, of this month, waits for the region."""
    if not employees:
        return
    last_day = _last_year(demo.today)[1]
    day = last_day - datetime.timedelta(days=40) if first else demo.today - datetime.timedelta(2)
    proposed = _at(day, 17)
    demo.insert(
        Correction,
        {
            "organisation": convention.organisation_id,
            "convention": convention.id,
            "ambassador": employees[0],
            "day": day,
            "minutes": 90,
            "reason": "Stand au forum des métiers du bassin, hors plateforme.",
            "status": CorrectionStatus.APPROVED if first else CorrectionStatus.PROPOSED,
            "proposed_by": manager.id,
            "proposed_at": proposed,
            "decided_by": admin.id if first else None,
            "decided_at": proposed + datetime.timedelta(days=2) if first else None,
        },
    )


def _receipt(demo, admin: Account) -> None:
    """The region issued the last financial year's receipt of the company that gave most."""
    start, end = _last_year(demo.today)
    totals: dict[int, int] = {}
    for entry in Entry.select().where(Entry.day >= start, Entry.day <= end):
        totals[entry.organisation_id] = totals.get(entry.organisation_id, 0) + entry.minutes
    if not totals:
        return
    organisation_id = max(sorted(totals), key=lambda key: totals[key])
    try:
        receipts.issue(
            admin, {"organisation": organisation_id, "financial_year": _closing_year(demo.today)}
        )
    except documents.PdfUnavailable:  # a receipt is its PDF: none on this machine
        return
