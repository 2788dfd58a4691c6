"""The auth area as a core plugin."""

from pathlib import Path

from flask import url_for

from ..hookspecs import hookimpl
from ..i18n import _
from ..web.navigation import Link
from . import api, csrf, models, ratelimits, views, web
from . import cli as accounts_cli


@hookimpl
def register_models():
    """Accounts and their roles."""
    return [models.Account, models.RoleGrant]


@hookimpl
def register_migrations():
    """The auth area's migrations."""
    return [("auth", Path(__file__).parent / "migrations")]


@hookimpl
def register_blueprints(app):
    """The account pages and ``/api/v1/me``."""
    return [views.blueprint, api.api]


@hookimpl
def register_commands(cli):
    """``tremplin accounts create|grant|revoke``."""
    cli.add_command(accounts_cli.accounts_group)


@hookimpl
def menu_links(user):
    """A sign-in link for visitors, a link to their account for signed-in people."""
    if user is None:
        return [Link(label=_("Sign in"), href=url_for("auth.login"))]
    return [Link(label=_("My account"), href=url_for("auth.account"))]


@hookimpl
def startup(app):
    """Sign-in sessions, CSRF protection and rate limits."""
    web.init_app(app)
    csrf.init_app(app)
    ratelimits.init_app(app, app.extensions["tremplin"].runtime.region)
