"""Organisations: pages for referents, admins and educators, and the JSON API.

Who may do what is the service's to say (``service.Rights``, from the signed-in person's
roles); the API checks it before the request is read, so a refusal is a 403, never a 422.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_smorest import Blueprint as ApiBlueprint
from flask_wtf.csrf import generate_csrf
from marshmallow import ValidationError

from ..auth.models import Account
from ..auth.permissions import organisation_rights
from ..auth.web import current_account, login_required
from ..errors import Invalid, NotAllowed
from ..i18n import _
from ..validation import field_errors
from ..web.forms import form_page
from ..web.navigation import Group, Link
from ..web.paging import page_number, paginated
from . import schemas, service
from .models import KIND_LABELS, Organisation

PAGE_SIZE = 20

blueprint = Blueprint("organisations", __name__, template_folder="templates")
api = ApiBlueprint(
    "organisations_api",
    __name__,
    url_prefix="/api/v1/organisations",
    description="Organisations: schools, support structures, employers...",
)


def menu_links(user: Account | None) -> list[Link]:
    """The list of organisations, for those who may see it."""
    if not service.may_browse(organisation_rights(user)):
        return []
    return [
        Link(label=_("Organisations"), href=url_for("organisations.index"), group=Group.NETWORK)
    ]


def _rights() -> service.Rights:
    """What the signed-in person may do with organisations."""
    return organisation_rights(current_account())


def _checked(check: Callable[..., Any]) -> Callable[[Callable], Callable]:
    """Ask the service's ``check`` (with the organisation of the address, if any) before
    the request is read: a person who may not do it gets a 403, whatever they sent."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            check(_rights(), **kwargs)
            return view(*args, **kwargs)

        return wrapped

    return decorator


# JSON API


@api.get("/")
@login_required
@_checked(service.check_browse)
@api.arguments(schemas.OrganisationQuerySchema, location="query")
@api.response(200, schemas.OrganisationSchema(many=True))
@api.paginate()
def list_organisations(filters, pagination_parameters):
    """Organisations matching ``q`` (name, city...), kinds, a territory and priority, by name."""
    query = service.search(**filters)
    return paginated(query, pagination_parameters)


@api.get("/<int:organisation_id>")
@login_required
@api.response(200, schemas.OrganisationSchema)
def get_organisation(organisation_id):
    """One organisation."""
    return service.visible(_rights(), organisation_id)


@api.post("/")
@login_required
@_checked(service.check_create)
@api.arguments(schemas.OrganisationInputSchema)
@api.response(201, schemas.OrganisationSchema)
def create_organisation(data):
    """Add an organisation (admins; referents in their territories)."""
    return service.create(data, within=_rights().territories)


@api.patch("/<int:organisation_id>")
@login_required
@_checked(service.editable)
@api.arguments(schemas.OrganisationChangesSchema(partial=True))
@api.response(200, schemas.OrganisationSchema)
def update_organisation(changes, organisation_id):
    """Change some fields of an organisation (admins; referents of its territory)."""
    return service.update(organisation_id, changes, within=_rights().territories)


# Pages


@blueprint.context_processor
def _page_helpers() -> dict[str, Any]:
    # Forms carry a CSRF token whether or not CSRFProtect has been set up yet.
    return {"csrf_token": generate_csrf, "kind_labels": KIND_LABELS}


@blueprint.get("/organisations")
@login_required
def index():
    """The searchable list of organisations."""
    rights = _rights()
    service.check_browse(rights)
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
        may_create=service.may_create(rights),
    )


@blueprint.get("/organisations/<int:organisation_id>")
@login_required
def show(organisation_id: int):
    """One organisation."""
    rights = _rights()
    organisation = service.visible(rights, organisation_id)
    return render_template(
        "organisations/detail.html",
        organisation=organisation,
        may_edit=service.may_edit(rights, organisation),
    )


@blueprint.route("/organisations/nouvelle", methods=["GET", "POST"])
@login_required
def create():
    """The form adding an organisation."""
    rights = _rights()
    service.check_create(rights)
    within = rights.territories
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
    rights = _rights()
    organisation = service.editable(rights, organisation_id)
    within = rights.territories
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
    http_status: int | None = None,
):
    territories = service.territory_choices(within)
    current = organisation.territory if organisation is not None else None
    if current is not None and current not in territories:
        territories.insert(0, current)
    return form_page(
        "organisations/form.html",
        errors,
        http_status=http_status,
        organisation=organisation,
        typed=typed,
        territories=territories,
        kinds=schemas.KINDS,
    )


def _refused(organisation, typed, error: Invalid | NotAllowed, within):
    if isinstance(error, NotAllowed):
        return _form(organisation, typed, within, {"territory": [error.message]}, 403)
    return _form(organisation, typed, within, error.errors)


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
