"""Domain errors as HTTP answers, in one place: JSON under ``/api/``, a page elsewhere.

HTML forms catch ``Invalid`` themselves to show the form again with its values; what
reaches these handlers is shown as an error page.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request

from ..errors import Conflict, DomainError, Invalid, NotAllowed, NotFound

STATUS = {Invalid: 422, Conflict: 409, NotAllowed: 403, NotFound: 404}
PHRASES = {
    422: "Unprocessable Entity",
    409: "Conflict",
    403: "Forbidden",
    404: "Not Found",
}

blueprint = Blueprint("errors", __name__)


@blueprint.app_errorhandler(DomainError)
def domain_error(error: DomainError):
    """422, 409, 403 or 404 with the error's message (and field errors for ``Invalid``)."""
    code = next((code for kind, code in STATUS.items() if isinstance(error, kind)), 400)
    if request.path.startswith("/api/"):
        body = {"code": code, "status": PHRASES.get(code, "Bad Request"), "message": error.message}
        if isinstance(error, Invalid):
            body["errors"] = {"json": error.errors}
        return jsonify(body), code
    return render_template("web/error.html", title=error.message, code=code), code
