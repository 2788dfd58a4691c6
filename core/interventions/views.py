"""Pages of interventions: request, answer, match, schedule, report; the agendas.

Views parse the form, call ``service`` (or ``agenda``, ``matching``) and
render or redirect with a message. A form refused with ``Invalid`` is shown again with its
values and the messages next to each field (HTTP 422); a ``Conflict`` (the intervention
moved on meanwhile) is shown above the page as it now stands (HTTP 409). The pages of
events are in ``event_views``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from markupsafe import Markup

from ..auth import permissions
from ..auth.models import Account, Role
from ..auth.web import current_account, login_required, roles_required
from ..clock import now
from ..errors import Conflict, Invalid, NotFound
from ..i18n import _, ngettext
from ..people import directory, educators
from ..people.models import Ambassador, InterventionType, Mode
from ..validation import validated
from ..web.forms import form_page, form_values, options, submitted
from ..web.navigation import Group, Link, Panel
from ..web.paging import page_number, page_url
from . import (
    access,
    agenda,
    details,
    due,
    labels,
    matching,
    meeting,
    preparation,
    schemas,
    service,
    surveys,
    times,
)
from .models import AudienceLevel, Intervention, Side

blueprint = Blueprint(
    "interventions",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/interventions",
)

REQUEST_SLOTS = 3  # rules.MAX_SLOTS: dates an educator proposes
DECLINE_SLOTS = 3  # rules.MAX_DECLINE_SLOTS: other dates an ambassador proposes
MAX_DAYS = 365
CONFIRMED = "yes"


def menu_links(user: Account | None) -> list[Link]:
    """The interventions area's entries of the main navigation, by role."""
    if user is None:
        return []
    links = []
    roles = (Role.AMBASSADOR, Role.EDUCATOR, Role.REFERENT, Role.ADMIN)
    if any(permissions.has_role(user, role) for role in roles):
        links.append(
            Link(
                label=_("My interventions"),
                href=url_for("interventions.agenda_page"),
                group=Group.INTERVENTIONS,
            )
        )
    if permissions.has_role(user, Role.EDUCATOR):
        links.append(
            Link(
                label=_("Request an intervention"),
                href=url_for("interventions.request_page"),
                group=Group.INTERVENTIONS,
            )
        )
    links.append(
        Link(label=_("Events"), href=url_for("events.events_page"), group=Group.INTERVENTIONS)
    )
    return links


@blueprint.app_context_processor
def request_permission() -> dict[str, Any]:
    """``may_request_interventions()`` for templates of other areas (the directory)."""
    return {
        "may_request_interventions": lambda: permissions.has_role(current_account(), Role.EDUCATOR)
    }


@blueprint.app_template_filter("shown")
def shown(moment: datetime.datetime | None, with_time: bool = True) -> str:
    """A stored (UTC) date as people read it, in their language and the region's zone."""
    return times.shown(moment, with_time)


# Small parsing helpers


def _number_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


def _local_input(moment: datetime.datetime | None) -> str:
    """A stored moment as a ``datetime-local`` field shows it (the region's time)."""
    return times.to_local(moment).strftime("%Y-%m-%dT%H:%M") if moment else ""


def render_page(
    template: str,
    errors: dict[str, list[str]] | None = None,
    *,
    http_status: int | None = None,
    **context: Any,
):
    """A page of the area, with its words and levels; a form shown again with ``errors``."""
    return form_page(
        template,
        errors,
        http_status=http_status,
        labels=labels,
        page_url=page_url,
        levels=[(level.value, labels.LEVEL_LABELS[level]) for level in AudienceLevel],
        **context,
    )


def _ambassador_names(interventions: list[Intervention]) -> dict[int, str]:
    """Public names of the ambassadors of ``interventions``, in one query."""
    ids = {item.ambassador_id for item in interventions if item.ambassador_id is not None}
    if not ids:
        return {}
    rows = (
        Ambassador.select(Ambassador.id, Account.first_name, Account.last_name)
        .join(Account)
        .where(Ambassador.id.in_(list(ids)))
    )
    return {row.id: row.account.display_name for row in rows}


# My interventions


@dataclass(frozen=True)
class Section:
    """A list of the agenda page: its title, a page of interventions, and its page parameter."""

    title: str
    page: agenda.Page
    param: str
    empty: str


# Where each piece of work is done: the agenda's section that lists it.
DUE_LINKS = {
    ("ambassador", due.Work.ANSWER): ({}, "page_repondre-title"),
    ("ambassador", due.Work.SCHEDULE): ({}, "page_avenir-title"),
    ("school", due.Work.SCHEDULE): ({"statut": "accepted"}, "page-title"),
    ("school", due.Work.REPORT): ({"statut": "scheduled"}, "page-title"),
    ("referent", due.Work.MATCH): ({}, "page_attente-title"),
    ("referent", due.Work.UNANSWERED): ({}, "page_sans_reponse-title"),
    ("referent", due.Work.LATE_REPORT): ({}, "page_en_cours-title"),
}


def due_label(item: due.Due) -> str:
    """What waits, counted: "2 requests to answer"."""
    count = item.count
    if item.work == due.Work.ANSWER:
        return ngettext("%(num)d request to answer", "%(num)d requests to answer", count)
    if item.work == due.Work.SCHEDULE:
        return ngettext("%(num)d date to fix", "%(num)d dates to fix", count)
    if item.work == due.Work.REPORT:
        return ngettext("%(num)d report to write", "%(num)d reports to write", count)
    if item.work == due.Work.MATCH:
        return ngettext(
            "%(num)d request waiting for an ambassador",
            "%(num)d requests waiting for an ambassador",
            count,
        )
    if item.work == due.Work.UNANSWERED:
        return ngettext(
            "%(num)d request unanswered for more than %(days)d days",
            "%(num)d requests unanswered for more than %(days)d days",
            count,
            days=agenda.DEFAULT_UNANSWERED_DAYS,
        )
    return ngettext(
        "%(num)d report not written a week after the intervention",
        "%(num)d reports not written a week after the intervention",
        count,
    )


def dashboard_panels(user: Account | None) -> list[Panel]:
    """ "To do": the work waiting for ``user`` in each of their roles, with where to do it."""
    items = due.work_due(user)
    if not items:
        return []
    rows = []
    for item in items:
        arguments, anchor = DUE_LINKS[(item.side, item.work)]
        href = url_for("interventions.agenda_page", _anchor=anchor, **arguments)
        rows.append((due_label(item), href))
    html = render_template("interventions/_due_panel.html", rows=rows)
    return [Panel(title=_("To do"), html=Markup(html))]


@blueprint.get("/interventions")
@login_required
def agenda_page():
    """The signed-in person's interventions: what to answer and what is coming, by role."""
    viewer = current_account()
    is_educator = permissions.has_role(viewer, Role.EDUCATOR)
    ambassador_sections, school_sections, referent_sections = [], [], []
    if access.ambassador_id_of(viewer) is not None:
        ambassador_sections = [
            Section(
                _("Requests to answer"),
                agenda.to_answer(viewer, page_number("page_repondre")),
                "page_repondre",
                _("No request is waiting for your answer."),
            ),
            Section(
                _("Coming up"),
                agenda.upcoming(viewer, page_number("page_avenir")),
                "page_avenir",
                _("No intervention is coming up."),
            ),
            Section(
                _("Past interventions"),
                agenda.past(viewer, page_number("page_passees")),
                "page_passees",
                _("No intervention has taken place yet."),
            ),
        ]
    status = request.args.get("statut") or None
    if status not in schemas.STATUSES:
        status = None
    if is_educator:
        school_sections = [
            Section(
                _("Requests of my schools"),
                agenda.of_schools(viewer, status, page_number("page")),
                "page",
                _("No request matches."),
            )
        ]
    days = _number_arg("jours") or agenda.DEFAULT_UNANSWERED_DAYS
    days = min(days, MAX_DAYS)
    if permissions.covered_territories(viewer) != set():
        referent_sections = [
            Section(
                _("Waiting for a match"),
                agenda.waiting_for_match(viewer, page_number("page_attente")),
                "page_attente",
                _("No request is waiting for an ambassador."),
            ),
            Section(
                _("Unanswered for more than %(days)s days", days=days),
                agenda.unanswered(viewer, days, page_number("page_sans_reponse")),
                "page_sans_reponse",
                _("Every request has been answered in time."),
            ),
            Section(
                _("Pending requests"),
                agenda.pending(viewer, page_number("page_en_cours")),
                "page_en_cours",
                _("No request is pending."),
            ),
        ]
    shown_items = [
        item
        for section in (*ambassador_sections, *school_sections, *referent_sections)
        for item in section.page.items
    ]
    return render_page(
        "interventions/agenda.html",
        ambassador_sections=ambassador_sections,
        school_sections=school_sections,
        referent_sections=referent_sections,
        chosen_status=status or "",
        statuses=options(schemas.STATUSES, labels.STATUS_LABELS),
        days=days,
        names=_ambassador_names(shown_items),
        can_request=is_educator,
    )


# Requesting an intervention


def _public_profile(viewer: Account | None, ambassador_id: Any) -> directory.PublicProfile | None:
    if ambassador_id in (None, ""):
        return None
    try:
        return directory.profile(viewer, int(ambassador_id))
    except (NotFound, ValueError):
        return None


@blueprint.route("/interventions/demander", methods=["GET", "POST"])
@roles_required(Role.EDUCATOR)
def request_page():
    """Ask for an intervention: to the ambassador given by ``?ambassadeur=``, or to the referent."""
    viewer = current_account()
    schools = educators.schools_of(viewer)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = form_values(request.form, lists=("slots",))
        profile = _public_profile(viewer, values.get("ambassador"))
        intervention, errors = submitted(lambda: service.request_intervention(viewer, values))
        if not errors:
            if profile is not None:
                done = _(
                    "Your request has been sent to %(name)s, who will answer here.",
                    name=profile.display_name,
                )
            else:
                done = _(
                    "Your request has been sent to your territorial referent, who will "
                    "find an ambassador."
                )
            flash(done, "success")
            return redirect(url_for(".show", intervention_id=intervention.id))
    else:
        asked = _number_arg("ambassadeur")
        profile = directory.profile(viewer, asked) if asked is not None else None
        values = {
            "ambassador": str(asked) if asked is not None else "",
            "organisation": str(schools[0].id) if len(schools) == 1 else "",
            "slots": [],
        }
        if profile is not None and len(profile.intervention_types) == 1:
            values["intervention_type"] = profile.intervention_types[0]
        if profile is not None and len(profile.modes) == 1:
            values["mode"] = profile.modes[0]
    types = profile.intervention_types if profile else [kind.value for kind in InterventionType]
    modes = profile.modes if profile else [mode.value for mode in Mode]
    return render_page(
        "interventions/request.html",
        errors,
        values=values,
        profile=profile,
        school_options=[(school.id, school.name) for school in schools],
        intervention_types=options(types, labels.INTERVENTION_LABELS),
        modes=options(modes, labels.MODE_LABELS),
        slot_count=REQUEST_SLOTS,
    )


# An intervention


def _future_slots(facts: dict[str, Any], side: Side | None = None) -> list[tuple[str, str]]:
    moment = now()
    return [
        (str(slot["id"]), times.shown(slot["starts_at"]))
        for slot in facts["slots"]
        if slot["starts_at"] > moment and (side is None or slot["proposed_by"] == side)
    ]


def _form_defaults(intervention: Intervention, facts: dict[str, Any]) -> dict[str, dict]:
    """The values each action's form starts with."""
    proposed = _future_slots(facts)
    offered = _future_slots(facts, Side.AMBASSADOR)
    return {
        "accept": {"slot": proposed[0][0] if proposed else ""},
        "decline": {"slots": []},
        "schedule": {
            "starts_at": _local_input(intervention.starts_at),
            "duration_minutes": str(intervention.duration_minutes),
        },
        "complete": {f"reach_{intervention.audience_level}": str(intervention.group_size)},
        "feedback": {},
        "renew": {"slot": offered[0][0] if offered else ""},
        "assign": {},
    }


def _render_detail(
    intervention_id: int,
    form: str | None = None,
    values: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    problem: str | None = None,
):
    """The detail page, with the form ``form`` shown again with ``values`` and ``errors``.

    Answered 409 with the ``problem`` when the intervention moved on meanwhile.
    """
    viewer = current_account()
    intervention = service.get_visible(viewer, intervention_id)
    facts = details.describe(viewer, intervention)
    actions = facts["actions"]
    form_values_by_action = _form_defaults(intervention, facts)
    if form is not None and values is not None:
        form_values_by_action[form] = values
    suggestions = matching.suggestions(viewer, intervention) if "assign" in actions else []
    levels = [intervention.audience_level] + [
        level.value for level in AudienceLevel if level != intervention.audience_level
    ]
    return render_page(
        "interventions/show.html",
        errors,
        http_status=409 if problem else None,
        intervention=intervention,
        facts=facts,
        actions=actions,
        form=form,
        values=form_values_by_action,
        problem=problem,
        suggestions=suggestions,
        proposed_slots=_future_slots(facts),
        ambassador_slots=_future_slots(facts, Side.AMBASSADOR),
        report_levels=options(levels, labels.LEVEL_LABELS),
        decline_reasons=options(schemas.DECLINE_REASONS, labels.DECLINE_REASON_LABELS),
        ratings=options(labels.RATING_LABELS, labels.RATING_LABELS),
        can_see_profiles=permissions.can_search_directory(viewer),
        decline_slot_count=DECLINE_SLOTS,
        may_set_meeting=meeting.may_set(viewer, intervention),
        offer_preparation=preparation.offered_for(viewer, intervention),
        own_answer=surveys.own_answer(viewer, intervention.id),
    )


@blueprint.get("/interventions/<int:intervention_id>")
@login_required
def show(intervention_id: int):
    """Every fact of an intervention, the other side's public name, and what one may do."""
    return _render_detail(intervention_id)


def _act(intervention_id: int, form: str, action, raw: dict, values: dict, done: str):
    """Call ``action``; on success say ``done`` and show the intervention it returns."""
    try:
        intervention = action(current_account(), intervention_id, raw)
    except Invalid as error:
        return _render_detail(intervention_id, form, values, error.errors)
    except Conflict as error:
        return _render_detail(intervention_id, form, values, problem=error.message)
    flash(done, "success")
    return redirect(url_for(".show", intervention_id=intervention.id))


@blueprint.post("/interventions/<int:intervention_id>/accepter")
@login_required
def accept(intervention_id: int):
    """The ambassador accepts on the date they choose among those proposed, which fixes it."""
    values = form_values(request.form)
    return _act(
        intervention_id,
        "accept",
        service.accept,
        values,
        values,
        _("You accepted the request: the date is fixed. The educational team has been told."),
    )


@blueprint.post("/interventions/<int:intervention_id>/refuser")
@login_required
def decline(intervention_id: int):
    """The ambassador declines, says why, may propose other dates, and confirms."""
    values = form_values(request.form, lists=("slots",))
    if values.get("confirm") != CONFIRMED:
        _declined, errors = submitted(lambda: validated(schemas.DeclineSchema, values))
        errors["confirm"] = [_("Tick the box to confirm that you decline the request.")]
        return _render_detail(intervention_id, "decline", values, errors)
    return _act(
        intervention_id,
        "decline",
        service.decline,
        values,
        values,
        _("You declined the request. The educational team has been told."),
    )


@blueprint.post("/interventions/<int:intervention_id>/planifier")
@login_required
def schedule(intervention_id: int):
    """Change the date of a scheduled intervention (or fix that of one accepted before
    accepting fixed it)."""
    values = form_values(request.form)
    return _act(
        intervention_id,
        "schedule",
        service.schedule,
        values,
        values,
        _("The date is saved. Both sides receive the invitation for their calendars."),
    )


@blueprint.post("/interventions/<int:intervention_id>/compte-rendu")
@login_required
def complete(intervention_id: int):
    """The school reports the intervention: young people reached by level, and a mark."""
    values = form_values(request.form)
    prefix = "reach_"
    reach = {
        key.removeprefix(prefix): value
        for key, value in values.items()
        if key.startswith(prefix) and value.strip()
    }
    raw = {key: value for key, value in values.items() if not key.startswith(prefix)}
    if reach:
        raw["reach"] = reach
    return _act(
        intervention_id,
        "complete",
        service.complete,
        raw,
        values,
        _("Thank you: the report is saved."),
    )


@blueprint.post("/interventions/<int:intervention_id>/avis")
@login_required
def feedback(intervention_id: int):
    """One side's feedback on a completed intervention."""
    values = form_values(request.form)
    return _act(
        intervention_id,
        "feedback",
        service.give_feedback,
        values,
        values,
        _("Thank you for your feedback."),
    )


@blueprint.post("/interventions/<int:intervention_id>/attribuer")
@login_required
def assign(intervention_id: int):
    """A referent gives a request waiting for a match to an ambassador."""
    values = form_values(request.form)
    return _act(
        intervention_id,
        "assign",
        service.assign,
        values,
        values,
        _("The request has been sent to the ambassador, who will answer it."),
    )


@blueprint.post("/interventions/<int:intervention_id>/redemander")
@login_required
def renew(intervention_id: int):
    """Ask the ambassador who declined again, on a date they proposed."""
    values = form_values(request.form)
    return _act(
        intervention_id,
        "renew",
        service.renew,
        values,
        values,
        _("A new request has been sent to the ambassador for the date they proposed."),
    )


@blueprint.post("/interventions/<int:intervention_id>/lien-de-reunion")
@login_required
def meeting_link(intervention_id: int):
    """The school or the ambassador gives the video meeting link of a remote intervention."""
    values = form_values(request.form)
    return _act(
        intervention_id,
        "meeting",
        meeting.set_link,
        values,
        values,
        _("The meeting link is saved. Only the participants see it."),
    )


@blueprint.route("/interventions/<int:intervention_id>/annuler", methods=["GET", "POST"])
@login_required
def cancel(intervention_id: int):
    """Cancel an intervention: a page that asks why, and to confirm."""
    viewer = current_account()
    intervention = service.get_visible(viewer, intervention_id)
    if "cancel" not in details.actions_for(viewer, intervention):
        raise Conflict(_("This intervention can no longer be cancelled."))
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    problem = None
    if request.method == "POST":
        values = form_values(request.form)
        errors = confirmation_errors(values)
        if not errors:
            try:
                _cancelled, errors = submitted(
                    lambda: service.cancel(viewer, intervention_id, values)
                )
            except Conflict as error:
                problem = error.message
            if not (errors or problem):
                flash(_("The intervention is cancelled. The other side has been told."), "success")
                return redirect(url_for(".show", intervention_id=intervention_id))
    return render_page(
        "interventions/cancel.html",
        errors,
        http_status=409 if problem else None,
        intervention=intervention,
        facts=details.describe(viewer, intervention),
        values=values,
        problem=problem,
    )


def confirmation_errors(values: dict[str, Any]) -> dict[str, list[str]]:
    """Without the box ticked, nothing is cancelled: say so, with the reason's own errors."""
    if values.get("confirm") == CONFIRMED:
        return {}
    _reason, errors = submitted(lambda: validated(schemas.CancelSchema, values))
    return {**errors, "confirm": [_("Tick the box to confirm the cancellation.")]}
