"""The private calendar page and the feed it gives the address of.

``/agenda/calendrier`` (signed in) shows the person's private address, makes it, and
revokes it for a new one once they confirm; ``/calendrier/<token>.ics`` serves the feed to
calendar apps, without signing in: the token is the key, and an unknown or revoked one
answers 404.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, request, url_for

from ..auth.models import Account
from ..auth.web import current_account, login_required
from ..i18n import _
from ..web.forms import form_page, form_values, submitted
from ..web.navigation import Group, Link
from . import service

blueprint = Blueprint("calendars", __name__, template_folder="templates")

CONFIRMED = "yes"
FEED_MIMETYPE = "text/calendar"


def menu_links(user: Account | None) -> list[Link]:
    """ "My calendar" for everyone signed in."""
    if user is None:
        return []
    return [Link(label=_("My calendar"), href=url_for("calendars.page"), group=Group.INTERVENTIONS)]


def intervention_link(intervention_id: int) -> str:
    """The absolute address of an intervention's page (in emails and calendars)."""
    return url_for("interventions.show", intervention_id=intervention_id, _external=True)


def _render(values: dict[str, Any] | None = None, errors: dict[str, list[str]] | None = None):
    feed = service.feed_of(current_account())
    address = url_for(".feed", token=feed.token, _external=True) if feed else None
    return form_page(
        "calendars/page.html",
        errors,
        feed=feed,
        address=address,
        webcal=address.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1)
        if address
        else None,
        values=values or {},
    )


@blueprint.get("/agenda/calendrier")
@login_required
def page():
    """The private address of my calendar, how to subscribe to it, and how to revoke it."""
    return _render()


@blueprint.post("/agenda/calendrier")
@login_required
def create():
    """Make my private address (the one I have, if I have one)."""
    service.create_feed(current_account())
    flash(_("Your private calendar address is ready: add it to your calendar app."), "success")
    return redirect(url_for(".page"))


@blueprint.post("/agenda/calendrier/nouvelle-adresse")
@login_required
def renew():
    """Revoke my private address and make a new one, once I confirmed."""
    values = form_values(request.form)
    confirmed = values.get("confirm") == CONFIRMED
    _feed, errors = submitted(lambda: service.renew_feed(current_account(), confirmed=confirmed))
    if errors:
        return _render(values, errors)
    flash(
        _(
            "The old address no longer works. Subscribe again with the new one in your "
            "calendar app."
        ),
        "success",
    )
    return redirect(url_for(".page"))


@blueprint.get("/calendrier/<token>.ics")
def feed(token: str):
    """The feed of the account holding ``token``; 404 when unknown or revoked."""
    account = service.account_for_token(token)
    response = Response(service.feed_text(account, intervention_link), mimetype=FEED_MIMETYPE)
    response.headers["Content-Disposition"] = 'inline; filename="interventions.ics"'
    # The address is a secret: no shared cache keeps it, no search engine lists it.
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
