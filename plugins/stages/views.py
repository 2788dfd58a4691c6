"""The plugin's pages: parse the form, call the services, render.

Hosts publish offers; teachers search them and propose pupils; the host answers; the
school prepares the convention, follows its signatures (or records them on paper), changes
dates or schedule (signed again), starts and closes the internship; the host evaluates;
referents highlight offers and see the priority classes still without placement. A form
with mistakes is shown again (422) with its messages.
"""

from __future__ import annotations

import datetime

from babel.dates import format_date
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from markupsafe import Markup

from tremplin.auth.models import Account
from tremplin.auth.web import current_account, login_required
from tremplin.documents import service as documents
from tremplin.documents.views import pdf_response
from tremplin.errors import Invalid
from tremplin.i18n import get_locale
from tremplin.web.forms import form_page, form_values
from tremplin.web.navigation import Group, Link, Panel
from tremplin.web.paging import page_number

from . import after, conventions, offers, overview, placements, plugin, schedule, service
from .i18n import _, lazy_gettext
from .models import Convention, Placement

blueprint = Blueprint(plugin.name, __name__, template_folder="templates", url_prefix="/stages")

ID = "int(max=2147483647)"
STATUS_LABELS = {
    "proposed": lazy_gettext("Waiting for the host"),
    "accepted": lazy_gettext("Accepted"),
    "declined": lazy_gettext("Declined"),
    "started": lazy_gettext("Started"),
    "completed": lazy_gettext("Completed"),
    "cancelled": lazy_gettext("Cancelled"),
    "signing": lazy_gettext("Being signed"),
    "signed": lazy_gettext("Signed"),
}
LEVEL_LABELS = {
    "4e": lazy_gettext("4e"),
    "3e": lazy_gettext("3e"),
    "2de": lazy_gettext("Seconde"),
    "holidays": lazy_gettext("Holiday mini-stage"),
}


def menu_links(user: Account | None) -> list[Link]:
    """Offers for those who read them; placements for schools and hosts; the equity list."""
    if user is None or not service.may_search(user):
        return []
    links = [Link(label=_("Internships"), href=url_for("stages.index"), group=Group.NETWORK)]
    if service.schools_of(user) or service.hosts_of(user):
        links.append(
            Link(
                label=_("Pupils in internship"),
                href=url_for("stages.my_placements"),
                group=Group.NETWORK,
            )
        )
    if service.is_referent(user):
        links.append(
            Link(
                label=_("Classes without internship"),
                href=url_for("stages.equity"),
                group=Group.STEERING,
            )
        )
    return links


def dashboard_panels(user: Account | None) -> list[Panel]:
    """For schools and hosts: pupils to answer, conventions not yet signed."""
    if user is None or not (service.schools_of(user) or service.hosts_of(user)):
        return []
    html = render_template("stages/_panel.html", waiting=placements.waiting_for(user))
    return [Panel(title=_("Internships"), html=Markup(html))]


# Offers


@blueprint.get("/")
@login_required
def index():
    """Search the offers; the reader's own hosts' offers."""
    account = current_account()
    values = request.args.to_dict()
    errors, page = None, None
    try:
        page = offers.search_offers(account, values, page_number() or 1)
    except Invalid as error:
        errors = error.errors
    return form_page(
        "stages/index.html",
        errors,
        values=values,
        page=page,
        hosts=sorted(service.hosts_of(account)),
        schools=sorted(service.schools_of(account)),
        school_options=[
            (str(i), service.organisation(i).name) for i in sorted(service.schools_of(account))
        ],
        own=offers.offers_of(service.hosts_of(account)),
        levels=LEVEL_LABELS,
    )


@blueprint.route(f"/hotes/<{ID}:host_id>/offres", methods=["GET", "POST"])
@login_required
def new_offer(host_id: int):
    """A host publishes an offer."""
    host = service.require_host(current_account(), host_id)
    if request.method == "GET":
        return form_page("stages/offer_form.html", host=host, values={}, levels=LEVEL_LABELS)
    values = form_values(request.form, lists=["levels"])
    try:
        offer = offers.publish(current_account(), host_id, values)
    except Invalid as error:
        return form_page(
            "stages/offer_form.html", error.errors, host=host, values=values, levels=LEVEL_LABELS
        )
    flash(_("The offer is published."), "success")
    return redirect(url_for(".offer", offer_id=offer.id))


@blueprint.get(f"/offres/<{ID}:offer_id>")
@login_required
def offer(offer_id: int):
    """An offer, and the form to propose a pupil (teachers)."""
    return _offer(offer_id)


