"""The signing pages, reached by the emailed link, and what plugins need to serve documents.

The core serves a document only to the signatories of its circuit, through their links.
A plugin serves its own documents from its own views, after its own permission checks,
with ``pdf_response``.
"""

from __future__ import annotations

import datetime
import io
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import Blueprint, Response, render_template, request, send_file

from .. import i18n
from ..errors import Conflict, Invalid
from ..runtime import current
from . import circuits, service
from .models import Document

blueprint = Blueprint("documents", __name__, template_folder="templates")


def pdf_response(document: Document, inline: bool = True) -> Response:
    """A response carrying the exact bytes of ``document`` (shown, or downloaded when
    ``inline`` is false), never cached. Check who may see it before calling this."""
    response = send_file(
        io.BytesIO(service.pdf_of(document)),
        mimetype="application/pdf",
        as_attachment=not inline,
        download_name=service.file_name(document),
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blueprint.route("/signature/<token>", methods=["GET", "POST"])
def sign(token: str):
    """Read the document and sign it: the full name typed, the consent ticked."""
    try:
        signatory = circuits.signatory_for_link(token)
    except Invalid as error:
        return _link_unusable(error)
    if request.method == "GET":
        return _page(signatory, token)
    try:
        signature = circuits.sign(token, request.form, request.remote_addr)
    except Invalid as error:
        if "token" in error.errors:
            return _link_unusable(error)
        return _page(signatory, token, error.errors, status=422)
    except Conflict as error:
        return _page(signatory, token, {"_": [error.message]}, status=409)
    return _private(
        render_template("documents/signed.html", signatory=signatory, signature=signature)
    )


@blueprint.get("/signature/<token>/document.pdf")
def signed_file(token: str):
    """The exact file the signatory is asked to sign."""
    try:
        signatory = circuits.signatory_for_link(token)
    except Invalid as error:
        return _link_unusable(error)
    return _private(pdf_response(signatory.circuit.document))


@blueprint.app_template_filter("document_moment")
def document_moment(value: str | datetime.datetime | None) -> str:
    """A stored (UTC) moment, or its ISO text, in the reader's language and the region's zone."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return format_datetime(
        value.replace(tzinfo=datetime.UTC),
        "d MMMM y, HH:mm",
        tzinfo=ZoneInfo(current().region.timezone),
        locale=i18n.get_locale(),
    )


def _page(signatory, token: str, errors: dict[str, Any] | None = None, status: int = 200):
    circuit = signatory.circuit
    page = render_template(
        "documents/sign.html",
        token=token,
        signatory=signatory,
        document=circuit.document,
        signatories=circuits.signatories_of(circuit),
        values={"name": request.form.get("name", ""), "consent": request.form.get("consent")},
        errors=errors or {},
    )
    return _private(page), status


def _link_unusable(error: Invalid):
    reason = " ".join(error.errors.get("token", []))
    return _private(render_template("documents/link_unusable.html", reason=reason)), 410


def _private(page: Any) -> Response:
    """Never cached, and the link (its token) never sent to another site as a referrer."""
    response = page if isinstance(page, Response) else Response(page, mimetype="text/html")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
