"""The plugin's pages: parse the form, call the services, render.

Those who run a competition create it, add its skills and marking schemes, check and
import its candidates, appoint the marking teams, publish the results, select for the next
level and invite the medallists; judges declare their links and enter marks; the chief
expert locks them; anybody registers as a candidate and reads the published results. A
form with mistakes is shown again (422) with its messages.
"""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from tremplin.auth.models import Account
from tremplin.auth.web import current_account, login_required
from tremplin.documents.views import pdf_response
from tremplin.errors import Invalid
from tremplin.i18n import get_locale
from tremplin.imports import ImportFileError
from tremplin.web.forms import form_page, form_values
from tremplin.web.navigation import Group, Link

from . import (
    candidates,
    competitions,
    invitations,
    judges,
    labels,
    marks,
    plugin,
    results,
    service,
)
from .i18n import _
from .scoring import Award

blueprint = Blueprint(plugin.name, __name__, template_folder="templates", url_prefix="/worldskills")
ID = "int(max=2147483647)"


def menu_links(user: Account | None) -> list[Link]:
    """The competitions, for everybody: published results, and those one runs or marks."""
    return [Link(label=_("WorldSkills"), href=url_for("worldskills.index"), group=Group.NETWORK)]


@blueprint.app_template_filter("worldskills_label")
def label_filter(code: Any, kind: str) -> str:
    """The name of a level, pathway, status, role or aspect kind."""
    names = {
        "level": labels.LEVELS,
        "pathway": labels.PATHWAYS,
        "status": labels.STATUSES,
        "role": labels.ROLES,
        "aspect": labels.ASPECT_KINDS,
    }[kind]
    return labels.label(names, code)


@blueprint.app_template_filter("worldskills_number")
def number_filter(value: float) -> str:
    """A number with two decimals, written the reader's way (1,75 in French)."""
    return format_decimal(value, format="0.00", locale=get_locale())


@blueprint.app_template_filter("worldskills_award")
def award_filter(code: str | None) -> str:
    """The name of an award, or nothing."""
    return Award(code).label if code else ""


# Competitions


@blueprint.get("/")
def index():
    """Competitions with published results, those one runs, and the form to create one."""
    return _index()


def _index(values: dict[str, Any] | None = None, errors=None):
    account = current_account()
    return form_page(
        "worldskills/index.html",
        errors,
        competitions=competitions.visible(account),
        runs=service.runs_any(account),
        values=values or {},
    )


@blueprint.post("/concours")
@login_required
def create_competition():
    """A new competition."""
    values = form_values(request.form)
    try:
        competition = competitions.create(current_account(), values)
    except Invalid as error:
        return _index(values, error.errors)
    return redirect(url_for(".competition", competition_id=competition.id))


@blueprint.get(f"/concours/<{ID}:competition_id>")
@login_required
def competition(competition_id: int):
    """A competition as those who run it see it."""
    return _competition(competition_id)


def _competition(competition_id: int, values=None, errors=None, form=None, report=None):
    account = current_account()
    competition = service.competition(competition_id)
    service.require_runner(account, competition)
    return form_page(
        "worldskills/competition.html",
        errors,
        competition=competition,
        skills=competitions.skills_of(competition.id),
        candidates=candidates.of_competition(account, competition.id),
        values=values or {},
        form=form,
        report=report,
        target_year=service.target_year(competition),
    )


@blueprint.post(f"/concours/<{ID}:competition_id>/epreuves")
@login_required
def add_skill(competition_id: int):
    """A skill of the competition."""
    values = form_values(request.form)
    try:
        competitions.add_skill(current_account(), competition_id, values)
    except Invalid as error:
        return _competition(competition_id, values, error.errors, "skill")
    flash(_("The skill is added."), "success")
    return redirect(url_for(".competition", competition_id=competition_id))


@blueprint.post(f"/concours/<{ID}:competition_id>/import")
@login_required
def import_candidates(competition_id: int):
    """Candidates from a CSV file."""
    upload = request.files.get("file")
    text = upload.read().decode("utf-8-sig", errors="replace") if upload else ""
    try:
        rows = candidates.csv_rows(text)
    except ImportFileError as error:
        return _competition(competition_id, {}, {"file": [str(error)]}, "import")
    report = candidates.import_rows(current_account(), competition_id, rows)
    return _competition(competition_id, form="import", report=report)


@blueprint.post(f"/candidats/<{ID}:candidate_id>/verification")
@login_required
def check_candidate(candidate_id: int):
    """A referent's decision on a registration."""
    candidate = service.candidate(candidate_id)
    values = form_values(request.form)
    try:
        candidates.check(current_account(), candidate_id, values)
    except Invalid as error:
        return _competition(candidate.competition_id, values, error.errors, f"check{candidate_id}")
    return redirect(url_for(".competition", competition_id=candidate.competition_id))


@blueprint.post(f"/concours/<{ID}:competition_id>/publication")
@login_required
def publish(competition_id: int):
    """Publish the results of the locked skills."""
    results.publish(current_account(), competition_id)
    flash(_("The results are published."), "success")
    return redirect(url_for(".public_results", competition_id=competition_id))


@blueprint.post(f"/concours/<{ID}:competition_id>/selection")
@login_required
def select(competition_id: int):
    """Register the winners at the next level."""
    outcome = results.select(current_account(), competition_id)
    flash(_("%(count)s candidates selected for the next level.", count=outcome.selected), "success")
    for reason in outcome.skipped:
        flash(reason, "warning")
    return redirect(url_for(".competition", competition_id=competition_id))


