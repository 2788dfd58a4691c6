"""Sign-in sessions for pages and the API (Flask-Login), and view decorators.

``current_account`` and ``login_required`` are the web shell's (``tremplin.web.access``),
offered here too, with ``roles_required``, as what protects a page.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import Flask, abort, g
from flask_login import LoginManager, current_user, login_user, logout_user

from ..web.access import current_account, login_required
from .models import Account, AccountStatus, Role
from .permissions import has_role

SESSION_ID_SEPARATOR = ":"


class SignedInAccount:
    """What Flask-Login keeps for a signed-in account.

    The session id includes the account's ``token_nonce``: changing the password (or using
    any single-use link) rotates it, which signs out every other session.
    """

    is_authenticated = True
    is_anonymous = False

    def __init__(self, account: Account):
        self.account = account

    @property
    def is_active(self) -> bool:
        return self.account.status == AccountStatus.ACTIVE

    def get_id(self) -> str:
        return f"{self.account.id}{SESSION_ID_SEPARATOR}{self.account.token_nonce}"


def init_app(app: Flask) -> None:
    """Set up sessions; ``g.user`` is the signed-in ``Account`` or ``None`` on every request."""
    manager = LoginManager(app)
    manager.login_view = "auth.login"
    manager.user_loader(_load)

    @app.before_request
    def remember_user():
        g.user = current_user.account if current_user.is_authenticated else None


def sign_in(account: Account, remember: bool = False) -> None:
    """Start a session for ``account``."""
    login_user(SignedInAccount(account), remember=remember)
    g.user = account


def sign_out() -> None:
    """End the current session."""
    logout_user()
    g.user = None


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
    account_id, _, nonce = session_id.partition(SESSION_ID_SEPARATOR)
    if not account_id.isdigit():
        return None
    account = Account.get_or_none(
        Account.id == int(account_id),
        Account.token_nonce == nonce,
        Account.status == AccountStatus.ACTIVE,
    )
    return SignedInAccount(account) if account else None


__all__ = [
    "SignedInAccount",
    "current_account",
    "init_app",
    "login_required",
    "roles_required",
    "sign_in",
    "sign_out",
]
