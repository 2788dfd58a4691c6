"""The plugin's JSON API: the tax estimate, for partner managers and the region.

Thin, like the pages. Signed in by the session cookie, a client sends the ``X-CSRFToken``
header with every POST.
"""

from __future__ import annotations

from flask_smorest import Blueprint as ApiBlueprint

from tremplin.auth.web import current_account
from tremplin.errors import NotAllowed
from tremplin.web.api import endpoint, json_body

from . import plugin, schemas, service, simulator
from .i18n import _

api = ApiBlueprint(
    f"{plugin.name}_api",
    __name__,
    url_prefix=f"/api/v1/{plugin.name}",
    description="Skills sponsorship: the estimate of the tax reduction.",
)


@endpoint(
    api,
    "POST",
    "/estimate",
    answer=schemas.EstimateAnswerSchema,
    body=schemas.EstimateSchema,
    refusals=(422, 403),
)
def estimate():
    """An estimate of the reduction, year by year: ``{"years": [{"year": 2025,
    "turnover": "1500000", "donations": "3094.05"}]}``; amounts as strings of euros and cents."""
    account = current_account()
    if not (service.managed_organisations(account) or service.is_region(account)):
        raise NotAllowed(_("The simulator is for partner managers and the region."))
    return simulator.estimate(json_body())
