"""Security headers on every response, and cookies kept to HTTPS when the instance is.

flask-talisman sets them after every view, error pages and files included (see
docs/operating.md, "Security", for the choice):

* ``Content-Security-Policy``: everything from the instance itself, no inline script nor
  style (no template may hold one: tests/core/web/test_security_headers.py reads them all),
  no plugin objects, no ``<base>`` elsewhere, forms sent to the instance only, and no
  framing (``frame-ancestors 'none'``);
* ``X-Frame-Options: DENY`` for the browsers that ignore ``frame-ancestors``;
* ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: strict-origin-when-cross-origin``
  (unless the view chose a stricter one);
* over HTTPS (``[web] https``, on when ``base_url`` is ``https://``): the session cookie is
  ``Secure`` and ``Strict-Transport-Security`` is sent with every answer given over HTTPS.

Redirecting plain HTTP to HTTPS is left to the reverse proxy, which also answers the load
balancer's ``/healthz`` over HTTP.
"""

from __future__ import annotations

from flask import Flask
from flask_talisman import DENY, Talisman

from ..region import Region

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "img-src": "'self' data:",  # data: for the small images a stylesheet may embed
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
HSTS_MAX_AGE = 365 * 24 * 3600  # a year, what browsers' preload lists ask for


class _Talisman(Talisman):
    """Talisman, leaving alone a ``Referrer-Policy`` a view set itself: a page reached by a
    single-use link (a document to sign) sends ``no-referrer``, so that the link's token
    never leaves in a ``Referer``."""

    def _set_referrer_policy_headers(self, headers) -> None:
        if "Referrer-Policy" not in headers:
            super()._set_referrer_policy_headers(headers)


def init_app(app: Flask, region: Region) -> Talisman:
    """Set ``app``'s security headers and its cookies' ``Secure`` flag from ``region``."""
    app.config["SESSION_COOKIE_SECURE"] = region.https
    app.config["REMEMBER_COOKIE_SECURE"] = region.https
    return _Talisman(
        app,
        force_https=False,
        frame_options=DENY,
        content_security_policy=CONTENT_SECURITY_POLICY,
        strict_transport_security=region.https,
        strict_transport_security_max_age=HSTS_MAX_AGE,
        strict_transport_security_include_subdomains=True,
        referrer_policy="strict-origin-when-cross-origin",
        session_cookie_secure=region.https,
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
        x_content_type_options=True,
    )
