"""The skills-sponsorship convention: prepared by the company, signed by it and the region.

A company's partner manager prepares the convention (period, committed number of
interventions, timetable) and enters, for each employee who counts for it, what they cost a
month (gross salary, employer charges, monthly hours), from a year of the convention on
(a salary raised in its second year is entered for that year): those costs are seen by the
company's partner managers only. The convention's document shows the preparation time
counted per type of intervention (a region setting) and an estimate of the donation, never
anyone's cost. It is signed in advance, in order, by the company and then by the region,
each through a single-use expiring link of the core's signature circuit; any change to a
convention being signed voids the signatures given and starts again. Once both signed, the
document is issued and the convention is in force.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from babel.dates import format_date

from tremplin import clock
from tremplin.auth.models import Account
from tremplin.db import database
from tremplin.documents import circuits
from tremplin.documents import service as documents
from tremplin.documents.circuits import Signer
from tremplin.errors import Conflict, Invalid, NotAllowed, NotFound
from tremplin.i18n import get_locale
from tremplin.organisations.models import Organisation, OrganisationKind
from tremplin.people.models import InterventionType
from tremplin.validation import validated

from . import employers, plugin, service
from .i18n import _, lazy_gettext
from .models import Convention, Costing, SigningStatus
from .money import to_cent
from .parameters import MONTHLY_COST_CAP_IN_PSS, monthly_pss
from .schemas import ConventionSchema, CostingSchema

KIND = "mecenat.convention"
TEMPLATE = "mecenat/documents/convention.html"
# The length of an intervention the estimate of a convention assumes: a class talk
# (ARCHITECTURE: 45 minutes at most), the most common intervention.
ESTIMATE_MINUTES = 45

TYPE_LABELS = {
    InterventionType.CLASS_TALK: lazy_gettext("Class talk"),
    InterventionType.FORUM: lazy_gettext("Forum, fair or open day"),
    InterventionType.COMPANY_VISIT: lazy_gettext("Company visit"),
    InterventionType.INTERNSHIP: lazy_gettext("Discovery internship"),
    InterventionType.WEBINAR: lazy_gettext("Webinar"),
}
EDITABLE = (SigningStatus.DRAFT, SigningStatus.SIGNING)


def conventions_of(organisation_id: int) -> list[Convention]:
    """The company's conventions, the latest first."""
    return list(
        Convention.select()
        .where(Convention.organisation == organisation_id)
        .order_by(Convention.starts_on.desc(), Convention.id.desc())
    )


def get_for(account: Account, convention_id: int) -> Convention:
    """A convention, for its company's partner managers and those who oversee it."""
    convention = Convention.get_or_none(Convention.id == convention_id)
    if convention is None:
        raise NotFound(_("No convention has this number."))
    if not service.may_see_organisation(account, service.organisation(convention.organisation_id)):
        raise NotAllowed(_("You may not see this convention."))
    return convention


def _managed(account: Account, convention_id: int) -> tuple[Convention, Organisation]:
    convention = get_for(account, convention_id)
    organisation = service.require_partner_manager(account, convention.organisation_id)
    return convention, organisation


def prepare(account: Account, organisation_id: int, raw: Mapping[str, Any]) -> Convention:
    """A new draft convention of the company, as its partner manager."""
    organisation = service.require_partner_manager(account, organisation_id)
    if organisation.kind != OrganisationKind.COMPANY:
        raise Conflict(_("Skills-sponsorship conventions are for companies."))
    data = validated(ConventionSchema, raw)
    return Convention.create(organisation=organisation_id, created_by=account, **data)


def change(account: Account, convention_id: int, raw: Mapping[str, Any]) -> Convention:
    """Change a convention not yet signed; one being signed is signed again from the start."""
    convention, _organisation = _managed(account, convention_id)
    data = validated(ConventionSchema, raw)
    with database.atomic():
        updated = (
            Convention.update(**data)
            .where(Convention.id == convention.id, Convention.status.in_(EDITABLE))
            .execute()
        )
        if not updated:
            raise Conflict(_("A signed convention cannot change: prepare a new one."))
        _revise(convention.id)
    return Convention.get_by_id(convention.id)


