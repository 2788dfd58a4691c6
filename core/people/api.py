"""The directory of ambassadors in the JSON API: public profiles only.

Thin, like the pages: the query string is loaded by its schema, the directory searches.
"""

from __future__ import annotations

from flask_smorest import Blueprint as ApiBlueprint
from flask_smorest import abort as api_abort

from ..auth.web import current_account
from ..errors import Invalid
from ..web.api import endpoint
from . import directory, schemas

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


@endpoint(api, "GET", "/<int:ambassador_id>", answer=schemas.PublicProfileSchema)
def get_ambassador(ambassador_id: int):
    """An ambassador's public profile: no email, phone or last name."""
    return directory.profile(current_account(), ambassador_id)
