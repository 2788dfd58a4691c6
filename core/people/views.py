"""Pages of the people area: the directory, profiles, and who is out of the directory.

Views parse the request, call ``service``, ``directory`` or ``visibility``, and render.
Forms are shown again with their values and the messages next to each field when
``Invalid`` is raised. Joining the network has its pages in ``registration_views``, the
directory's API is in ``api``.
"""

from __future__ import annotations

from babel.numbers import format_decimal
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from ..auth import permissions
from ..auth.models import Account, AccountStatus
from ..auth.web import current_account, login_required
from ..errors import Invalid
from ..i18n import _, get_locale
from ..validation import field_errors
from ..web.forms import form_page, form_values, submitted
from ..web.navigation import Group, Link
from ..web.paging import page_number
from . import directory, educators, image_rights, labels, schemas, service, visibility
from .profile_form import LIST_FIELDS, profile_choices, with_rome_code
from .sectors import sector_choices

blueprint = Blueprint(
    "people",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/people",
)


@blueprint.app_template_filter("decimal")
def decimal(value: float) -> str:
    """A number written the reader's way: 6,3 in French, 6.3 in English."""
    return format_decimal(value, locale=get_locale())


def menu_links(user: Account | None) -> list[Link]:
    """The people area's entries of the main navigation, by role."""
    if user is None:
        return [
            Link(
                label=_("Become an ambassador"),
                href=url_for("registration.register_start"),
                group=Group.JOIN,
            ),
            Link(
                label=_("Educational teams: join"),
                href=url_for("registration.educator_school"),
                group=Group.JOIN,
            ),
        ]
    links = []
    if permissions.can_search_directory(user):
        links.append(
            Link(
                label=_("Find an ambassador"),
                href=url_for("people.directory_page"),
                group=Group.INTERVENTIONS,
            )
        )
    if service.ambassador_of(user) is not None:
        links.append(
            Link(
                label=_("My ambassador profile"),
                href=url_for("people.my_profile"),
                group=Group.ACCOUNT,
            )
        )
    if permissions.covered_territories(user) != set():
        links.append(
            Link(label=_("Hidden ambassadors"), href=url_for("people.hidden"), group=Group.STEERING)
        )
    return links


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
        sector_options=[(sector, sector) for sector in sector_choices()],
        **profile_choices(),
    )


@blueprint.get("/ambassadeurs/<int:ambassador_id>")
@login_required
def show(ambassador_id: int):
    """An ambassador's public profile; its owner and managers also see availability."""
    viewer = current_account()
    profile = directory.profile(viewer, ambassador_id)
    ambassador = service.get_ambassador(ambassador_id)
    is_owner = ambassador.account_id == viewer.id
    can_manage = service.can_manage(viewer, ambassador)
    return render_template(
        "people/profile.html",
        profile=profile,
        ambassador=ambassador,
        can_edit=service.can_edit(viewer, ambassador),
        can_manage=can_manage,
        is_owner=is_owner,
        labels=labels,
        image_rights=image_rights.current(ambassador.id) if is_owner or can_manage else None,
        image_rights_text=image_rights.TEXT,
    )


@blueprint.post("/ambassadeurs/<int:ambassador_id>/droit-a-l-image")
@login_required
def decide_image_rights(ambassador_id: int):
    """The ambassador gives or withdraws their consent to photos and videos."""
    ambassador = service.get_ambassador(ambassador_id)
    consented = request.form.get("consent") == "yes"
    image_rights.decide(current_account(), ambassador, consented)
    flash(
        _("Thank you: the region may use photos and videos of you from your interventions.")
        if consented
        else _("Your choice is recorded: the region will not use photos or videos of you."),
        "success",
    )
    return redirect(url_for(".show", ambassador_id=ambassador_id, _anchor="image-rights-title"))


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
        values = with_rome_code(form_values(request.form, LIST_FIELDS))
        _profile, errors = submitted(lambda: service.update_profile(ambassador, values, viewer))
        if not errors:
            flash(_("The profile has been saved."), "success")
            return redirect(url_for(".show", ambassador_id=ambassador_id))
    return form_page(
        "people/edit.html",
        errors,
        ambassador=ambassador,
        display_name=Account.get_by_id(ambassador.account_id).display_name,
        values=values,
        **profile_choices(),
    )


@blueprint.route("/ambassadeurs/<int:ambassador_id>/suspendre", methods=["GET", "POST"])
@login_required
def suspend(ambassador_id: int):
    """Suspend an ambassador's account, once confirmed: referents of their territories."""
    viewer = current_account()
    ambassador = service.get_ambassador(ambassador_id)
    if not service.can_manage(viewer, ambassador):
        abort(404)
    account = Account.get_by_id(ambassador.account_id)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if request.form.get("confirm") == "yes":
            _account, errors = submitted(lambda: service.suspend(viewer, ambassador_id))
            if not errors:
                flash(
                    _(
                        "The account is suspended. Its upcoming interventions are cancelled "
                        "and the schools have been told."
                    ),
                    "success",
                )
                return redirect(url_for(".show", ambassador_id=ambassador_id))
        else:
            errors = {"confirm": [_("Tick the box to confirm the suspension.")]}
    return form_page(
        "people/suspend.html",
        errors,
        ambassador=ambassador,
        display_name=account.display_name,
        active=account.status == AccountStatus.ACTIVE,
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
