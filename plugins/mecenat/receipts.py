"""Receipts of skills donations: form 2041-MEC-SD (Cerfa n° 16216), one per company and year.

The region issues, for a company and one of its financial years, the receipt of the time its
employees gave under their convention, valued at cost with the costs the company entered.
The document carries every mention of the form (CGI art. 238 bis 5 bis; BOI-BIC-RICI-20-30-10-20
on the receipt of a donation in kind): the beneficiary, the donor's name, legal form, SIREN
and address, the period of the donations, the employees lent and the value of the donation as
the company determined it, the form (a private agreement: the convention) and the nature of
the donation (skills sponsorship), the signatory and their capacity, the date, and the
article of the code. It is numbered in an unbroken series (``tremplin.documents``) and never
changes; a mistake is corrected by a new receipt that cancels the old one. Issuing it locks
the period: its hours no longer change.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Mapping
from typing import Any

import peewee
from babel.dates import format_date

from tremplin import clock
from tremplin.auth.models import Account
from tremplin.db import database
from tremplin.documents import service as documents
from tremplin.errors import Conflict, Invalid, NotAllowed, NotFound
from tremplin.i18n import get_locale
from tremplin.organisations.models import Organisation
from tremplin.validation import validated

from . import employers, ledger, plugin, service
from .conventions import format_euros
from .i18n import _
from .models import (
    Convention,
    Correction,
    CorrectionStatus,
    Partner,
    Receipt,
    ReceiptStatus,
    SigningStatus,
)
from .schemas import ReceiptSchema

KIND = "mecenat.receipt"
TEMPLATE = "mecenat/documents/receipt.html"
FORM = "2041-MEC-SD"
CERFA = "16216"


def financial_year(closing_month: int, closing_year: int) -> tuple[datetime.date, datetime.date]:
    """The first and last days of the financial year closing at the end of ``closing_month``
    of ``closing_year`` (twelve months)."""
    end = datetime.date(
        closing_year, closing_month, calendar.monthrange(closing_year, closing_month)[1]
    )
    if closing_month == 12:
        return datetime.date(closing_year, 1, 1), end
    return datetime.date(closing_year - 1, closing_month + 1, 1), end


def period_of(organisation_id: int, closing_year: int) -> tuple[datetime.date, datetime.date]:
    """The financial year of the organisation closing in ``closing_year``."""
    partner = service.partner_of(organisation_id)
    return financial_year(partner.closing_month if partner else 12, closing_year)


def receipts_of(organisation_id: int) -> list[Receipt]:
    """The organisation's receipts, the latest first."""
    return list(
        Receipt.select()
        .where(Receipt.organisation == organisation_id)
        .order_by(Receipt.financial_year.desc(), Receipt.id.desc())
    )


def get_for(account: Account, receipt_id: int) -> Receipt:
    """A receipt, for its company's partner managers and those who oversee it."""
    receipt = Receipt.get_or_none(Receipt.id == receipt_id)
    if receipt is None:
        raise NotFound(_("No receipt has this number."))
    if not service.may_see_organisation(account, service.organisation(receipt.organisation_id)):
        raise NotAllowed(_("You may not see this receipt."))
    return receipt


def issue(account: Account, raw: Mapping[str, Any]) -> Receipt:
    """The region issues the receipt of a company's financial year; its period is locked."""
    service.require_region(account)
    data = validated(ReceiptSchema, raw)
    organisation = service.organisation(data["organisation"])
    year = data["financial_year"]
    start, end = period_of(organisation.id, year)
    if service.today() <= end:
        raise Conflict(_("The financial year is not over yet."))
    context, valuation = _context(organisation, year, start, end)
    with database.atomic():
        _lock_partner(organisation.id)
        if in_force(organisation.id, year) is not None:
            raise Conflict(_("This year's receipt is issued: correct it instead."))
        try:
            with database.atomic():
                receipt = Receipt.create(
                    organisation=organisation.id,
                    financial_year=year,
                    period_start=start,
                    period_end=end,
                    minutes=valuation.minutes,
                    amount=valuation.amount,
                    issued_by=account,
                    issued_at=clock.now(),
                )
        except peewee.IntegrityError as error:  # the unique index: issued meanwhile
            raise Conflict(_("This year's receipt is issued: correct it instead.")) from error
        document = documents.issue_new(
            KIND,
            plugin.name,
            f"receipt:{organisation.id}:{year}",
            _(
                "Receipt of a skills donation %(year)s — %(name)s",
                year=year,
                name=organisation.name,
            ),
            TEMPLATE,
            context,
        )
        Receipt.update(document=document.id).where(Receipt.id == receipt.id).execute()
    return Receipt.get_by_id(receipt.id)


def _lock_partner(organisation_id: int) -> None:
    """Take the company's details row lock (PostgreSQL) or the write lock (SQLite) first,
    so that two administrators issuing the same receipt do it one after the other."""
    Partner.update(closing_month=Partner.closing_month).where(
        Partner.organisation == organisation_id
    ).execute()


