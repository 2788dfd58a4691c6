"""Test clients signed in through the sign-in page, and forms posted with their CSRF token."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from flask import Flask
from flask.testing import FlaskClient

from ..auth.models import Account
from ..people.models import Ambassador

if TYPE_CHECKING:
    from .factories import Network

# The password of every account the kit's factories make.
PASSWORD = "un mot de passe solide"
CSRF_FIELD = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
# A page every signed-in person may open, whose form gives the session's CSRF token.
ACCOUNT_PAGE = "/mon-compte"


def csrf_token_from(client: FlaskClient, url: str) -> str:
    """The CSRF token of the first form on page ``url`` (fetched with ``client``).

    The token belongs to the client's session: send it back with the same client, as the
    ``csrf_token`` field of a form or the ``X-CSRFToken`` header of an API call.
    """
    response = client.get(url)
    match = CSRF_FIELD.search(response.get_data(as_text=True))
    if match is None:
        raise AssertionError(f"no csrf_token field on {url} (status {response.status_code})")
    return match.group(1)


def post_form(client: FlaskClient, url: str, data: dict[str, Any], **kwargs: Any):
    """Post ``data`` to the form of page ``url``, with the token read from that page."""
    return client.post(url, data={**data, "csrf_token": csrf_token_from(client, url)}, **kwargs)


Someone = Account | Ambassador | str


def email_of(client: FlaskClient, who: Someone) -> str:
    """The email ``who`` (an account, an ambassador's profile or an email) signs in with."""
    if isinstance(who, str):
        return who
    if isinstance(who, Ambassador):
        with client.application.app_context():
            return Account.get_by_id(who.account_id).email
    return who.email


def sign_in(client: FlaskClient, who: Someone, password: str = PASSWORD) -> FlaskClient:
    """Sign ``client`` in through the sign-in form as ``who`` (an account, an ambassador's
    profile or an email) and return it; fail the test if the form refuses. The kit's
    accounts have the password ``PASSWORD``."""
    email = email_of(client, who)
    response = post_form(client, "/connexion", {"email": email, "password": password})
    if response.status_code != 302:
        raise AssertionError(f"signing in as {email} failed (status {response.status_code})")
    return client


def client_of(app: Flask | Network, who: Someone, password: str = PASSWORD) -> FlaskClient:
    """A new test client of ``app`` (or of a ``Network``'s app), signed in as ``who``
    through the sign-in page."""
    flask_app = app if isinstance(app, Flask) else app.app
    return sign_in(flask_app.test_client(), who, password)


def api_client(app: Flask | Network, who: Someone, password: str = PASSWORD) -> FlaskClient:
    """A test client signed in as ``who`` that sends its session's CSRF token with every
    request (header ``X-CSRFToken``), as the site's own scripts do: ready for the API."""
    client = client_of(app, who, password)
    client.environ_base["HTTP_X_CSRFTOKEN"] = csrf_token_from(client, ACCOUNT_PAGE)
    return client
