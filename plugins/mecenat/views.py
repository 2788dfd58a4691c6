"""The plugin's pages: parse the form, call the services, render.

Ambassadors choose their employer and whether they count for it; partner managers keep
their organisation's charter, convention, costs and corrections; the region follows every
partner, decides on corrections and issues receipts. A form with mistakes is shown again
(422) with its messages.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from babel.dates import format_date
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for

from tremplin.auth.models import Account
from tremplin.auth.web import current_account, login_required
from tremplin.documents import service as documents
from tremplin.documents.views import pdf_response
from tremplin.errors import Conflict, Invalid, NotAllowed
from tremplin.i18n import get_locale
from tremplin.pagination import PAGE_SIZE, Page
from tremplin.people.service import ambassador_of
from tremplin.web.forms import form_page, form_values
from tremplin.web.navigation import Group, Link
from tremplin.web.paging import page_number, page_url

from . import (
    charters,
    conventions,
    employers,
    ledger,
    overview,
    plugin,
    receipts,
    service,
    simulator,
)
from .i18n import _, lazy_gettext

blueprint = Blueprint(plugin.name, __name__, template_folder="templates", url_prefix="/mecenat")

STATUS_LABELS = {
    "draft": lazy_gettext("Draft"),
    "signing": lazy_gettext("Being signed"),
    "signed": lazy_gettext("Signed"),
    "cancelled": lazy_gettext("Cancelled"),
    "issued": lazy_gettext("Issued"),
    "proposed": lazy_gettext("Waiting for the region"),
    "approved": lazy_gettext("Approved"),
    "refused": lazy_gettext("Refused"),
}


def menu_links(user: Account | None) -> list[Link]:
    """The employer page of ambassadors; the partner pages; the region's view."""
    if user is None:
        return []
    links = []
    if ambassador_of(user) is not None:
        links.append(
            Link(label=_("My employer"), href=url_for("mecenat.employer"), group=Group.ACCOUNT)
        )
    for organisation_id in sorted(service.managed_organisations(user)):
        links.append(
            Link(
                label=_("Sponsorship"),
                href=url_for("mecenat.partner", organisation_id=organisation_id),
                group=Group.NETWORK,
            )
        )
    if service.oversees_any(user):
        links.append(
            Link(label=_("Partners"), href=url_for("mecenat.region"), group=Group.STEERING)
        )
    return links


# Ambassadors


@blueprint.get("/mon-employeur")
@login_required
def employer():
    """The ambassador's employer, the search for it, and the consent to count."""
    return _employer()


def _employer(values: dict[str, Any] | None = None, errors=None):
    ambassador = employers.ambassador_of(current_account())
    query = request.args.get("q", "")
    return form_page(
        "mecenat/employer.html",
        errors,
        ambassador=ambassador,
        query=query,
        found=employers.find_employers(query),
        consent=employers.consent_of(ambassador),
        values=values or {"organisation_name": ambassador.organisation_name or ""},
    )


@blueprint.post("/mon-employeur")
@login_required
def set_employer():
    """Choose an organisation of the network, or write the employer's name."""
    values = form_values(request.form)
    try:
        employers.set_employer(current_account(), values)
    except Invalid as error:
        return _employer(values, error.errors)
    flash(_("Your employer is saved."), "success")
    return redirect(url_for(".employer"))


@blueprint.post("/mon-employeur/consentement")
@login_required
def consent():
    """Count, or stop counting, for the employer's convention."""
    if request.form.get("action") == "give":
        employers.give_consent(current_account())
        flash(_("Your interventions now count for your employer's convention."), "success")
    else:
        employers.revoke_consent(current_account())
        flash(_("Your interventions no longer count for your employer."), "success")
    return redirect(url_for(".employer"))


# Partner managers


@blueprint.get("/partenaires/<int(max=2147483647):organisation_id>")
@login_required
def partner(organisation_id: int):
    """The organisation's details, charters, conventions and counted employees."""
    return _partner(organisation_id)


