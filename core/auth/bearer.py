"""``Authorization: Bearer <token>`` on ``/api/``: calls signed in by a personal access token.

Checked once for every API call, before any view, so that every area and plugin gets the
same rules without a line of its own: the token signs in its account for this call only
(no cookie is set), a token that does not work is answered 401, and a read-only token is
answered 403 for anything but ``GET``, ``HEAD`` and ``OPTIONS``. A bearer call needs no
CSRF token (``csrf``): a browser never adds this header by itself, so a forger has nothing
to borrow. Each token has its own rate limit (``ratelimits``).
"""

from __future__ import annotations

from apispec import APISpec
from flask import Response, g, jsonify, request

from ..i18n import _
from . import access_tokens
from .models import AccessToken

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SCHEME = "bearer"
# The OpenAPI document's names of the two ways to call the API signed in.
SECURITY_SCHEMES = {
    "accessToken": {
        "type": "http",
        "scheme": "bearer",
        "description": (
            "A personal access token, created on the account page (/mon-compte/jetons): "
            "read-only tokens may only GET. Calls need no CSRF token."
        ),
    },
    "session": {
        "type": "apiKey",
        "in": "cookie",
        "name": "session",
        "description": (
            "The session of a person signed in on the website; changes also send the "
            "X-CSRFToken header with the token of the session's forms."
        ),
    },
}


def is_bearer_call() -> bool:
    """Whether this request is an API call with an ``Authorization: Bearer`` header."""
    scheme = request.headers.get("Authorization", "").split(" ", 1)[0]
    return request.path.startswith("/api/") and scheme.lower() == SCHEME


def sign_in_by_token() -> Response | None:
    """Sign this call in by its token (``g.user``, ``g.access_token``), or refuse it."""
    secret = request.headers["Authorization"].split(" ", 1)[-1].strip()
    found = access_tokens.authenticate(secret)
    if found is None:
        return _refused(
            401,
            _("This access token does not work: it is unknown, revoked or expired."),
            www_authenticate='Bearer error="invalid_token"',
        )
    g.user, g.access_token = found
    if request.method not in SAFE_METHODS and not access_tokens.may_write(g.access_token):
        return _refused(
            403,
            _("This access token may only read. Create a read-write token to make changes."),
            www_authenticate='Bearer error="insufficient_scope"',
        )
    return None


def document(spec: APISpec) -> None:
    """Declare the ways to sign in in the OpenAPI document ``spec``: a token or a session,
    or neither for the public endpoints (``security``); each endpoint says who may call it."""
    for name, scheme in SECURITY_SCHEMES.items():
        spec.components.security_scheme(name, scheme)
    spec.options["security"] = [{name: []} for name in SECURITY_SCHEMES] + [{}]


def current_token() -> AccessToken | None:
    """The personal access token of this call, or ``None`` (a session, or a visitor)."""
    return g.get("access_token")


def _refused(code: int, message: str, www_authenticate: str) -> Response:
    status = {401: "Unauthorized", 403: "Forbidden"}[code]
    response = jsonify(code=code, status=status, message=message)
    response.status_code = code
    response.headers["WWW-Authenticate"] = www_authenticate
    return response