def costings_of(account: Account, convention_id: int) -> list[Costing]:
    """The employees' monthly costs, by employee and year: for the company's partner
    managers only."""
    convention, _organisation = _managed(account, convention_id)
    return list(
        Costing.select()
        .where(Costing.convention == convention.id)
        .order_by(Costing.ambassador, Costing.year)
    )


def save_costing(account: Account, convention_id: int, raw: Mapping[str, Any]) -> Costing:
    """Record what a counted employee costs the company a month (salary and charges) from a
    year of the convention on (its first year unless ``year`` says otherwise)."""
    convention, _organisation = _managed(account, convention_id)
    if convention.status == SigningStatus.CANCELLED:
        raise Conflict(_("This convention is cancelled."))
    data = validated(CostingSchema, raw)
    employers.require_employee(convention.organisation_id, data["ambassador"])
    year = data["year"] or convention.starts_on.year
    if not convention.starts_on.year <= year <= convention.ends_on.year:
        raise Invalid(
            {
                "year": [
                    _(
                        "Give a year of the convention, from %(start)s to %(end)s.",
                        start=convention.starts_on.year,
                        end=convention.ends_on.year,
                    )
                ]
            }
        )
    hours = data["monthly_hours"] or service.settings()["monthly_hours"]
    values = {
        "monthly_salary": data["monthly_salary"],
        "monthly_charges": data["monthly_charges"],
        "monthly_hours": Decimal(hours),
        "updated_at": clock.now(),
    }
    key = (
        (Costing.convention == convention.id)
        & (Costing.ambassador == data["ambassador"])
        & (Costing.year == year)
    )
    with database.atomic():
        updated = Costing.update(**values).where(key).execute()
        if not updated:
            Costing.create(
                convention=convention.id, ambassador=data["ambassador"], year=year, **values
            )
        if convention.status in EDITABLE:
            _revise(convention.id)
    return Costing.get(key)


def cost_in(costs: list[Costing], year: int) -> Costing | None:
    """Of one employee's ``costs``, the one that applies in ``year``: the latest entered
    for that year or an earlier one."""
    earlier = [cost for cost in costs if cost.year <= year]
    return max(earlier, key=lambda cost: cost.year) if earlier else None


def send_for_signature(account: Account, convention_id: int) -> Convention:
    """Make the convention's document and send it to be signed: the company, then the region."""
    convention, organisation = _managed(account, convention_id)
    config = service.settings()
    if not (config["region_signatory_name"] and config["region_signatory_email"]):
        raise Conflict(
            _("The region has not said who signs its conventions: ask its administrators.")
        )
    with database.atomic():
        moved = (
            Convention.update(status=SigningStatus.SIGNING)
            .where(Convention.id == convention.id, Convention.status == SigningStatus.DRAFT)
            .execute()
        )
        if not moved:
            raise Conflict(_("This convention is already being signed or signed."))
        convention = Convention.get_by_id(convention.id)
        document = documents.create_draft(
            KIND,
            plugin.name,
            f"convention:{convention.id}",
            _("Skills-sponsorship convention — %(name)s", name=organisation.name),
            TEMPLATE,
            document_context(convention, organisation, account),
        )
        Convention.update(document=document.id).where(Convention.id == convention.id).execute()
        circuits.start_circuit(
            document,
            [
                Signer(
                    role=_("For %(name)s", name=organisation.name),
                    name=f"{account.first_name} {account.last_name}",
                    email=account.email,
                    account=account,
                ),
                Signer(
                    role=config["region_signatory_role"] or _("For the region"),
                    name=config["region_signatory_name"],
                    email=config["region_signatory_email"],
                ),
            ],
            ordered=True,
        )
    return Convention.get_by_id(convention.id)


def signed(convention_id: int) -> None:
    """Both parties signed: issue the convention's document; the convention is in force."""
    convention = Convention.get_by_id(convention_id)
    if convention.document_id is not None:
        documents.issue(documents.get(convention.document_id))
    Convention.update(status=SigningStatus.SIGNED, signed_at=clock.now()).where(
        Convention.id == convention_id, Convention.status == SigningStatus.SIGNING
    ).execute()