def _partner(organisation_id: int, values=None, errors=None, form=None):
    account = current_account()
    organisation = service.require_partner_manager(account, organisation_id)
    details = service.partner_of(organisation_id)
    stored = (
        {
            "legal_form": details.legal_form,
            "address": details.address,
            "closing_month": details.closing_month,
        }
        if details is not None
        else {}
    )
    return form_page(
        "mecenat/partner.html",
        errors,
        organisation=organisation,
        form=form,
        values=values or {},
        details=stored,
        charters=charters.charters_of(organisation_id),
        conventions=conventions.conventions_of(organisation_id),
        employees=employers.counted_employees(account, organisation_id),
        receipts=receipts.receipts_of(organisation_id),
        version=charters.current_version(),
        this_year=service.today().year,
    )


@blueprint.post("/partenaires/<int(max=2147483647):organisation_id>/coordonnees")
@login_required
def save_partner(organisation_id: int):
    """The legal form, address and closing month receipts need."""
    values = form_values(request.form)
    try:
        service.save_partner(current_account(), organisation_id, values)
    except Invalid as error:
        return _partner(organisation_id, values, error.errors, "details")
    flash(_("Your organisation's details are saved."), "success")
    return redirect(url_for(".partner", organisation_id=organisation_id))


@blueprint.post("/partenaires/<int(max=2147483647):organisation_id>/charte")
@login_required
def sign_charter(organisation_id: int):
    """Commit for a year; the signing link is emailed to the partner manager."""
    values = form_values(request.form)
    try:
        charters.sign(current_account(), organisation_id, values)
    except Invalid as error:
        return _partner(organisation_id, values, error.errors, "charter")
    flash(_("We emailed you the link to sign the charter."), "success")
    return redirect(url_for(".partner", organisation_id=organisation_id))


@blueprint.post("/partenaires/<int(max=2147483647):organisation_id>/conventions")
@login_required
def prepare_convention(organisation_id: int):
    """A new draft convention."""
    values = form_values(request.form)
    try:
        convention = conventions.prepare(current_account(), organisation_id, values)
    except Invalid as error:
        return _partner(organisation_id, values, error.errors, "convention")
    return redirect(url_for(".convention", convention_id=convention.id))


@blueprint.get("/chartes/<int(max=2147483647):charter_id>")
@login_required
def charter(charter_id: int):
    """A charter's commitments next to what happened."""
    item = charters.get_for(current_account(), charter_id)
    return render_template(
        "mecenat/charter.html", charter=item, comparison=charters.comparison(item)
    )


@blueprint.get("/conventions/<int(max=2147483647):convention_id>")
@login_required
def convention(convention_id: int):
    """A convention: its terms, costs (partner managers only), hours and corrections."""
    return _convention(convention_id)


def _convention(convention_id: int, values=None, errors=None, form=None):
    account = current_account()
    item = conventions.get_for(account, convention_id)
    manager = item.organisation_id in service.managed_organisations(account)
    employees = employers.employees_of(item.organisation_id)
    return form_page(
        "mecenat/convention.html",
        errors,
        convention=item,
        manager=manager,
        region=service.is_region(account),
        form=form,
        values=values
        or {
            "starts_on": item.starts_on.isoformat(),
            "ends_on": item.ends_on.isoformat(),
            "committed_interventions": item.committed_interventions,
            "timetable": item.timetable,
        },
        costs=conventions.costings_of(account, convention_id) if manager else [],
        cost_year=min(max(service.today().year, item.starts_on.year), item.ends_on.year),
        employees=employees,
        employee_options=[(e.ambassador_id, e.name) for e in employees],
        completed=ledger.convention_progress(item),
        corrections=[
            c for c in ledger.corrections_of(item.organisation_id) if c.convention_id == item.id
        ],
        statement=ledger.statement(account, item.organisation_id, item.starts_on, item.ends_on),
        names={e.ambassador_id: e.name for e in employees},
    )


