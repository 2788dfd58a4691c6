"""The plugin's pages: parse the form, call the services, render.

A person files and follows their requests (``/mes-droits``); anyone exercises a right
without an account through the public form, confirmed by an emailed link
(``/exercer-mes-droits``); the officers handle the requests (``/rgpd/demandes``) and the
register (``/rgpd/registre``). Links from emails open a page whose button does the
step (a POST): a mail scanner that follows links spends nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from babel.dates import format_date
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from markupsafe import Markup

from tremplin.auth.models import Account
from tremplin.auth.web import current_account, login_required
from tremplin.documents.views import pdf_response
from tremplin.errors import Invalid
from tremplin.i18n import get_locale
from tremplin.web.forms import form_page, form_values
from tremplin.web.navigation import Group, Link, Panel

from . import exports, officers, plugin, register, requests, service
from .i18n import _, lazy_gettext
from .models import Channel
from .rights import KEPT

blueprint = Blueprint(plugin.name, __name__, template_folder="templates")

STATUS_LABELS = {
    "unconfirmed": lazy_gettext("Waiting for confirmation"),
    "received": lazy_gettext("Received"),
    "awaiting_identity": lazy_gettext("Waiting for proof of identity"),
    "in_progress": lazy_gettext("In progress"),
    "extended": lazy_gettext("Extended by two months"),
    "answered": lazy_gettext("Answered"),
    "refused": lazy_gettext("Refused"),
}
STEP_LABELS = {
    "received": lazy_gettext("Request received"),
    "in_progress": lazy_gettext("Taken in hand"),
    "identity_requested": lazy_gettext("Proof of identity asked"),
    "identity_checked": lazy_gettext("Identity checked"),
    "identity_not_established": lazy_gettext("Identity not established"),
    "extended": lazy_gettext("Period extended by two months"),
    "answered": lazy_gettext("Answered"),
    "refused": lazy_gettext("Refused"),
    "lifted": lazy_gettext("Restriction or objection lifted"),
}
CHANNEL_LABELS = {
    Channel.ACCOUNT.value: lazy_gettext("From the account"),
    Channel.FORM.value: lazy_gettext("Public form"),
    Channel.LETTER.value: lazy_gettext("Letter"),
    Channel.EMAIL.value: lazy_gettext("Email"),
}


def menu_links(user: Account | None) -> list[Link]:
    """My data rights for everyone signed in; the requests for officers."""
    if user is None:
        return [Link(label=_("Your data rights"), href=url_for("rgpd.rights"), group=Group.NETWORK)]
    links = [Link(label=_("My data rights"), href=url_for("rgpd.mine"), group=Group.ACCOUNT)]
    if officers.is_officer(user):
        links.append(
            Link(label=_("Data requests"), href=url_for("rgpd.dashboard"), group=Group.STEERING)
        )
    return links


def dashboard_panels(user: Account | None) -> list[Panel]:
    """The officers' open requests, overdue first."""
    if user is None or not officers.is_officer(user):
        return []
    html = render_template(
        "rgpd/_panel.html", open_requests=requests.dashboard(user)[:5], today=_today()
    )
    return [Panel(title=_("Data requests"), html=Markup(html))]


# The person


@blueprint.get("/mes-droits")
@login_required
def mine():
    """The person's requests, and the form to file one."""
    return _mine()


def _mine(values: dict[str, Any] | None = None, errors=None):
    account = current_account()
    return form_page(
        "rgpd/mine.html",
        errors,
        own=requests.own_requests(account),
        rights=service.RIGHTS,
        values=values or {},
    )


@blueprint.post("/mes-droits")
@login_required
def file_own():
    """File a request about one's own data."""
    values = form_values(request.form)
    try:
        made = requests.file_own(current_account(), values)
    except Invalid as error:
        return _mine(values, error.errors)
    flash(_("Your request is received. You will be answered within one month."), "success")
    return redirect(url_for(".follow", request_id=made.id))


@blueprint.get("/mes-droits/<int(max=2147483647):request_id>")
@login_required
def follow(request_id: int):
    """A request and its steps, for its person or an officer (with the officer's actions)."""
    return _follow(request_id)


def _follow(request_id: int, errors=None, form: str | None = None, values=None):
    account = current_account()
    found = requests.visible(account, request_id)
    return form_page(
        "rgpd/request.html",
        errors,
        found=found,
        steps=requests.steps_of(found),
        officer=officers.is_officer(account),
        kept=KEPT,
        form=form,
        values=values or {},
        today=_today(),
    )


# Without an account


@blueprint.get("/vos-droits")
def rights():
    """The rights a person has, how to exercise them, and the data protection officer."""
    return render_template(
        "rgpd/rights.html", rights=service.RIGHTS, contact=service.officer_contact()
    )


@blueprint.get("/exercer-mes-droits")
def public_form():
    """The form to exercise a right without signing in."""
    return form_page("rgpd/public_form.html", rights=service.RIGHTS, values={})


