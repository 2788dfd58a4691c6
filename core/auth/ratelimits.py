"""Rate limits on guessing (sign-in, forgotten password, password confirmations), and on
the API calls of each personal access token.

Flask-Limiter, one limiter per app. Counters live in Redis when the region's queue is
Redis (``TREMPLIN_QUEUE_URL=redis://...``), so every worker and host shares them; in the
process's memory otherwise (then each gunicorn worker counts on its own). A Redis that
stops answering falls back to memory rather than refusing every sign-in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Flask, current_app, jsonify, render_template, request
from flask_limiter import ApplicationLimit, Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from limits.errors import ConfigurationError

from ..i18n import _
from ..region import ConfigError, Region
from . import service
from .bearer import current_token
from .web import current_account

REDIS_SCHEMES = {"redis", "rediss", "redis+sentinel", "redis+cluster"}
# API calls of one personal access token, whatever the endpoint (``TOKEN_RATE_LIMIT``
# in Flask's config changes it).
TOKEN_RATE_LIMIT = "120 per minute; 3000 per hour"


def by_address() -> str:
    """The client's IP address (behind a proxy, configure ProxyFix: see docs/operating.md)."""
    return get_remote_address()


def by_address_and_email() -> str:
    """The client's IP address and the email typed in the form."""
    email = service.normalise_email(request.form.get("email", ""))
    return f"{get_remote_address()}/{email}"


def by_account() -> str:
    """The signed-in account (its password confirmations)."""
    account = current_account()
    return f"account/{account.id if account else '-'}"


def by_token() -> str:
    """The personal access token of an API call."""
    token = current_token()
    return f"token/{token.id if token else '-'}"


def token_rate_limit() -> str:
    """How many calls a personal access token may make (see ``TOKEN_RATE_LIMIT``)."""
    return current_app.config.get("TOKEN_RATE_LIMIT", TOKEN_RATE_LIMIT)


def not_a_token_call() -> bool:
    """Whether this request is signed in otherwise than by a personal access token."""
    return current_token() is None


def failed(response) -> bool:
    """A form sent back instead of a redirection: the attempt failed and counts."""
    return response.status_code >= 400


@dataclass(frozen=True)
class Rule:
    """A limit on the POST requests of one page, counted per ``key``."""

    limit: str
    key: Callable[[], str]
    only_failures: bool = True


# Only failed attempts count, so a person who signs in rightly is never held back; the
# sixth wrong password in a minute is refused even if the seventh try is right.
RULES: dict[str, tuple[Rule, ...]] = {
    "auth.login": (Rule("5 per minute", by_address_and_email), Rule("20 per minute", by_address)),
    # Every request counts: each one sends an email.
    "auth.forgotten_password": (
        Rule("5 per hour", by_address_and_email, only_failures=False),
        Rule("20 per hour", by_address, only_failures=False),
    ),
    "auth.change_email": (Rule("5 per minute", by_account),),
    "auth.change_password": (Rule("5 per minute", by_account),),
    "auth.delete_account": (Rule("5 per minute", by_account),),
}


def storage_uri(region: Region) -> str:
    """Redis when the region's queue is Redis, the process's memory otherwise."""
    if urlsplit(region.queue_url).scheme in REDIS_SCHEMES:
        return region.queue_url
    return "memory://"


def init_app(app: Flask, region: Region) -> Limiter:
    """Create ``app``'s limiter and apply ``RULES`` to the pages registered on it."""
    uri = app.config.get("RATELIMIT_STORAGE_URI") or storage_uri(region)
    try:
        limiter = Limiter(
            by_address,
            app=app,
            storage_uri=uri,
            strategy="moving-window",
            key_prefix=f"tremplin/{region.code}",
            headers_enabled=True,
            in_memory_fallback_enabled=True,
            application_limits=[
                ApplicationLimit(
                    token_rate_limit,
                    key_function=by_token,
                    scope="access-token",
                    exempt_when=not_a_token_call,
                )
            ],
        )
    except ConfigurationError as error:
        raise ConfigError(
            *region.origin("queue_url"),
            _("rate limits cannot use %(uri)s: %(error)s", uri=uri.split("://")[0], error=error),
        ) from error
    for endpoint, rules in RULES.items():
        view = app.view_functions.get(endpoint)
        if view is None:
            continue
        for rule in rules:
            view = limiter.limit(
                rule.limit,
                key_func=rule.key,
                methods=["POST"],
                deduct_when=failed if rule.only_failures else None,
            )(view)
        app.view_functions[endpoint] = view
    app.register_error_handler(RateLimitExceeded, too_many_attempts)
    return limiter


def too_many_attempts(error: RateLimitExceeded):
    """429: a readable page saying when to try again (JSON under ``/api/``)."""
    title = _("Too many attempts")
    explanation = _(
        "For your security, attempts are limited. Wait a few minutes, then try again. "
        "If you forgot your password, ask for a new one."
    )
    if request.path.startswith("/api/"):
        if current_token() is not None:
            explanation = _(
                "This access token made too many calls. Wait a minute, then call again "
                "more slowly (the Retry-After header says how many seconds)."
            )
        return jsonify(code=429, status="Too Many Requests", message=explanation), 429
    page = render_template("auth/refused.html", title=title, explanation=explanation, code=429)
    return page, 429
