"""The plugin's JSON API: a signed-in person's own requests, and filing one.

Thin, like the pages. Signed in by the session cookie, a client sends the ``X-CSRFToken``
header with every POST.
"""

from __future__ import annotations

from flask_smorest import Blueprint as ApiBlueprint

from tremplin.auth.web import current_account
from tremplin.web.api import endpoint, json_body

from . import plugin, requests, schemas

api = ApiBlueprint(
    f"{plugin.name}_api",
    __name__,
    url_prefix=f"/api/v1/{plugin.name}",
    description="Data protection rights: a person's own requests.",
)


@endpoint(api, "GET", "/requests", answer=schemas.RequestAnswerSchema(many=True))
def own_requests():
    """The signed-in person's requests, latest first, with their due dates."""
    return requests.own_requests(current_account())


@endpoint(
    api,
    "POST",
    "/requests",
    body=schemas.OwnRequestSchema,
    answer=schemas.RequestAnswerSchema,
    status=201,
    refusals=(422,),
)
def file_request():
    """File a request about one's own data: ``{"kind": "access", "details": "..."}``."""
    return requests.file_own(current_account(), json_body())
