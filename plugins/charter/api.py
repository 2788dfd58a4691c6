"""The charter's JSON API (flask-smorest): the charter in force, accepting it, checks.

Thin, like the pages. Signed in by the session cookie, a client sends the ``X-CSRFToken``
header with every POST.
"""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint as ApiBlueprint

from tremplin.auth.web import current_account
from tremplin.errors import NotFound
from tremplin.web.api import ID, endpoint, json_body

from . import record_checks, requirements, schemas, service, texts
from .i18n import _

api = ApiBlueprint(
    "charter_api",
    __name__,
    url_prefix="/api/v1/charter",
    description="The charter of the ambassadors and the checks of the criminal record.",
)


def _version_out(version) -> dict[str, Any]:
    return {
        "version": version.version,
        "title": version.title,
        "effective_on": version.effective_on,
        "text": version.text,
        "html": texts.to_html(version.text),
    }


@endpoint(api, "GET", "/", answer=schemas.VersionOutSchema, signed_in=False)
def current():
    """The version of the charter in force: its Markdown text and its HTML."""
    version = requirements.current_version()
    if version is None:
        raise NotFound(_("No charter is in force yet."))
    return _version_out(version)


@endpoint(api, "POST", "/acceptances", answer=schemas.AcceptanceOutSchema, status=201)
def accept():
    """Accept a version (``{"version": "2025-1"}``; the version in force by default)."""
    body = json_body()
    label = body.get("version")
    if not label:
        version = requirements.current_version()
        if version is None:
            raise NotFound(_("No charter is in force yet."))
        label = version.version
    acceptance = service.accept(current_account(), str(label))
    return {"version": acceptance.version.version, "accepted_at": acceptance.accepted_at}


@endpoint(api, "GET", "/checks", answer=schemas.PendingCheckOutSchema(many=True))
def pending_checks():
    """Checks waiting for a decision in the referent's territories, the oldest first."""
    return [
        {
            "id": check.id,
            "ambassador": check.ambassador_id,
            "name": check.name,
            "occupation": check.occupation,
            "declared_at": check.declared_at,
            "delivery": check.delivery,
            "has_file": check.has_file,
        }
        for check in record_checks.pending_checks(current_account())
    ]


@endpoint(api, "POST", f"/checks/<{ID}:check_id>/decision", answer=schemas.CheckOutSchema)
def decide(check_id: int):
    """Record the outcome: ``{"outcome": "verified", "extract_issued_on": "2025-09-01"}``."""
    check = record_checks.decide(current_account(), check_id, json_body())
    return {
        "id": check.id,
        "ambassador": check.ambassador_id,
        "status": check.status,
        "extract_issued_on": check.extract_issued_on,
        "decided_at": check.decided_at,
        "valid_until": check.valid_until,
    }
