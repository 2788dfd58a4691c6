"""Organisations: pages for referents, admins and educators, and the JSON API.

Who may do what (checked here, on the server, for pages and API alike):

* see the list and any organisation: admins, referents and educators (organisations are
  a directory, not personal data); an organisation's own partner managers see it too;
* change an organisation: admins, and referents of its territory (or of a territory
  containing it); its educators may not, since its identifiers and priority flags feed
  the region's figures;
* add one: admins, and referents, in their territories.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_smorest import Blueprint as ApiBlueprint
from flask_wtf.csrf import generate_csrf
from marshmallow import ValidationError

from ..auth.models import Account, Role
from ..auth.permissions import (
    can_manage_organisation,
    covered_territories,
    covers_territory,
    has_role,
    is_admin,
)
from ..auth.web import current_account, login_required
from ..errors import Invalid, NotAllowed
from ..i18n import _
from ..validation import field_errors
from ..web.paging import page_number
from . import schemas, service
from .models import KIND_LABELS, Organisation

PAGE_SIZE = 20
BROWSING_ROLES = (Role.ADMIN, Role.REFERENT, Role.EDUCATOR)

blueprint = Blueprint("organisations", __name__, template_folder="templates")
api = ApiBlueprint(
    "organisations_api",
    __name__,
    url_prefix="/api/v1/organisations",
    description="Organisations: schools, support structures, employers...",
)


# Who may do what


def may_browse(account: Account | None) -> bool:
    """Whether ``account`` may list and search organisations."""
    return any(has_role(account, role) for role in BROWSING_ROLES)


def may_view(account: Account | None, organisation: Organisation) -> bool:
    """Whether ``account`` may see ``organisation``."""
    return may_browse(account) or can_manage_organisation(account, organisation)


def may_edit(account: Account | None, organisation: Organisation) -> bool:
    """Admins and the referents of the organisation's territory."""
    return covers_territory(account, organisation.territory_id)


def may_create(account: Account | None) -> bool:
    """Admins and referents (in their territories)."""
    return is_admin(account) or has_role(account, Role.REFERENT)