def _offer(offer_id: int, values=None, errors=None):
    account = current_account()
    item = offers.visible(account, offer_id)
    return form_page(
        "stages/offer.html",
        errors,
        offer=item,
        schools=[service.organisation(i) for i in sorted(service.schools_of(account))],
        is_host=item.host_id in service.hosts_of(account),
        may_highlight=offers.may_highlight(account, item),
        values=values or {"offer": item.id, "first_day": "", "last_day": ""},
        levels=LEVEL_LABELS,
    )


@blueprint.post(f"/offres/<{ID}:offer_id>/proposer")
@login_required
def propose(offer_id: int):
    """A teacher proposes a pupil; the schedule is checked against the rules for minors."""
    values = {**form_values(request.form), "offer": offer_id}
    try:
        placement = placements.propose(current_account(), values)
    except Invalid as error:
        return _offer(offer_id, values, error.errors)
    flash(_("The pupil is proposed; the host has been told."), "success")
    return redirect(url_for(".placement", placement_id=placement.id))


@blueprint.post(f"/offres/<{ID}:offer_id>/mise-en-avant")
@login_required
def highlight(offer_id: int):
    """A referent highlights the offer, or stops."""
    offers.highlight(current_account(), offer_id, request.form.get("on") == "1")
    return redirect(url_for(".offer", offer_id=offer_id))


@blueprint.post(f"/offres/<{ID}:offer_id>/fermer")
@login_required
def close(offer_id: int):
    """The host closes the offer."""
    offers.close(current_account(), offer_id)
    flash(_("The offer is closed."), "success")
    return redirect(url_for(".offer", offer_id=offer_id))


# Placements


@blueprint.get("/eleves")
@login_required
def my_placements():
    """The placements of the reader's schools and hosts."""
    return render_template(
        "stages/placements.html", placements=placements.placements_of(current_account())
    )


@blueprint.get(f"/eleves/<{ID}:placement_id>")
@login_required
def placement(placement_id: int):
    """A placement: pupil, dates, schedule, convention and its signatures, what comes after."""
    return _placement(placement_id)


def _placement(placement_id: int, values=None, errors=None, form=None):
    account = current_account()
    item = service.placement_for(account, placement_id)
    week = schedule.load(item.schedule)
    convention = conventions.convention_of(item.id)
    return form_page(
        "stages/placement.html",
        errors,
        placement=item,
        sides=service.sides_of(account, item),
        guardians=placements.guardians_of(item),
        week=week,
        schedule_text="\n".join(
            f"{day} " + " ".join(f"{s}-{e}" for s, e in stretches)
            for day, stretches in week.items()
        ),
        convention=convention,
        document=conventions.document_of(convention),
        signatories=conventions.signatories(item),
        form=form,
        values=values or {},
        levels=LEVEL_LABELS,
    )


def _act(placement_id: int, form: str, action, done: str):
    """Run ``action(values)``; the placement page again with the form's errors on ``Invalid``."""
    values = form_values(request.form)
    try:
        action(values)
    except Invalid as error:
        return _placement(placement_id, values, error.errors, form)
    flash(done, "success")
    return redirect(url_for(".placement", placement_id=placement_id))


@blueprint.post(f"/eleves/<{ID}:placement_id>/reponse")
@login_required
def answer(placement_id: int):
    """The host accepts or declines the pupil."""
    return _act(
        placement_id,
        "answer",
        lambda values: placements.answer(current_account(), placement_id, values),
        _("Your answer is recorded; the teacher has been told."),
    )


@blueprint.post(f"/eleves/<{ID}:placement_id>/horaires")
@login_required
def change(placement_id: int):
    """The school changes the dates or the schedule (the convention is signed again)."""
    return _act(
        placement_id,
        "change",
        lambda values: placements.change(current_account(), placement_id, values),
        _("The dates and schedule are saved."),
    )


@blueprint.post(f"/eleves/<{ID}:placement_id>/convention")
@login_required
def prepare_convention(placement_id: int):
    """The school prepares the convention and sends it to be signed."""
    return _act(
        placement_id,
        "convention",
        lambda values: conventions.prepare(current_account(), placement_id, values),
        _("The convention is sent: every signatory received their link by email."),
    )


@blueprint.post(f"/eleves/<{ID}:placement_id>/papier")
@login_required
def paper(placement_id: int):
    """The school records a signature on paper (with its scan, optionally)."""
    upload = request.files.get("scan")
    scan = upload.read() if upload and upload.filename else None
    return _act(
        placement_id,
        "paper",
        lambda values: conventions.record_paper(current_account(), placement_id, values, scan),
        _("The signature on paper is recorded."),
    )


