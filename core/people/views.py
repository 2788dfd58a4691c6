"""Pages and API of the people area: registration, the directory, profiles, holds.

Views parse the request, call ``service`` or ``directory``, and render. Forms are shown
again with their values and the messages next to each field when ``Invalid`` is raised.
"""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal
from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_smorest import Blueprint as ApiBlueprint
from flask_smorest import abort as api_abort
from marshmallow import ValidationError

from ..auth import permissions
from ..auth.models import Account
from ..auth.web import current_account, login_required
from ..errors import Invalid
from ..i18n import _, get_locale, lazy_gettext
from ..validation import field_errors
from ..web.forms import form_page, form_values
from ..web.navigation import Link
from ..web.paging import page_number
from . import directory, educators, labels, registration, schemas, service, visibility
from .models import AmbassadorKind, InterventionType, Mode

blueprint = Blueprint(
    "people",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/people",
)
api = ApiBlueprint(
    "ambassadors_api",
    __name__,
    url_prefix="/api/v1/ambassadors",
    description="The directory of ambassadors (public profiles only).",
)

REGISTRATION_SESSION_KEY = "tremplin_ambassador_registration"
STEP_TITLES = (
    lazy_gettext("Your profile"),
    lazy_gettext("Your personal details"),
    lazy_gettext("Your occupation"),
    lazy_gettext("Interventions you accept"),
    lazy_gettext("Where you intervene"),
)
LIST_FIELDS = ("intervention_types", "modes", "zones")


@blueprint.app_template_filter("decimal")
def decimal(value: float) -> str:
    """A number written the reader's way: 6,3 in French, 6.3 in English."""
    return format_decimal(value, locale=get_locale())


def menu_links(user: Account | None) -> list[Link]:
    """The people area's entries of the main navigation, by role."""
    if user is None:
        return [
            Link(label=_("Become an ambassador"), href=url_for("people.register_start")),
            Link(label=_("Educational teams: join"), href=url_for("people.educator_school")),
        ]
    links = []
    if permissions.can_search_directory(user):
        links.append(Link(label=_("Find an ambassador"), href=url_for("people.directory_page")))
    if service.ambassador_of(user) is not None:
        links.append(Link(label=_("My ambassador profile"), href=url_for("people.my_profile")))
    if permissions.covered_territories(user) != set():
        links.append(Link(label=_("Hidden ambassadors"), href=url_for("people.hidden")))
    return links


def _choices() -> dict[str, Any]:
    """Options of the profile forms."""
    return {
        "kinds": [
            (kind.value, labels.KIND_LABELS[kind], labels.KIND_HINTS[kind])
            for kind in AmbassadorKind
        ],
        "intervention_types": [
            (kind.value, labels.INTERVENTION_LABELS[kind]) for kind in InterventionType
        ],
        "modes": [(mode.value, labels.MODE_LABELS[mode]) for mode in Mode],
        "genders": list(labels.GENDER_LABELS.items()),
        "territories": [(territory.code, territory.name) for territory in service.zone_choices()],
        "labels": labels,
    }


# Ambassador registration, in five steps kept in the session


def _registration() -> dict[str, Any]:
    return session.get(REGISTRATION_SESSION_KEY) or {"done": 0, "values": {}}


def _save_registration(state: dict[str, Any]) -> None:
    session[REGISTRATION_SESSION_KEY] = state
    session.modified = True


def _bounded(value: Any) -> Any:
    """``value`` cut to what a valid answer can hold: the session lives in a 4 KB cookie."""
    if isinstance(value, list):
        return [_bounded(item) for item in value[: schemas.MAX_LIST_ITEMS]]
    return value[:300] if isinstance(value, str) else value


def _step_of(field: str) -> int:
    for number, schema in enumerate(schemas.REGISTRATION_STEPS, start=1):
        if field in schema().fields:
            return number
    return len(schemas.REGISTRATION_STEPS)


