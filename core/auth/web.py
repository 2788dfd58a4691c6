"""Sign-in sessions for pages and the API (Flask-Login), and view decorators.

A session is also a row on the server (``sessions``): the cookie carries its secret, so
signing out ends it for any copy of the cookie too. API calls may instead carry a personal
access token (``bearer``). ``current_account`` and ``login_required`` are the web shell's
(``tremplin.web.access``), offered here too, with ``roles_required``, as what protects a page.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import Flask, abort, g
from flask_login import LoginManager, current_user, login_user, logout_user

from ..web.access import current_account, login_required
from . import bearer, sessions
from .models import Account, AccountStatus, Role
from .permissions import has_role

SESSION_ID_SEPARATOR = ":"


class SignedInAccount:
    """What Flask-Login keeps for a signed-in account.

    The session id is the account's id, its ``token_nonce`` (changing the password, or
    using any single-use link, rotates it, which signs out every other session) and the
    secret of the session's row on the server (``sessions``).
    """

    is_authenticated = True
    is_anonymous = False

    def __init__(self, account: Account, session_key: str):
        self.account = account
        self.session_key = session_key

    @property
    def is_active(self) -> bool:
        return self.account.status == AccountStatus.ACTIVE

    def get_id(self) -> str:
        return SESSION_ID_SEPARATOR.join(
            (str(self.account.id), self.account.token_nonce, self.session_key)
        )


def init_app(app: Flask) -> None:
    """Set up sessions; ``g.user`` is the signed-in ``Account`` or ``None`` on every request.

    An API call with ``Authorization: Bearer`` is signed in by its token alone: a bad or
    expired token is answered 401, a read-only token that tries to write 403.
    """
    manager = LoginManager(app)
    manager.login_view = "auth.login"
    manager.user_loader(_load)

    @app.before_request
    def remember_user():
        if bearer.is_bearer_call():
            return bearer.sign_in_by_token()
        g.user = current_user.account if current_user.is_authenticated else None
        return None


def sign_in(account: Account, remember: bool = False) -> None:
    """Start a session for ``account`` (ending the one this browser had, if any)."""
    _end_current_session()
    login_user(SignedInAccount(account, sessions.start(account)), remember=remember)
    g.user = account


def sign_out() -> None:
    """End the current session, on the server too."""
    _end_current_session()
    logout_user()
    g.user = None


def sign_out_everywhere(account: Account) -> None:
    """End every session of ``account``, this one included, on every device."""
    sessions.end_every_session(account)
    logout_user()
    g.user = None


def _end_current_session() -> None:
    if current_user.is_authenticated:
        sessions.end(current_user.session_key)


def roles_required(*roles: Role) -> Callable[[Callable], Callable]:
    """Allow only accounts holding one of ``roles`` (403 otherwise)."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not any(has_role(current_account(), role) for role in roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _load(session_id: str) -> SignedInAccount | None:
    parts = session_id.split(SESSION_ID_SEPARATOR)
    if len(parts) != 3 or not parts[0].isdigit() or len(parts[0]) > 10:
        return None  # a session of an older version, or not ours: signed out
    account_id, nonce, key = parts
    account = sessions.account_of(int(account_id), nonce, key)
    return SignedInAccount(account, key) if account else None


__all__ = [
    "SignedInAccount",
    "current_account",
    "init_app",
    "login_required",
    "roles_required",
    "sign_in",
    "sign_out",
    "sign_out_everywhere",
]