def cancelled(convention_id: int) -> None:
    """The convention's circuit was cancelled: back to a draft the company may send again."""
    Convention.update(status=SigningStatus.DRAFT, document=None).where(
        Convention.id == convention_id, Convention.status == SigningStatus.SIGNING
    ).execute()


def _revise(convention_id: int) -> None:
    """A convention being signed changed: its document is made again; signatures are void."""
    convention = Convention.get_by_id(convention_id)
    if convention.status != SigningStatus.SIGNING or convention.document_id is None:
        return
    organisation = service.organisation(convention.organisation_id)
    document = documents.get(convention.document_id)
    context = document_context(convention, organisation, None, document.context)
    documents.revise_draft(document, context=context)


def in_force_on(organisation_id: int, day: datetime.date) -> Convention | None:
    """The company's signed convention covering ``day``, if any."""
    return (
        Convention.select()
        .where(
            Convention.organisation == organisation_id,
            Convention.status == SigningStatus.SIGNED,
            Convention.starts_on <= day,
            Convention.ends_on >= day,
        )
        .order_by(Convention.signed_at.desc())
        .first()
    )


def preparation_table() -> list[dict[str, Any]]:
    """The preparation time counted with each type of intervention (region setting)."""
    minutes = service.settings()["preparation_minutes"]
    return [
        {"type": str(TYPE_LABELS[kind]), "minutes": minutes.get(kind.value, 0)}
        for kind in InterventionType
    ]


def estimated_value(convention: Convention) -> Decimal | None:
    """An estimate of the donation the convention commits to: its interventions as class
    talks with their preparation, at the employees' average hourly cost of the first year
    they are costed for (each capped at 3 x PSS a month); ``None`` before any cost is
    entered."""
    first_year = {}
    for cost in Costing.select().where(Costing.convention == convention.id).order_by(Costing.year):
        first_year.setdefault(cost.ambassador_id, cost)
    costs = list(first_year.values())
    if not costs:
        return None
    config = service.settings()
    cap = MONTHLY_COST_CAP_IN_PSS * monthly_pss(convention.starts_on.year, config["pss"])
    hourly = [
        min(cost.monthly_salary + cost.monthly_charges, cap) / cost.monthly_hours for cost in costs
    ]
    average = sum(hourly) / len(hourly)
    preparation = config["preparation_minutes"].get(InterventionType.CLASS_TALK.value, 0)
    minutes = convention.committed_interventions * (ESTIMATE_MINUTES + preparation)
    return to_cent(average * minutes / 60)


def document_context(
    convention: Convention,
    organisation: Organisation,
    account: Account | None,
    previous: str | None = None,
) -> dict[str, Any]:
    """What the convention's document shows: never an employee's cost."""
    config = service.settings()
    partner = service.partner_of(organisation.id)
    estimate = estimated_value(convention)
    company_signatory = (
        f"{account.first_name} {account.last_name}"
        if account is not None
        else _signatory_in(previous)
    )
    return {
        "company": organisation.name,
        "siret": organisation.siret or "",
        "legal_form": partner.legal_form if partner else "",
        "address": partner.address if partner else "",
        "beneficiary": config["beneficiary_name"],
        "beneficiary_address": config["beneficiary_address"],
        "starts_on": format_date(convention.starts_on, "long", locale=get_locale()),
        "ends_on": format_date(convention.ends_on, "long", locale=get_locale()),
        "committed_interventions": convention.committed_interventions,
        "timetable": convention.timetable,
        "preparation": preparation_table(),
        "estimate": format_euros(estimate) if estimate is not None else "",
        "company_signatory": company_signatory,
        "region_signatory": config["region_signatory_name"],
        "region_signatory_role": config["region_signatory_role"],
    }


def _signatory_in(previous: str | None) -> str:
    return json.loads(previous or "{}").get("company_signatory", "")


def format_euros(amount: Decimal) -> str:
    """``1234.5`` as ``1 234,50 €``: French figures, as documents print them."""
    whole, cents = f"{amount:.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return f"{' '.join(groups)},{cents} €"
