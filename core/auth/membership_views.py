"""Pages of team membership: the requests to approve, and the person's own memberships.

Views parse, call ``memberships`` (which checks every right) and render.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask import request as http_request
from markupsafe import Markup

from ..i18n import _
from ..web.forms import form_page
from ..web.navigation import Group, Link, Panel
from . import memberships
from .models import Account
from .views import ROLE_LABELS
from .web import current_account, login_required

blueprint = Blueprint("memberships", __name__, template_folder="templates")

CONFIRMED = "yes"


def menu_links(user: Account | None) -> list[Link]:
    """ "Membership requests" for whoever has some to answer; "My teams" for a member."""
    if user is None:
        return []
    links = []
    waiting = memberships.waiting_for(user)
    if waiting:
        links.append(
            Link(
                label=_("Membership requests (%(count)d)", count=len(waiting)),
                href=url_for("memberships.requests"),
                group=Group.ACCOUNT,
            )
        )
    if memberships.memberships_of(user):
        links.append(
            Link(label=_("My teams"), href=url_for("memberships.mine"), group=Group.ACCOUNT)
        )
    return links


def dashboard_panels(user: Account | None) -> list[Panel]:
    """Memberships waiting: the person's own (whom they wait for), and those to answer."""
    if user is None:
        return []
    own = [item for item in memberships.memberships_of(user) if item.grant.pending]
    to_answer = memberships.waiting_for(user)
    if not (own or to_answer):
        return []
    html = render_template("auth/_memberships_panel.html", own=own, to_answer=to_answer)
    return [Panel(title=_("Team membership"), html=Markup(html))]


@blueprint.get("/equipes/adhesions")
@login_required
def requests():
    """The people waiting to join an organisation the viewer is a member or referent of."""
    return form_page(
        "auth/membership_requests.html",
        grants=memberships.waiting_for(current_account()),
        role_labels=_role_labels(),
    )


@blueprint.post("/equipes/adhesions/<int:grant_id>/accepter")
@login_required
def approve(grant_id: int):
    """Approve a membership: the person now sees what the organisation's team sees."""
    grant = memberships.approve(current_account(), grant_id)
    flash(
        _(
            "%(name)s is now a member of %(organisation)s and has been told.",
            name=grant.account.display_name,
            organisation=grant.organisation.name,
        ),
        "success",
    )
    return redirect(url_for(".requests"))


@blueprint.route("/equipes/adhesions/<int:grant_id>/refuser", methods=["GET", "POST"])
@login_required
def refuse(grant_id: int):
    """Refuse a membership, once confirmed."""
    viewer = current_account()
    grant = memberships.get_decidable(viewer, grant_id)
    errors: dict[str, list[str]] = {}
    if http_request.method == "POST":
        if http_request.form.get("confirm") == CONFIRMED:
            memberships.refuse(viewer, grant_id)
            flash(_("The request is refused. The person has been told."), "success")
            return redirect(url_for(".requests"))
        errors = {"confirm": [_("Tick the box to confirm the refusal.")]}
    return form_page("auth/membership_refuse.html", errors, grant=grant, role_labels=_role_labels())


@blueprint.get("/mon-equipe")
@login_required
def mine():
    """The person's memberships: those in force, and those waiting, with whom they wait for."""
    return form_page(
        "auth/my_memberships.html",
        memberships=memberships.memberships_of(current_account()),
        role_labels=_role_labels(),
    )


@blueprint.post("/mon-equipe/<int:grant_id>/quitter")
@login_required
def leave(grant_id: int):
    """Leave an organisation's team, or withdraw a request to join it."""
    memberships.leave(current_account(), grant_id)
    flash(_("You are no longer a member of this team. Its requests stay with it."), "success")
    return redirect(url_for(".mine"))


def _role_labels() -> dict[str, str]:
    return {role.value: label() for role, label in ROLE_LABELS.items()}