@blueprint.get("/inscription/ambassadeur")
def register_start():
    """The registration of ambassadors: where it starts, or where the visitor left it."""
    state = _registration()
    step = min(state["done"] + 1, len(schemas.REGISTRATION_STEPS))
    return redirect(url_for(".register_step", step=step))


@blueprint.route("/inscription/ambassadeur/etape-<int:step>", methods=["GET", "POST"])
def register_step(step: int):
    """One step of the registration; the last one creates the account."""
    count = len(schemas.REGISTRATION_STEPS)
    if not 1 <= step <= count:
        abort(404)
    state = _registration()
    if step > state["done"] + 1:
        return redirect(url_for(".register_step", step=state["done"] + 1))
    values = state["values"].get(str(step), {})
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        fields = schemas.REGISTRATION_STEPS[step - 1]().fields
        values = {
            key: _bounded(value)
            for key, value in form_values(request.form, LIST_FIELDS).items()
            if key in fields
        }
        state["values"][str(step)] = values
        if request.form.get("action") == "previous" and step > 1:
            _save_registration(state)
            return redirect(url_for(".register_step", step=step - 1))
        try:
            registration.check_registration_step(step, values)
        except Invalid as error:
            errors = error.errors
        else:
            state["done"] = max(state["done"], step)
            _save_registration(state)
            if step < count:
                return redirect(url_for(".register_step", step=step + 1))
            return _finish_registration(state)
        _save_registration(state)
    return _render_step(step, values, errors)


def _finish_registration(state: dict[str, Any]):
    merged: dict[str, Any] = {}
    for number in range(1, len(schemas.REGISTRATION_STEPS) + 1):
        merged.update(state["values"].get(str(number), {}))
    try:
        registration.register_ambassador(merged, locale=get_locale())
    except Invalid as error:
        step = min(_step_of(field) for field in error.errors)
        state["done"] = step - 1
        _save_registration(state)
        return _render_step(step, state["values"].get(str(step), {}), error.errors)
    session.pop(REGISTRATION_SESSION_KEY, None)
    return redirect(url_for(".registered"))


def _render_step(step: int, values: dict[str, Any], errors: dict[str, list[str]]):
    return form_page(
        "people/register_step.html",
        errors,
        step=step,
        steps=[str(title) for title in STEP_TITLES],
        values=values,
        **_choices(),
    )


@blueprint.get("/inscription/merci")
def registered():
    """What to do now: activate the account from the email, within 12 hours."""
    return render_template("people/registered.html")


# Educators join a school or a support structure


@blueprint.get("/inscription/equipe-educative")
def educator_school():
    """Find one's school or structure by UAI or name."""
    text = request.args.get("q", "").strip()
    schools = educators.find_schools(text) if text else []
    return render_template("people/educator_school.html", q=text, schools=schools)


@blueprint.route("/inscription/equipe-educative/<int:organisation_id>", methods=["GET", "POST"])
def educator_register(organisation_id: int):
    """An educator's details, to join the chosen school or structure."""
    school = educators.get_school(organisation_id)
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = form_values(request.form)
        try:
            educators.register_educator(organisation_id, values, locale=get_locale())
        except Invalid as error:
            errors = error.errors
        else:
            return redirect(url_for(".registered"))
    return form_page(
        "people/educator_register.html",
        errors,
        school=school,
        values=values,
        genders=list(labels.GENDER_LABELS.items()),
    )


# The directory


@blueprint.get("/ambassadeurs")
@login_required
def directory_page():
    """Search form and results, for educational teams, referents and admins."""
    viewer = current_account()
    if not permissions.can_search_directory(viewer):
        abort(403)
    own_schools = educators.schools_of(viewer)
    raw = {key: value for key, value in request.args.items() if key not in {"page", "lang"}}
    if not raw and own_schools:
        raw = {"organisation": str(own_schools[0].id)}
    errors: dict[str, list[str]] = {}
    results = None
    try:
        filters = directory.Filters(**schemas.DirectoryQuerySchema().load(raw))
        results = directory.search(viewer, filters, page=page_number())
    except ValidationError as error:
        errors = field_errors(error.messages)
    except Invalid as error:
        errors = error.errors
    return form_page(
        "people/directory.html",
        errors,
        values=raw,
        results=results,
        school_options=[(school.id, school.name) for school in own_schools],
        sector_options=[(sector, sector) for sector in directory.sectors()],
        **_choices(),
    )