def correct(account: Account, receipt_id: int) -> Receipt:
    """A new receipt, made from the donor's details and costs as they are now, that cancels
    ``receipt``. The hours of the period are those locked when it was issued."""
    service.require_region(account)
    old = Receipt.get_or_none(Receipt.id == receipt_id)
    if old is None:
        raise NotFound(_("No receipt has this number."))
    organisation = service.organisation(old.organisation_id)
    context, valuation = _context(
        organisation, old.financial_year, old.period_start, old.period_end
    )
    with database.atomic():
        cancelled = (
            Receipt.update(status=ReceiptStatus.CANCELLED)
            .where(Receipt.id == old.id, Receipt.status == ReceiptStatus.ISSUED)
            .execute()
        )
        if not cancelled:
            raise Conflict(_("This receipt was already corrected."))
        document = documents.correct(documents.get(old.document_id), context=context)
        return Receipt.create(
            organisation=old.organisation_id,
            financial_year=old.financial_year,
            period_start=old.period_start,
            period_end=old.period_end,
            minutes=valuation.minutes,
            amount=valuation.amount,
            document=document.id,
            issued_by=account,
            issued_at=clock.now(),
        )


def _context(
    organisation: Organisation, year: int, start: datetime.date, end: datetime.date
) -> tuple[dict[str, Any], ledger.Valuation]:
    """Every mention of the form, checked: ``Invalid`` or ``Conflict`` saying what lacks."""
    config = service.settings()
    partner = service.partner_of(organisation.id)
    siren = service.siren_of(organisation)
    missing = [
        label
        for label, value in (
            (_("the beneficiary's name"), config["beneficiary_name"]),
            (_("the beneficiary's address"), config["beneficiary_address"]),
            (_("the signatory of receipts"), config["receipt_signatory_name"]),
            (_("the capacity of the signatory"), config["receipt_signatory_capacity"]),
        )
        if not value
    ]
    if missing:
        raise Conflict(
            _("The region's settings lack %(what)s.", what=", ".join(str(m) for m in missing))
        )
    errors = {}
    if partner is None:
        errors["legal_form"] = [_("The company has not given its legal form and address.")]
    if siren is None:
        errors["siren"] = [_("The company has no SIRET in the network's organisations.")]
    if errors:
        raise Invalid(errors)
    pending = Correction.select().where(
        Correction.organisation == organisation.id,
        Correction.status == CorrectionStatus.PROPOSED,
        Correction.day >= start,
        Correction.day <= end,
    )
    if pending.exists():
        raise Conflict(_("Decide on the corrections of that year first."))
    valuation = ledger.valuation(organisation.id, start, end)
    if valuation.without_cost:
        raise Conflict(
            _(
                "The company has not entered the cost of %(count)s employee(s) who gave hours.",
                count=len(valuation.without_cost),
            )
        )
    if valuation.minutes <= 0:
        raise Conflict(_("No hours were given that year."))
    names = {e.ambassador_id: e.name for e in employers.employees_of(organisation.id)}
    # The conventions of the period, and those of hours reported late into it.
    late = {item.convention_id for item in ledger.given(organisation.id, start, end)}
    agreements = list(
        Convention.select()
        .where(
            Convention.organisation == organisation.id,
            Convention.status == SigningStatus.SIGNED,
            ((Convention.starts_on <= end) & (Convention.ends_on >= start))
            | Convention.id.in_(late or {0}),
        )
        .order_by(Convention.starts_on)
    )
    context = {
        "form": FORM,
        "cerfa": CERFA,
        "beneficiary": {
            "name": config["beneficiary_name"],
            "address": config["beneficiary_address"],
            "siren": config["beneficiary_siren"],
            "object": config["beneficiary_object"],
            "quality": config["beneficiary_quality"],
        },
        "donor": {
            "name": organisation.name,
            "legal_form": partner.legal_form,
            "siren": siren,
            "address": partner.address,
        },
        "financial_year": year,
        "period_start": long_date(start),
        "period_end": long_date(end),
        "amount": format_euros(valuation.amount),
        "hours": hours_text(valuation.minutes),
        "employees": [
            {"name": names.get(ambassador_id, _("Former employee")), "hours": hours_text(m)}
            for ambassador_id, m in sorted(
                valuation.by_employee.items(), key=lambda item: names.get(item[0], "")
            )
            if m > 0
        ],
        "conventions": [
            {
                "starts_on": long_date(c.starts_on),
                "ends_on": long_date(c.ends_on),
                "signed_on": long_date(service.local_day(c.signed_at)) if c.signed_at else "",
            }
            for c in agreements
        ],
        "signatory": config["receipt_signatory_name"],
        "capacity": config["receipt_signatory_capacity"],
        "issued_on": long_date(service.today()),
    }
    return context, valuation


def long_date(day: datetime.date) -> str:
    """``day`` written out in the current language: 31 décembre 2025."""
    return format_date(day, "long", locale=get_locale())


def hours_text(minutes: int) -> str:
    """``125`` minutes as ``2 h 05``."""
    return f"{minutes // 60} h {minutes % 60:02d}"


def in_force(organisation_id: int, year: int) -> Receipt | None:
    """The receipt in force of the organisation's financial year, if issued."""
    return Receipt.get_or_none(
        Receipt.organisation == organisation_id,
        Receipt.financial_year == year,
        Receipt.status == ReceiptStatus.ISSUED,
    )
