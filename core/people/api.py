"""The directory of ambassadors in the JSON API: public profiles only; and an
ambassador's own profile, which they read and change (``/api/v1/ambassadors/me``).

Thin, like the pages: the query string is loaded by its schema, the directory searches,
the service changes a profile.
"""

from __future__ import annotations

from flask_smorest import Blueprint as ApiBlueprint
from flask_smorest import abort as api_abort

from ..auth.web import current_account
from ..errors import Invalid
from ..i18n import _
from ..web.api import endpoint, json_body
from . import directory, schemas, service
from .models import Ambassador

# Whether a search found more matches than it pages through (its total is then the cap).
CAPPED_HEADER = "X-Results-Capped"

api = ApiBlueprint(
    "ambassadors_api",
    __name__,
    url_prefix="/api/v1/ambassadors",
    description="The directory of ambassadors (public profiles only).",
)


@endpoint(api, "GET", "/", answer=schemas.PublicProfileSchema(many=True))
@api.arguments(schemas.DirectoryQuerySchema, location="query")
@api.paginate()
def list_ambassadors(filters, pagination_parameters):
    """Visible ambassadors matching the filters, most relevant first, then nearest.

    A search stops at its first 1,000 matches (``directory.MATCHES_CAP``) and pages
    through these: when more match, the ``X-Results-Capped`` header is ``true`` and the
    ``X-Pagination`` total is the cap, a lower bound (``false`` otherwise).
    """
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
    return results.items, {CAPPED_HEADER: "true" if results.capped else "false"}


@endpoint(api, "GET", "/me", answer=schemas.OwnProfileSchema, refusals=(404,))
def get_my_profile():
    """The signed-in ambassador's own profile; 404 for an account that has none."""
    return _own(service.own_profile(current_account()))


@endpoint(
    api,
    "PATCH",
    "/me",
    answer=schemas.OwnProfileSchema,
    body=schemas.ProfileChangesSchema,
    refusals=(422, 404),
)
def update_my_profile():
    """Change the fields given of the signed-in ambassador's own profile; the others keep
    their value. 422 with every field's message."""
    ambassador = service.own_profile(current_account())
    changes = json_body()
    editable = set(schemas.ProfileChangesSchema().fields)
    unknown = sorted(set(changes) - editable)
    if unknown:
        raise Invalid({name: [_("Unknown field.")] for name in unknown})
    return _own(service.update_profile(ambassador, changes, current_account()))


def _own(ambassador: Ambassador) -> dict:
    values = service.profile_values(ambassador)
    return {**values, "id": ambassador.id, "paused_until": ambassador.paused_until}


@endpoint(api, "GET", "/<int:ambassador_id>", answer=schemas.PublicProfileSchema)
def get_ambassador(ambassador_id: int):
    """An ambassador's public profile: no email, phone or last name."""
    return directory.profile(current_account(), ambassador_id)
