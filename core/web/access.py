"""Who is signed in, for any page: the account the auth area put in ``g.user``.

The web shell sits below the domain areas, so that every area may use it; the auth area
signs people in and sets ``g.user`` on every request (``tremplin.auth.web``), and pages
ask here. ``tremplin.auth.web`` offers these two as well, with ``roles_required``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import abort, g, redirect, request, url_for


def current_account() -> Any:
    """The signed-in ``tremplin.auth.models.Account`` of this request, or ``None``."""
    return g.get("user")


def login_required(view: Callable) -> Callable:
    """Send visitors to the sign-in page (401 JSON under ``/api/``)."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if current_account() is None:
            if request.path.startswith("/api/"):
                abort(401)
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped
