"""Pages of messaging: an intervention's thread, sharing contact details, notifications.

Thin, like every area's views: parse the form, call ``service``, render or redirect with a
message. A form refused with ``Invalid`` is shown again with its values and the messages
next to each field (HTTP 422). The thread answers 404 to anyone who is not a side of the
intervention.
"""

from __future__ import annotations

import datetime
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from markupsafe import Markup

from ..auth import permissions
from ..auth.models import Account
from ..auth.web import current_account, login_required
from ..errors import NotAllowed
from ..i18n import _, lazy_gettext
from ..interventions import access, details, labels, surveys, times
from ..interventions.service import get_visible
from ..web.forms import form_page, form_values, submitted
from ..web.navigation import Group, Link, Panel
from ..web.paging import page_number, page_url
from . import contacts, inbox, service
from .models import AuthorSide

blueprint = Blueprint("messaging", __name__, template_folder="templates")

CONFIRMED = "yes"
PANEL_SIZE = 5
SIDE_LABELS = {
    AuthorSide.AMBASSADOR: lazy_gettext("Ambassador"),
    AuthorSide.SCHOOL: lazy_gettext("Educational team"),
    AuthorSide.REFERENT: lazy_gettext("Referent"),
}


# Words for templates and emails (emails are rendered at delivery, from plain data)


@blueprint.app_template_filter("stored_moment")
def stored_moment(value: str | datetime.datetime | None, with_time: bool = True) -> str:
    """A stored (UTC) moment, or its ISO text, in the reader's language and the region's zone."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return times.shown(value, with_time)


@blueprint.app_template_global("intervention_type_label")
def intervention_type_label(code: str) -> str:
    """The words for an intervention type code."""
    return labels.label(labels.INTERVENTION_LABELS, code)


@blueprint.app_template_global("decline_reason_label")
def decline_reason_label(code: str | None) -> str:
    """The words for a reason to decline."""
    return labels.label(labels.DECLINE_REASON_LABELS, code)


@blueprint.app_template_global("author_side_label")
def author_side_label(code: str) -> str:
    """The words for the side a message comes from."""
    return labels.label(SIDE_LABELS, code)


# Navigation and dashboard


def menu_links(user: Account | None) -> list[Link]:
    """ "Notifications", with the number still unread."""
    if user is None:
        return []
    unread = inbox.unread_count(user)
    label = _("Notifications (%(count)d)", count=unread) if unread else _("Notifications")
    return [Link(label=label, href=url_for("messaging.notifications_page"), group=Group.MAIN)]


def dashboard_panels(user: Account | None) -> list[Panel]:
    """The latest notifications, when there are any."""
    if user is None:
        return []
    latest = inbox.latest_notifications(user, PANEL_SIZE)
    if not latest:
        return []
    html = render_template(
        "messaging/_panel.html",
        items=latest,
        unread=inbox.unread_count(user),
        target_url=target_url,
    )
    return [Panel(title=_("Notifications"), html=Markup(html))]


def target_url(notification: inbox.ShownNotification) -> str:
    """Where to act on ``notification``: the thread, or the intervention's page."""
    if notification.intervention_id is None:
        return url_for("messaging.notifications_page")
    if notification.in_thread:
        return url_for("messaging.thread", intervention_id=notification.intervention_id)
    anchor = "feedback-title" if notification.kind == "completed" else None
    return url_for(
        "interventions.show", intervention_id=notification.intervention_id, _anchor=anchor
    )


# The thread


def _render_thread(
    intervention_id: int,
    values: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    form: str | None = None,
):
    viewer = current_account()
    intervention = get_visible(viewer, intervention_id)
    page = service.messages_page(viewer, intervention_id, page_number(default=None))
    is_ambassador = access.is_ambassador_of(viewer, intervention)
    return form_page(
        "messaging/thread.html",
        errors,
        facts=details.describe(viewer, intervention),
        labels=labels,
        page=page,
        page_url=page_url,
        contacts=contacts.contacts_for(viewer, intervention_id),
        is_ambassador=is_ambassador,
        share=contacts.own_share(viewer, intervention_id) if is_ambassador else None,
        viewer=viewer,
        form=form,
        values=values or {},
    )


@blueprint.get("/interventions/<int:intervention_id>/messages")
@login_required
def thread(intervention_id: int):
    """The messages of an intervention, oldest first (the latest page by default)."""
    return _render_thread(intervention_id)


@blueprint.post("/interventions/<int:intervention_id>/messages")
@login_required
def write(intervention_id: int):
    """Write in the thread; the other participants are told."""
    values = form_values(request.form)
    message, errors = submitted(
        lambda: service.post_message(current_account(), intervention_id, values)
    )
    if errors:
        return _render_thread(intervention_id, values, errors, form="write")
    flash(_("Your message has been sent. The other participants have been told."), "success")
    return redirect(
        url_for(".thread", intervention_id=intervention_id, _anchor=f"message-{message.id}")
    )


@blueprint.post("/interventions/<int:intervention_id>/coordonnees")
@login_required
def share(intervention_id: int):
    """The ambassador shows their email and/or phone to the educational team."""
    chosen = request.form.getlist("share")
    values = {"share": chosen}
    raw = {"email": "email" in chosen, "phone": "phone" in chosen}
    _shared, errors = submitted(
        lambda: contacts.share_contacts(current_account(), intervention_id, raw)
    )
    if errors:
        return _render_thread(intervention_id, values, errors, form="share")
    flash(_("The educational team now sees the contact details you chose."), "success")
    return redirect(url_for(".thread", intervention_id=intervention_id))


@blueprint.route(
    "/interventions/<int:intervention_id>/coordonnees/retirer", methods=["GET", "POST"]
)
@login_required
def revoke(intervention_id: int):
    """Stop showing one's contact details, once confirmed."""
    viewer = current_account()
    intervention = get_visible(viewer, intervention_id)
    contacts.own_share(viewer, intervention_id)  # NotAllowed (403) for anyone but the ambassador
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if request.form.get("confirm") == CONFIRMED:
            contacts.revoke_contacts(viewer, intervention_id)
            flash(_("The educational team no longer sees your contact details."), "success")
            return redirect(url_for(".thread", intervention_id=intervention_id))
        errors = {"confirm": [_("Tick the box to confirm.")]}
    return form_page(
        "messaging/revoke.html",
        errors,
        facts=details.describe(viewer, intervention),
        labels=labels,
        values={},
    )


# Notifications


@blueprint.get("/notifications")
@login_required
def notifications_page():
    """My notifications, latest first, unread ones marked."""
    viewer = current_account()
    page = inbox.notifications_page(viewer, page_number())
    return render_template(
        "messaging/notifications.html",
        page=page,
        page_url=page_url,
        unread=inbox.unread_count(viewer),
        target_url=target_url,
        follows_threads=permissions.covered_territories(viewer) != set(),
        each_message=inbox.emailed_each_message(viewer),
        accepts_surveys=not surveys.refuses_surveys(viewer),
    )


@blueprint.post("/notifications/courriels")
@login_required
def choose_emails():
    """A referent chooses whether each message of the threads they follow emails them."""
    viewer = current_account()
    if permissions.covered_territories(viewer) == set():
        raise NotAllowed(_("Only referents follow the threads of a territory."))
    each_message = request.form.get("each_message") == "yes"
    inbox.choose_each_message_emails(viewer, each_message)
    flash(
        _("You will get an email for each message of the threads you follow.")
        if each_message
        else _("You will see new messages in your notifications, without an email."),
        "success",
    )
    return redirect(url_for(".notifications_page"))


@blueprint.post("/notifications/enquetes")
@login_required
def choose_surveys():
    """Anybody chooses whether they are sent satisfaction surveys after interventions."""
    accepted = request.form.get("surveys") == "yes"
    surveys.choose_surveys(current_account(), accepted)
    flash(
        _("You will be asked for your opinion after your interventions.")
        if accepted
        else _("You will no longer be sent surveys."),
        "success",
    )
    return redirect(url_for(".notifications_page", _anchor="surveys-title"))


@blueprint.get("/notifications/<int:notification_id>")
@login_required
def open_notification(notification_id: int):
    """Mark a notification read and go where it is acted on."""
    return redirect(target_url(inbox.mark_read(current_account(), notification_id)))


@blueprint.post("/notifications/<int:notification_id>/lue")
@login_required
def mark_read(notification_id: int):
    """Mark one notification read."""
    inbox.mark_read(current_account(), notification_id)
    flash(_("The notification is marked as read."), "success")
    return redirect(url_for(".notifications_page", page=request.args.get("page", 1)))


@blueprint.post("/notifications/tout-lu")
@login_required
def mark_all_read():
    """Mark every notification read."""
    inbox.mark_all_read(current_account())
    flash(_("Every notification is marked as read."), "success")
    return redirect(url_for(".notifications_page"))