@blueprint.post("/conventions/<int(max=2147483647):convention_id>")
@login_required
def change_convention(convention_id: int):
    """Change the terms of a convention not yet signed."""
    values = form_values(request.form)
    try:
        conventions.change(current_account(), convention_id, values)
    except Invalid as error:
        return _convention(convention_id, values, error.errors, "terms")
    flash(_("The convention is saved."), "success")
    return redirect(url_for(".convention", convention_id=convention_id))


@blueprint.post("/conventions/<int(max=2147483647):convention_id>/couts")
@login_required
def save_costing(convention_id: int):
    """An employee's monthly cost: salary, charges, hours."""
    values = form_values(request.form)
    try:
        conventions.save_costing(current_account(), convention_id, values)
    except Invalid as error:
        return _convention(convention_id, values, error.errors, "costing")
    flash(_("The cost is saved. Only your organisation's partner managers see it."), "success")
    return redirect(url_for(".convention", convention_id=convention_id))


@blueprint.post("/conventions/<int(max=2147483647):convention_id>/signature")
@login_required
def send_convention(convention_id: int):
    """Send the convention to be signed by the company, then the region."""
    conventions.send_for_signature(current_account(), convention_id)
    flash(
        _("We emailed you the link to sign the convention; the region signs after you."), "success"
    )
    return redirect(url_for(".convention", convention_id=convention_id))


@blueprint.post("/conventions/<int(max=2147483647):convention_id>/corrections")
@login_required
def propose_correction(convention_id: int):
    """Hours to add or remove, with a reason, for the region to approve."""
    values = form_values(request.form)
    try:
        ledger.propose_correction(current_account(), convention_id, values)
    except Invalid as error:
        return _convention(convention_id, values, error.errors, "correction")
    flash(_("The correction is sent to the region."), "success")
    return redirect(url_for(".convention", convention_id=convention_id))


@blueprint.get("/documents/<int(max=2147483647):document_id>.pdf")
@login_required
def document_pdf(document_id: int):
    """A charter, convention or receipt of an organisation the reader may see."""
    document = documents.get(document_id)
    kind, _sep, rest = document.subject.partition(":")
    if document.owner != plugin.name:
        abort(404)
    organisation_id = _organisation_of(kind, rest)
    if organisation_id is None or not service.may_see_organisation(
        current_account(), service.organisation(organisation_id)
    ):
        abort(404)
    return pdf_response(document)


def _organisation_of(kind: str, rest: str) -> int | None:
    number = int(rest.split(":")[0])
    if kind == "receipt":
        return number
    model = {"charter": charters.PartnershipCharter, "convention": conventions.Convention}.get(kind)
    row = model.get_or_none(model.id == number) if model else None
    return row.organisation_id if row else None


# The simulator


@blueprint.route("/simulateur", methods=["GET", "POST"])
@login_required
def estimate():
    """The tax estimate of a company's years of donations (partner managers, region)."""
    account = current_account()
    if not (service.managed_organisations(account) or service.is_region(account)):
        raise NotAllowed(_("The simulator is for partner managers and the region."))
    values = form_values(request.form) if request.method == "POST" else {}
    result, errors = None, None
    if request.method == "POST":
        try:
            result = simulator.estimate(simulator.years_from_form(values))
        except Invalid as error:
            errors = error.errors
    return form_page("mecenat/simulator.html", errors, values=values, result=result, rows=range(6))


# The region


@blueprint.get("/region")
@login_required
def region():
    """Every partner the reader follows: conventions, charters, receipts, corrections."""
    return _region()


def _region(values=None, errors=None, http_status=None):
    account = current_account()
    is_region = service.is_region(account)
    conventions_rows = overview.conventions(account)
    return form_page(
        "mecenat/region.html",
        errors,
        http_status=http_status,
        conventions=_page(conventions_rows, "page_conventions"),
        companies={row.organisation_id: row.organisation for row in conventions_rows},
        behind=_page(overview.behind(account), "page_retard"),
        charters=_page(overview.charters(account), "page_chartes"),
        receipts=_page(overview.receipts(account), "page_recus"),
        corrections=_page(
            ledger.pending_corrections(account) if is_region else [], "page_corrections"
        ),
        is_region=is_region,
        values=values or {"financial_year": service.today().year - 1},
        page_url=page_url,
    )


