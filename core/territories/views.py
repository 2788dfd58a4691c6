"""Territories in the JSON API."""

from flask_smorest import Blueprint, abort

from ..i18n import _
from ..web.paging import paginated
from . import schemas, service

api = Blueprint(
    "territories_api", __name__, url_prefix="/api/v1/territories", description="Territories"
)


@api.get("/")
@api.arguments(schemas.TerritoryQuerySchema, location="query")
@api.response(200, schemas.TerritorySchema(many=True))
@api.paginate()
def list_territories(filters, pagination_parameters):
    """Territories, filtered by kind and parent code, paginated."""
    query = service.list_territories(**filters)
    return paginated(query, pagination_parameters)


@api.get("/<code>")
@api.response(200, schemas.TerritorySchema)
def get_territory(code):
    """One territory by its code."""
    territory = service.get(code)
    if territory is None:
        abort(404, message=_("No territory has the code %(code)s.", code=code))
    return territory