@blueprint.post(f"/concours/<{ID}:competition_id>/invitations")
@login_required
def invite(competition_id: int):
    """Invite the medallists and finalists to become ambassadors."""
    count = invitations.invite(current_account(), competition_id)
    flash(_("%(count)s invitations sent.", count=count), "success")
    return redirect(url_for(".competition", competition_id=competition_id))


@blueprint.get(f"/concours/<{ID}:competition_id>/resultats.csv")
@login_required
def results_csv(competition_id: int):
    """Every result of the competition, as CSV."""
    text = results.export_csv(current_account(), competition_id)
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=resultats-{competition_id}.csv"},
    )


# Registration


@blueprint.route(f"/concours/<{ID}:competition_id>/inscription", methods=["GET", "POST"])
def register(competition_id: int):
    """A candidate registers, or is registered by their training centre or employer."""
    competition = service.competition(competition_id)
    values = form_values(request.form) if request.method == "POST" else {}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            candidates.register(current_account(), competition.id, values)
        except Invalid as error:
            errors = error.errors
        else:
            return render_template("worldskills/registered.html", competition=competition)
    return form_page(
        "worldskills/register.html",
        errors,
        competition=competition,
        skills=competitions.skills_of(competition.id),
        values=values,
        target_year=service.target_year(competition),
    )


# Skills: scheme, team, links, marks


@blueprint.get(f"/epreuves/<{ID}:skill_id>")
@login_required
def skill(skill_id: int):
    """A skill: its marking scheme and team; marks for its judges; the lock."""
    return _skill(skill_id)


def _skill(skill_id: int, values=None, errors=None, form=None):
    account = current_account()
    skill = service.skill(skill_id)
    judge = service.judge_of(account, skill.id)
    runs = service.may_run(account, skill.competition)
    if judge is None:
        service.require_runner(account, skill.competition)
    everyone, _totals, missing = marks.totals(skill)
    aspects = competitions.aspects_of(skill.id)
    linked = judges.linked_candidates(judge) if judge else set()
    return form_page(
        "worldskills/skill.html",
        errors,
        skill=skill,
        runs=runs,
        judge=judge,
        aspects=aspects,
        aspect_options=[(a.id, f"{a.code} — {a.title}") for a in aspects],
        team=judges.team_of(skill.id),
        competitors=everyone,
        candidate_options=[
            (m.id, f"{m.first_name} {m.last_name}") for c in everyone for m in c.members
        ],
        markable_options=[
            (c.lead.id, c.name) for c in everyone if not linked & {m.id for m in c.members}
        ],
        scores=marks.scores_of(skill),
        missing=missing,
        log=marks.log_of(account, skill.id),
        values=values or {},
        form=form,
    )


def _skill_form(skill_id: int, form: str, action) -> Any:
    values = form_values(request.form)
    try:
        action(current_account(), skill_id, values)
    except Invalid as error:
        return _skill(skill_id, values, error.errors, form)
    return redirect(url_for(".skill", skill_id=skill_id))


@blueprint.post(f"/epreuves/<{ID}:skill_id>/aspects")
@login_required
def add_aspect(skill_id: int):
    """An aspect of the marking scheme."""
    return _skill_form(skill_id, "aspect", competitions.add_aspect)


@blueprint.post(f"/epreuves/<{ID}:skill_id>/jury")
@login_required
def appoint(skill_id: int):
    """A member of the marking team."""
    return _skill_form(skill_id, "judge", judges.appoint)


@blueprint.post(f"/epreuves/<{ID}:skill_id>/liens")
@login_required
def declare_link(skill_id: int):
    """A judge declares a link with a candidate."""
    return _skill_form(skill_id, "link", judges.declare_link)


@blueprint.post(f"/epreuves/<{ID}:skill_id>/notes")
@login_required
def enter_mark(skill_id: int):
    """A judge enters a mark."""
    return _skill_form(skill_id, "mark", marks.enter)


@blueprint.post(f"/epreuves/<{ID}:skill_id>/verrouillage")
@login_required
def lock(skill_id: int):
    """The chief expert locks the marks; the results are computed."""
    marks.lock(current_account(), skill_id)
    flash(_("The marks are locked and the results computed."), "success")
    return redirect(url_for(".skill", skill_id=skill_id))


# Results


@blueprint.get(f"/resultats/<{ID}:competition_id>")
def public_results(competition_id: int):
    """A competition's published results: its skills and the medal table."""
    competition = results.published(competition_id)
    return render_template(
        "worldskills/results.html",
        competition=competition,
        skills=results.locked_skills(competition.id),
        table=results.medal_table(competition.id),
    )


@blueprint.get(f"/resultats/<{ID}:competition_id>/<{ID}:skill_id>")
def public_skill(competition_id: int, skill_id: int):
    """A skill's published ranking, scale scores and medals."""
    competition, skill, lines = results.public_skill(competition_id, skill_id)
    return render_template(
        "worldskills/skill_results.html", competition=competition, skill=skill, lines=lines
    )


@blueprint.get(f"/candidats/<{ID}:candidate_id>/attestation.pdf")
@login_required
def certificate(candidate_id: int):
    """A candidate's certificate of result."""
    return pdf_response(results.certificate(current_account(), candidate_id))


# Invitations into the network


@blueprint.route("/invitation/<token>", methods=["GET", "POST"])
def invitation(token: str):
    """The ambassador registration an invitation opens, prefilled from the competition."""
    prefilled = invitations.prefilled(token)
    if request.method == "GET":
        return form_page("worldskills/invitation.html", values=prefilled)
    values = form_values(request.form, lists=("zones",))
    try:
        invitations.accept(token, values, locale=get_locale())
    except Invalid as error:
        return form_page("worldskills/invitation.html", error.errors, values=values)
    return redirect(url_for("registration.registered"))