def _allowed(rule: Callable[[Account | None], bool]) -> Callable[[Callable], Callable]:
    """Refuse (403) the accounts ``rule`` does not allow, before the request is read."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not rule(current_account()):
                raise NotAllowed(_("You are not allowed to do this."))
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _editable(view: Callable) -> Callable:
    """Refuse (403) to change an organisation the signed-in account may not change."""

    @functools.wraps(view)
    def wrapped(*args: Any, organisation_id: int, **kwargs: Any) -> Any:
        if not may_edit(current_account(), service.get(organisation_id)):
            raise NotAllowed(_("Only the referents of its territory may change this organisation."))
        return view(*args, organisation_id=organisation_id, **kwargs)

    return wrapped


# JSON API


@api.get("/")
@login_required
@_allowed(may_browse)
@api.arguments(schemas.OrganisationQuerySchema, location="query")
@api.response(200, schemas.OrganisationSchema(many=True))
@api.paginate()
def list_organisations(filters, pagination_parameters):
    """Organisations matching ``q`` (name, city...), kinds, a territory and priority, by name."""
    query = service.search(**filters)
    pagination_parameters.item_count = query.count()
    return list(query.paginate(pagination_parameters.page, pagination_parameters.page_size))


@api.get("/<int:organisation_id>")
@login_required
@api.response(200, schemas.OrganisationSchema)
def get_organisation(organisation_id):
    """One organisation."""
    organisation = service.get(organisation_id)
    if not may_view(current_account(), organisation):
        raise NotAllowed(_("You are not allowed to see this organisation."))
    return organisation


@api.post("/")
@login_required
@_allowed(may_create)
@api.arguments(schemas.OrganisationInputSchema)
@api.response(201, schemas.OrganisationSchema)
def create_organisation(data):
    """Add an organisation (admins; referents in their territories)."""
    return service.create(data, within=covered_territories(current_account()))


@api.patch("/<int:organisation_id>")
@login_required
@_editable
@api.arguments(schemas.OrganisationChangesSchema(partial=True))
@api.response(200, schemas.OrganisationSchema)
def update_organisation(changes, organisation_id):
    """Change some fields of an organisation (admins; referents of its territory)."""
    return service.update(organisation_id, changes, within=covered_territories(current_account()))


# Pages


@blueprint.context_processor
def _page_helpers() -> dict[str, Any]:
    # Forms carry a CSRF token whether or not CSRFProtect has been set up yet.
    return {"csrf_token": generate_csrf, "kind_labels": KIND_LABELS}


@blueprint.get("/organisations")
@login_required
def index():
    """The searchable list of organisations."""
    if not may_browse(current_account()):
        abort(403)
    typed = {
        "q": request.args.get("q", ""),
        "kind": request.args.get("kind", ""),
        "territory": request.args.get("territory", ""),
        "priority": request.args.get("priority", ""),
    }
    page = page_number()
    errors: dict[str, list[str]] = {}
    organisations, total = [], 0
    try:
        filters = schemas.OrganisationQuerySchema().load(
            {**typed, "kind": [typed["kind"]] if typed["kind"] else []}
        )
        query = service.search(**filters)
        total = query.count()
        organisations = list(query.paginate(page, PAGE_SIZE))
    except ValidationError as error:
        errors = field_errors(error.messages)
    except Invalid as error:
        errors = error.errors
    return render_template(
        "organisations/list.html",
        organisations=organisations,
        total=total,
        page=page,
        pages=max(math.ceil(total / PAGE_SIZE), 1),
        typed=typed,
        errors=errors,
        territories=service.territory_choices(),
        page_url=lambda number: url_for(".index", **{**_kept(typed), "page": number}),
        may_create=may_create(current_account()),
    )


@blueprint.get("/organisations/<int:organisation_id>")
@login_required
def show(organisation_id: int):
    """One organisation."""
    organisation = service.get(organisation_id)
    account = current_account()
    if not may_view(account, organisation):
        abort(403)
    return render_template(
        "organisations/detail.html",
        organisation=organisation,
        may_edit=may_edit(account, organisation),
    )


@blueprint.route("/organisations/nouvelle", methods=["GET", "POST"])
@login_required
def create():
    """The form adding an organisation."""
    account = current_account()
    if not may_create(account):
        abort(403)
    within = covered_territories(account)
    if request.method == "GET":
        return _form(None, {"qpv": False, "rep": False, "rep_plus": False, "rural": False}, within)
    typed = _typed(request.form)
    try:
        organisation = service.create(_data(typed), within=within)
    except (Invalid, NotAllowed) as error:
        return _refused(None, typed, error, within)
    flash(_("The organisation has been added."), "success")
    return redirect(url_for(".show", organisation_id=organisation.id))


@blueprint.route("/organisations/<int:organisation_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(organisation_id: int):
    """The form changing an organisation."""
    organisation = service.get(organisation_id)
    account = current_account()
    if not may_edit(account, organisation):
        abort(403)
    within = covered_territories(account)
    if request.method == "GET":
        return _form(organisation, _values_of(organisation), within)
    typed = _typed(request.form)
    try:
        service.update(organisation_id, _data(typed), within=within)
    except (Invalid, NotAllowed) as error:
        return _refused(organisation, typed, error, within)
    flash(_("The organisation has been saved."), "success")
    return redirect(url_for(".show", organisation_id=organisation_id))


def _form(
    organisation: Organisation | None,
    typed: Mapping[str, Any],
    within: set[int] | None,
    errors: Mapping[str, list[str]] | None = None,
    status: int = 200,
):
    territories = service.territory_choices(within)
    current = organisation.territory if organisation is not None else None
    if current is not None and current not in territories:
        territories.insert(0, current)
    page = render_template(
        "organisations/form.html",
        organisation=organisation,
        typed=typed,
        errors=errors or {},
        territories=territories,
        kinds=schemas.KINDS,
    )
    return page, status


def _refused(organisation, typed, error: Invalid | NotAllowed, within):
    if isinstance(error, NotAllowed):
        return _form(organisation, typed, within, {"territory": [error.message]}, 403)
    return _form(organisation, typed, within, error.errors, 422)


def _typed(form: Mapping[str, str]) -> dict[str, Any]:
    """What the person typed, to show it again: text fields, and ticked boxes."""
    typed: dict[str, Any] = {field: form.get(field, "") for field in schemas.TEXT_FIELDS}
    typed.update({flag: flag in form for flag in schemas.FLAGS})
    return typed


def _data(typed: Mapping[str, Any]) -> dict[str, Any]:
    """The form's values as the service takes them (an empty number means none)."""
    data = dict(typed)
    for field in ("latitude", "longitude"):
        if not str(data[field]).strip():
            data[field] = None
    return data


def _values_of(organisation: Organisation) -> dict[str, Any]:
    values = {
        field: getattr(organisation, field) for field in schemas.TEXT_FIELDS if field != "territory"
    }
    values = {field: "" if value is None else value for field, value in values.items()}
    values["territory"] = organisation.territory.code if organisation.territory_id else ""
    values.update({flag: getattr(organisation, flag) for flag in schemas.FLAGS})
    return values


def _kept(typed: Mapping[str, str]) -> dict[str, str]:
    return {name: value for name, value in typed.items() if value}