def _page(items: list[Any], param: str) -> Page:
    """The page of ``items`` asked for by the query parameter ``param``."""
    number = page_number(param)
    start = (number - 1) * PAGE_SIZE
    return Page(
        items=items[start : start + PAGE_SIZE], total=len(items), page=number, page_size=PAGE_SIZE
    )


@blueprint.get("/region.csv")
@login_required
def region_csv():
    """The region's view as CSV."""
    response = Response(overview.csv_export(current_account()), mimetype="text/csv")
    response.headers["Content-Disposition"] = "attachment; filename=mecenat.csv"
    return response


@blueprint.post("/corrections/<int(max=2147483647):correction_id>")
@login_required
def decide_correction(correction_id: int):
    """The region approves a correction, or refuses it once confirmed on its own page."""
    account, values = current_account(), form_values(request.form)
    if values.get("outcome") == "refused" and values.get("confirm") != "yes":
        correction = ledger.correction_for(account, correction_id)
        return render_template("mecenat/refuse_correction.html", correction=correction)
    ledger.decide_correction(account, correction_id, values)
    flash(_("The decision is recorded."), "success")
    return redirect(url_for(".region"))


@blueprint.post("/recus")
@login_required
def issue_receipt():
    """Issue a company's receipt for a financial year, once confirmed."""
    values = form_values(request.form)
    if values.get("confirm") != "yes":
        errors = {"confirm": [_("Tick the box to confirm: a receipt never changes once issued.")]}
        return _region(values, errors)
    try:
        receipt = receipts.issue(current_account(), values)
    except Invalid as error:
        return _region(values, error.errors)
    except Conflict as error:
        return _region(values, {"financial_year": [error.message]}, http_status=409)
    flash(_("The receipt is issued."), "success")
    return redirect(url_for(".document_pdf", document_id=receipt.document_id))


@blueprint.route("/recus/<int(max=2147483647):receipt_id>/corriger", methods=["GET", "POST"])
@login_required
def correct_receipt(receipt_id: int):
    """A new receipt that cancels this one, once confirmed on its own page."""
    account = current_account()
    receipt = receipts.get_for(account, receipt_id)
    service.require_region(account)
    errors = {}
    if request.method == "POST":
        if request.form.get("confirm") == "yes":
            corrected = receipts.correct(account, receipt_id)
            flash(_("The corrected receipt is issued; the old one is cancelled."), "success")
            return redirect(url_for(".document_pdf", document_id=corrected.document_id))
        errors = {"confirm": [_("Tick the box to confirm.")]}
    return form_page("mecenat/correct_receipt.html", errors, receipt=receipt, values={})


@blueprint.app_template_filter("mecenat_hours")
def hours(minutes: int | Decimal | None) -> str:
    """Minutes as ``2 h 05``."""
    return receipts.hours_text(int(minutes or 0))


@blueprint.app_template_filter("mecenat_euros")
def euros(amount: Decimal | None) -> str:
    """An amount as French documents print it: ``1 300,50 €``."""
    return conventions.format_euros(Decimal(amount)) if amount is not None else ""


@blueprint.app_template_filter("mecenat_month")
def month(value: str) -> str:
    """A month of a statement (``2025-03``) as the reader writes it: ``mars 2025``."""
    year, number = (int(part) for part in value.split("-"))
    return format_date(datetime.date(year, number, 1), "LLLL y", locale=get_locale())


@blueprint.app_template_filter("mecenat_day")
def day(value: datetime.date | None) -> str:
    """A date as the reader writes it."""
    return format_date(value, "medium", locale=get_locale()) if value else ""


@blueprint.app_template_filter("mecenat_status")
def status(value: str) -> str:
    """The translated name of a charter's, convention's, correction's or receipt's status."""
    return str(STATUS_LABELS.get(value, value))
