"""Personal data of the plugin: what a person can read, what is erased, how long it stays.

===================  ==========================================================  ==========
what                 kept                                                        erased
===================  ==========================================================  ==========
consent              as long as the account                                      with it
employees' costs     until ``costing_kept_days`` after their convention ends     with it
hours, corrections   ``records_kept_years`` after the end of their year          unlinked
charters,            ``records_kept_years`` after the end of their period;       kept
conventions,         the documents with them (``tremplin.documents.delete``)
receipts
===================  ==========================================================  ==========

Costs are personal data (what an employee earns): only the company's partner managers see
them, and the employee through their own data. Their legal basis is the convention the
company signed (GDPR art. 6(1)(b) for the company, and its legitimate interest of valuing
its donation, art. 6(1)(f), for its employees); they are needed while receipts of the
convention's years may still be issued, hence ``costing_kept_days`` (two years by default)
after its end. Hours, receipts and conventions support a tax reduction: the administration
may check them for six years (Livre des procédures fiscales art. L102 B), a legal
obligation (art. 6(1)(c)) that also sets them aside from erasure (art. 17(3)(b)).
"""

from __future__ import annotations

import datetime
from typing import Any

from tremplin.auth.models import Account
from tremplin.documents import service as documents
from tremplin.organisations.models import Organisation
from tremplin.people.models import Ambassador
from tremplin.privacy import ProcessingActivity

from . import service
from .i18n import _
from .models import (
    Consent,
    Convention,
    Correction,
    Costing,
    Entry,
    PartnershipCharter,
    Receipt,
)


def _ambassador_ids(person: Account) -> list[int]:
    return [a.id for a in Ambassador.select(Ambassador.id).where(Ambassador.account == person.id)]


def personal_data(person: Account) -> dict[str, Any]:
    """The person's consents, hours given and the costs their employer entered about them."""
    ids = _ambassador_ids(person)
    if not ids:
        return {}
    consents = [
        {
            "organisation": name,
            "given_at": given_at.isoformat(),
            "revoked_at": revoked_at.isoformat() if revoked_at else None,
        }
        for name, given_at, revoked_at in Consent.select(
            Organisation.name, Consent.given_at, Consent.revoked_at
        )
        .join(Organisation)
        .where(Consent.ambassador.in_(ids))
        .order_by(Consent.id)
        .tuples()
    ]
    # Thousands of entries for an active employee: read as tuples, not model instances.
    hours = [
        {
            "day": day.isoformat(),
            "intervention_type": intervention_type,
            "minutes": minutes,
            "preparation_minutes": preparation_minutes,
        }
        for day, intervention_type, minutes, preparation_minutes in Entry.select(
            Entry.day, Entry.intervention_type, Entry.minutes, Entry.preparation_minutes
        )
        .where(Entry.ambassador.in_(ids))
        .order_by(Entry.day, Entry.id)
        .tuples()
    ]
    costs = [
        {
            "convention": row.convention_id,
            "year": row.year,
            # To the cent: SQLite gives back 2600 for 2600.00, PostgreSQL 2600.00.
            "monthly_salary": f"{row.monthly_salary:.2f}",
            "monthly_charges": f"{row.monthly_charges:.2f}",
            "monthly_hours": f"{row.monthly_hours:.2f}",
        }
        for row in Costing.select().where(Costing.ambassador.in_(ids)).order_by(Costing.year)
    ]
    sections = {
        _("Sponsorship: consents"): consents,
        _("Sponsorship: hours given"): hours,
        _("Sponsorship: costs entered by your employer"): costs,
    }
    return {title: rows for title, rows in sections.items() if rows}


def erase(person: Account) -> None:
    """Delete the person's consents and costs; their hours stay, unlinked (tax records)."""
    ids = _ambassador_ids(person)
    if not ids:
        return
    Consent.delete().where(Consent.ambassador.in_(ids)).execute()
    Costing.delete().where(Costing.ambassador.in_(ids)).execute()
    Entry.update(ambassador=None).where(Entry.ambassador.in_(ids)).execute()
    Correction.update(ambassador=None).where(Correction.ambassador.in_(ids)).execute()


def processing_activities() -> list[ProcessingActivity]:
    """Rows of the register of processing activities (GDPR art. 30)."""
    config = service.settings()
    years = config["records_kept_years"]
    return [
        ProcessingActivity(
            name=_("Skills sponsorship: employer and consent"),
            purpose=_(
                "Count an ambassador's interventions for their employer's sponsorship "
                "convention, when they choose to."
            ),
            legal_basis=_("Consent (GDPR art. 6(1)(a)), revocable at any time."),
            data=_("Employer, date of consent and of its withdrawal."),
            retention=_("As long as the account."),
        ),
        ProcessingActivity(
            name=_("Skills sponsorship: employees' costs"),
            purpose=_("Value the time employees give at cost, for the company's receipt."),
            legal_basis=_(
                "The sponsorship convention (GDPR art. 6(1)(b)) and the company's legitimate "
                "interest in valuing its donation (art. 6(1)(f))."
            ),
            data=_(
                "Monthly gross salary, employer charges and working hours, seen only by "
                "the company's partner managers."
            ),
            retention=_(
                "%(days)s days after the convention ends.", days=config["costing_kept_days"]
            ),
        ),
        ProcessingActivity(
            name=_("Skills sponsorship: hours, conventions and receipts"),
            purpose=_("Issue the receipts of the donations (form 2041-MEC-SD)."),
            legal_basis=_(
                "Legal obligation (GDPR art. 6(1)(c)): documents supporting a tax reduction "
                "(CGI art. 238 bis; LPF art. L102 B)."
            ),
            data=_("Names of the employees lent, hours given by day, signatures."),
            retention=_("%(years)s years after the end of their year.", years=years),
        ),
    ]


def purge(now: datetime.datetime) -> None:
    """Costs ``costing_kept_days`` after their convention ends; records and their documents
    ``records_kept_years`` after their year."""
    config = service.settings()
    today = now.date()
    costing_limit = today - datetime.timedelta(days=config["costing_kept_days"])
    ended = Convention.select(Convention.id).where(Convention.ends_on < costing_limit)
    Costing.delete().where(Costing.convention.in_(ended)).execute()
    limit = datetime.date(today.year - config["records_kept_years"], 1, 1)
    Entry.delete().where(Entry.day < limit).execute()
    Correction.delete().where(Correction.day < limit).execute()
    old_receipts = Receipt.select().where(Receipt.period_end < limit)
    old_charters = PartnershipCharter.select().where(PartnershipCharter.year < limit.year)
    old_conventions = Convention.select().where(Convention.ends_on < limit)
    for model, rows in (
        (Receipt, old_receipts),
        (PartnershipCharter, old_charters),
        (Convention, old_conventions),
    ):
        document_ids = [row.document_id for row in rows if row.document_id is not None]
        model.delete().where(model.id.in_([row.id for row in rows])).execute()
        for document_id in document_ids:
            documents.delete(documents.get(document_id))