@blueprint.post(f"/eleves/<{ID}:placement_id>/lien/<{ID}:signatory_id>")
@login_required
def send_link(placement_id: int, signatory_id: int):
    """A new signing link for a signatory."""
    conventions.send_link_again(current_account(), placement_id, signatory_id)
    flash(_("A new link is sent."), "success")
    return redirect(url_for(".placement", placement_id=placement_id))


@blueprint.post(f"/eleves/<{ID}:placement_id>/debut")
@login_required
def start(placement_id: int):
    """The internship starts (once the convention is signed by everyone)."""
    placements.start(current_account(), placement_id)
    flash(_("The internship has started."), "success")
    return redirect(url_for(".placement", placement_id=placement_id))


@blueprint.post(f"/eleves/<{ID}:placement_id>/fin")
@login_required
def complete(placement_id: int):
    """The internship is over."""
    placements.complete(current_account(), placement_id)
    flash(_("The internship is completed."), "success")
    return redirect(url_for(".placement", placement_id=placement_id))


@blueprint.post(f"/eleves/<{ID}:placement_id>/annuler")
@login_required
def cancel(placement_id: int):
    """Either side cancels, with a reason; everyone is told."""
    return _act(
        placement_id,
        "cancel",
        lambda values: placements.cancel(current_account(), placement_id, values),
        _("The internship is cancelled; everyone has been told."),
    )


@blueprint.post(f"/eleves/<{ID}:placement_id>/evaluation")
@login_required
def evaluate(placement_id: int):
    """The host's short evaluation."""
    return _act(
        placement_id,
        "evaluation",
        lambda values: after.evaluate(current_account(), placement_id, values),
        _("Your evaluation is saved."),
    )


@blueprint.post(f"/eleves/<{ID}:placement_id>/compte-rendu")
@login_required
def report(placement_id: int):
    """The pupil's report, kept by the school."""
    return _act(
        placement_id,
        "report",
        lambda values: after.report(current_account(), placement_id, values),
        _("The report is saved."),
    )


@blueprint.post(f"/eleves/<{ID}:placement_id>/attestation")
@login_required
def certificate(placement_id: int):
    """The attendance certificate (PDF)."""
    document = after.certificate(current_account(), placement_id)
    return redirect(url_for(".document_pdf", document_id=document.id))


@blueprint.get(f"/documents/<{ID}:document_id>.pdf")
@login_required
def document_pdf(document_id: int):
    """A convention or certificate, for the placement's school and host only."""
    document = documents.get(document_id)
    if document.owner != plugin.name:
        abort(404)
    kind, _sep, number = document.subject.partition(":")
    placement_id = int(number)
    if kind == "convention":
        convention = Convention.get_or_none(Convention.id == placement_id)
        if convention is None:
            abort(404)
        placement_id = convention.placement_id
    item = Placement.get_or_none(Placement.id == placement_id)
    if item is None or not service.sides_of(current_account(), item):
        abort(404)
    return pdf_response(document)


# Classes and equity


@blueprint.route(f"/ecoles/<{ID}:school_id>/classes", methods=["GET", "POST"])
@login_required
def classes(school_id: int):
    """A school's classes and the dates of their sequence."""
    account = current_account()
    values, errors = {}, None
    if request.method == "POST":
        values = form_values(request.form)
        try:
            overview.declare_class(account, school_id, values)
        except Invalid as error:
            errors = error.errors
        else:
            flash(_("The class is saved."), "success")
            return redirect(url_for(".classes", school_id=school_id))
    return form_page(
        "stages/classes.html",
        errors,
        school=service.organisation(school_id),
        classes=overview.classes_of(account, school_id),
        values=values,
        levels=LEVEL_LABELS,
    )


@blueprint.get("/classes-sans-stage")
@login_required
def equity():
    """Priority schools' 3e classes whose pupils are not all placed, a month before."""
    return render_template(
        "stages/equity.html", rows=overview.classes_without_placement(current_account())
    )


@blueprint.app_template_filter("stages_day")
def day(value: datetime.date | None) -> str:
    """A date as the reader writes it."""
    return format_date(value, "medium", locale=get_locale()) if value else ""


@blueprint.app_template_filter("stages_status")
def status(value: str) -> str:
    """The translated name of a placement's or convention's status."""
    return str(STATUS_LABELS.get(value, value))


@blueprint.app_template_filter("stages_weekday")
def weekday(value: str) -> str:
    """The translated name of a weekday spelt ``Mon``...``Sun``."""
    return str(conventions.DAY_LABELS.get(value, value))


@blueprint.app_template_filter("stages_level")
def level(value: str) -> str:
    """The translated name of a level."""
    return str(LEVEL_LABELS.get(value, value))