@blueprint.get("/ambassadeurs/<int:ambassador_id>")
@login_required
def show(ambassador_id: int):
    """An ambassador's public profile; its owner and managers also see availability."""
    viewer = current_account()
    profile = directory.profile(viewer, ambassador_id)
    ambassador = service.get_ambassador(ambassador_id)
    return render_template(
        "people/profile.html",
        profile=profile,
        ambassador=ambassador,
        can_edit=service.can_edit(viewer, ambassador),
        can_manage=service.can_manage(viewer, ambassador),
        is_owner=ambassador.account_id == viewer.id,
        labels=labels,
    )


@blueprint.get("/mon-profil-ambassadeur")
@login_required
def my_profile():
    """The signed-in ambassador's own profile."""
    ambassador = service.ambassador_of(current_account())
    if ambassador is None:
        abort(404)
    return redirect(url_for(".show", ambassador_id=ambassador.id))


@blueprint.route("/ambassadeurs/<int:ambassador_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(ambassador_id: int):
    """Change a profile: the ambassador, their referents and admins."""
    viewer = current_account()
    ambassador = service.get_ambassador(ambassador_id)
    if not service.can_edit(viewer, ambassador):
        abort(403)
    values = service.profile_values(ambassador)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = form_values(request.form, LIST_FIELDS)
        try:
            service.update_profile(ambassador, values, viewer)
        except Invalid as error:
            errors = error.errors
        else:
            flash(_("The profile has been saved."), "success")
            return redirect(url_for(".show", ambassador_id=ambassador_id))
    return form_page(
        "people/edit.html",
        errors,
        ambassador=ambassador,
        display_name=Account.get_by_id(ambassador.account_id).display_name,
        values=values,
        **_choices(),
    )


@blueprint.get("/ambassadeurs/<int:ambassador_id>/retenues")
@login_required
def hidden_reasons(ambassador_id: int):
    """Why an ambassador is out of the directory, for their referents and admins."""
    reasons = visibility.hidden_reasons(current_account(), ambassador_id)
    return render_template(
        "people/hidden_reasons.html",
        reasons=reasons,
        display_name=Account.get_by_id(reasons.ambassador.account_id).display_name,
    )


@blueprint.get("/ambassadeurs/masques")
@login_required
def hidden():
    """Ambassadors of the referent's territories that the directory leaves out."""
    page = page_number()
    rows, total = visibility.hidden_ambassadors(current_account(), page=page)
    return render_template("people/hidden.html", rows=rows, total=total, page=page, page_size=50)


# The JSON API


@api.get("/")
@login_required
@api.arguments(schemas.DirectoryQuerySchema, location="query")
@api.response(200, schemas.PublicProfileSchema(many=True))
@api.paginate()
def list_ambassadors(filters, pagination_parameters):
    """Visible ambassadors matching the filters, most relevant first, then nearest."""
    try:
        results = directory.search(
            current_account(),
            directory.Filters(**filters),
            page=pagination_parameters.page,
            page_size=pagination_parameters.page_size,
        )
    except Invalid as error:
        api_abort(422, errors={"query": error.errors})
    pagination_parameters.item_count = results.total
    return results.items


@api.get("/<int:ambassador_id>")
@login_required
@api.response(200, schemas.PublicProfileSchema)
def get_ambassador(ambassador_id: int):
    """An ambassador's public profile: no email, phone or last name."""
    return directory.profile(current_account(), ambassador_id)
