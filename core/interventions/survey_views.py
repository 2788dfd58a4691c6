"""The satisfaction survey reached by its emailed link, and withdrawing one's answer.

The link works without signing in (it was sent to one person, and works once); its page
is never cached and its address never sent to another site as a referrer.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from ..auth.web import current_account, login_required
from ..errors import Invalid, NotAllowed
from ..i18n import _
from ..web.forms import form_values, options
from . import labels, surveys
from .models import SurveyInvitation

blueprint = Blueprint("surveys", __name__, template_folder="templates")


@blueprint.route("/enquete/<token>", methods=["GET", "POST"])
def answer(token: str):
    """The survey: a mark from 1 to 5 and an optional comment, sent once."""
    try:
        invitation = surveys.invitation_for_link(token)
    except Invalid as error:
        return _link_unusable(error)
    if request.method == "GET":
        return _page(invitation, {})
    values = form_values(request.form)
    try:
        surveys.answer_by_link(token, values, current_account())
    except Invalid as error:
        if "token" in error.errors:
            return _link_unusable(error)
        return _page(invitation, values, error.errors, status=422)
    except NotAllowed as error:
        return _page(invitation, values, status=403, problem=error.message)
    return _private(render_template("interventions/survey_thanks.html"))


@blueprint.post("/interventions/<int:intervention_id>/avis/retirer")
@login_required
def withdraw(intervention_id: int):
    """Withdraw my answer about the intervention, once confirmed."""
    if request.form.get("confirm") != "yes":
        flash(_("Tick the box to confirm that your answer should be deleted."), "error")
    else:
        surveys.withdraw(current_account(), intervention_id)
        flash(_("Your answer has been deleted."), "success")
    return redirect(url_for("interventions.show", intervention_id=intervention_id))


def _page(
    invitation: SurveyInvitation,
    values: dict[str, Any],
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
    problem: str | None = None,
):
    page = render_template(
        "interventions/survey.html",
        intervention=invitation.intervention,
        values=values,
        errors=errors or {},
        problem=problem,
        labels=labels,
        ratings=options(labels.RATING_LABELS, labels.RATING_LABELS),
    )
    return _private(page), status


def _link_unusable(error: Invalid):
    reason = " ".join(error.errors.get("token", []))
    return _private(render_template("interventions/survey_unusable.html", reason=reason)), 410


def _private(page: Any) -> Response:
    """Never cached, and the link (its token) never sent to another site as a referrer."""
    response = page if isinstance(page, Response) else Response(page, mimetype="text/html")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