@blueprint.post("/exercer-mes-droits")
def file_public():
    """File a request; an email asks to confirm it."""
    values = form_values(request.form)
    try:
        requests.file_public(values)
    except Invalid as error:
        return form_page(
            "rgpd/public_form.html", error.errors, rights=service.RIGHTS, values=values
        )
    return render_template("rgpd/check_email.html")


@blueprint.get("/exercer-mes-droits/confirmer/<token>")
def confirm_page(token: str):
    """The page the emailed link opens: a button confirms."""
    return render_template("rgpd/confirm.html", token=token)


@blueprint.post("/exercer-mes-droits/confirmer/<token>")
def confirm(token: str):
    """Confirm a request filed through the public form: it is received today."""
    made = requests.confirm(token)
    return render_template("rgpd/confirmed.html", found=made)


@blueprint.get("/mes-donnees/export/<token>")
def export_page(token: str):
    """The page the emailed link to an export opens: a button downloads, once."""
    return render_template("rgpd/export.html", token=token)


@blueprint.post("/mes-donnees/export/<token>")
def export_download(token: str):
    """The ZIP of the person's data, once; the link is spent."""
    download = exports.download(token)
    response = Response(download.data, mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{download.file_name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# The officers


@blueprint.get("/rgpd/demandes")
@login_required
def dashboard():
    """Open requests by legal due date, overdue first; the latest closed; record one."""
    return _dashboard()


def _dashboard(values=None, errors=None):
    account = current_account()
    return form_page(
        "rgpd/dashboard.html",
        errors,
        open_requests=requests.dashboard(account),
        closed=requests.closed(account),
        rights=service.RIGHTS,
        values=values or {},
        today=_today(),
    )


@blueprint.post("/rgpd/demandes")
@login_required
def record():
    """Record a request received by letter or email."""
    values = form_values(request.form)
    try:
        made = requests.record(current_account(), values)
    except Invalid as error:
        return _dashboard(values, error.errors)
    flash(_("The request is recorded."), "success")
    return redirect(url_for(".follow", request_id=made.id))


ACTIONS = {
    "start": lambda officer, request_id, values: requests.start(officer, request_id),
    "identity": requests.ask_identity,
    "checked": requests.record_identity,
    "extend": requests.extend,
    "answer": requests.answer,
    "refuse": requests.refuse,
    "lift": requests.lift,
}


@blueprint.post(
    "/rgpd/demandes/<int(max=2147483647):request_id>"
    "/<any(start, identity, checked, extend, answer, refuse, lift):action>"
)
@login_required
def act(request_id: int, action: str):
    """One step of the workflow, by an officer."""
    values = form_values(request.form)
    try:
        ACTIONS[action](current_account(), request_id, values)
    except Invalid as error:
        return _follow(request_id, error.errors, form=action, values=values)
    flash(_("Done."), "success")
    return redirect(url_for(".follow", request_id=request_id))


@blueprint.get("/rgpd/registre")
@login_required
def register_page():
    """The register completed to the CNIL's model, its exports and issued PDFs."""
    account = current_account()
    return render_template(
        "rgpd/register.html",
        controller=register.controller(),
        headings=register.headings(),
        activities=register.activities(),
        issued=register.issued(account),
    )


@blueprint.get("/rgpd/registre.csv")
@login_required
def register_csv():
    """The register as CSV."""
    text = register.as_csv(current_account())
    response = Response(text, mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="registre.csv"'
    return response


@blueprint.post("/rgpd/registre/pdf")
@login_required
def register_issue():
    """Issue the register as a numbered PDF."""
    document = register.issue_pdf(current_account())
    return redirect(url_for(".register_pdf", document_id=document.id))


@blueprint.get("/rgpd/registre/<int(max=2147483647):document_id>.pdf")
@login_required
def register_pdf(document_id: int):
    """An issued PDF of the register."""
    return pdf_response(register.issued_one(current_account(), document_id))


@blueprint.get("/rgpd/conservation")
def retention():
    """How long each processing activity keeps its data."""
    return render_template("rgpd/retention.html", rows=service.retention())


def _today() -> datetime.date:
    return requests.today()


@blueprint.app_template_filter("rgpd_day")
def day(value: datetime.date | None) -> str:
    """A date as the reader writes it."""
    return format_date(value, "full", locale=get_locale()) if value else ""


@blueprint.app_template_filter("rgpd_status")
def status(value: str) -> str:
    """The translated name of a request's status."""
    return str(STATUS_LABELS.get(value, value))


@blueprint.app_template_filter("rgpd_kind")
def kind(value: str) -> str:
    """The translated name of a right."""
    return str(service.KIND_LABELS.get(value, value))


@blueprint.app_template_filter("rgpd_step")
def step(value: str) -> str:
    """The translated name of a step."""
    return str(STEP_LABELS.get(value, value))


@blueprint.app_template_filter("rgpd_channel")
def channel(value: str) -> str:
    """The translated name of a channel."""
    return str(CHANNEL_LABELS.get(value, value))
