"""``/api/v1/me``: the signed-in person's own account, in JSON.

Signed in by the session cookie: a PATCH sends the ``X-CSRFToken`` header (see ``csrf``).
"""

from __future__ import annotations

from typing import ClassVar

from flask.views import MethodView
from flask_smorest import Blueprint as ApiBlueprint

from . import schemas, service
from .web import current_account, login_required

api = ApiBlueprint(
    "me", __name__, url_prefix="/api/v1/me", description="The signed-in person's own account"
)


@api.route("")
class Me(MethodView):
    """The signed-in account: 401 for visitors."""

    decorators: ClassVar = [login_required]

    @api.response(200, schemas.MeSchema)
    def get(self):
        """The signed-in account, its email, phone and roles included (they are its own)."""
        return current_account()

    @api.arguments(schemas.DetailsSchema(partial=True))
    @api.response(200, schemas.MeSchema)
    def patch(self, changes):
        """Change names, phone, language or declared gender; 422 with field errors."""
        return service.update_details(current_account(), changes)
