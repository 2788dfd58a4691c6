"""Cross-site request forgery: every form and every signed-in API call carries a token.

Flask-WTF's ``CSRFProtect`` checks POST, PUT, PATCH and DELETE requests. Forms send the
token in a hidden field (``<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">``);
JSON clients of ``/api/`` send it in the ``X-CSRFToken`` header when they are signed in
by the session cookie. An API call without a signed-in session, or signed in by a
personal access token (``bearer``), carries no ambient credential for a forger to borrow,
so it is not checked.
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError, CSRFProtect

from ..i18n import _
from .bearer import current_token


def init_app(app: Flask) -> CSRFProtect:
    """Check the token of every state-changing request of ``app`` (tests included)."""
    # The token lives as long as the session: a form left open over lunch still works.
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    # Checked below, to let anonymous API calls through; Flask-WTF's own check is off.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    protection = CSRFProtect(app)

    @app.before_request
    def check_csrf_token():
        if not app.config.get("WTF_CSRF_ENABLED", True):
            return
        if is_api_request() and (current_token() or not current_user.is_authenticated):
            return
        protection.protect(apply_exemptions=True)

    app.register_error_handler(CSRFError, refused)
    return protection


def is_api_request() -> bool:
    """Whether the current request is a call of the JSON API."""
    return request.path.startswith("/api/")


def refused(error: CSRFError):
    """400: a readable page saying what to do (JSON under ``/api/``)."""
    if is_api_request():
        message = _("Send the X-CSRFToken header with the token of your session.")
        return jsonify(code=400, status="Bad Request", message=message), 400
    return (
        render_template(
            "auth/refused.html",
            title=_("This form has expired"),
            explanation=_(
                "For your security, a form is only accepted from the page that showed it, "
                "during your visit. Go back, reload the page and send the form again."
            ),
            code=400,
        ),
        400,
    )
