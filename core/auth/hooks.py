"""The auth area as a core plugin."""

from pathlib import Path

from flask import url_for

from ..hookspecs import hookimpl
from ..i18n import _
from ..privacy.service import ProcessingActivity
from ..web.navigation import Link
from . import api, csrf, membership_views, models, ratelimits, views, web
from . import cli as accounts_cli
from .personal_data import of_account as personal_data_of_account


@hookimpl
def register_models():
    """Accounts, their roles, and the log of membership decisions."""
    return [models.Account, models.RoleGrant, models.MembershipDecision]


@hookimpl
def register_migrations():
    """The auth area's migrations."""
    return [("auth", Path(__file__).parent / "migrations")]


@hookimpl
def register_blueprints(app):
    """The account pages, the team membership pages and ``/api/v1/me``."""
    return [views.blueprint, membership_views.blueprint, api.api]


@hookimpl
def register_commands(cli):
    """``tremplin accounts create|grant|revoke``."""
    cli.add_command(accounts_cli.accounts_group)


@hookimpl
def menu_links(user):
    """A sign-in link for visitors; their account and teams (and the membership requests
    they answer) for signed-in people."""
    if user is None:
        return [Link(label=_("Sign in"), href=url_for("auth.login"))]
    return [
        *membership_views.menu_links(user),
        Link(label=_("My account"), href=url_for("auth.account")),
    ]


@hookimpl
def dashboard_panels(user):
    """Team memberships waiting: the person's own, and those they may answer."""
    return membership_views.dashboard_panels(user)


@hookimpl
def startup(app):
    """Sign-in sessions, CSRF protection and rate limits."""
    web.init_app(app)
    csrf.init_app(app)
    ratelimits.init_app(app, app.extensions["tremplin"].runtime.region)


@hookimpl
def personal_data(person):
    """The account's details and roles."""
    return personal_data_of_account(person)


@hookimpl
def processing_activities():
    """Accounts, in the register of processing activities."""
    return [
        ProcessingActivity(
            name=_("User accounts"),
            purpose=_(
                "Let ambassadors, educational teams, referents and partners sign in and act "
                "according to their role and territory."
            ),
            legal_basis=_("Public-interest task of the region (information on occupations)."),
            data=_(
                "Email address, first and last name, phone (optional), language, declared "
                "gender (optional), roles, dates of creation, activation and last sign-in."
            ),
            retention=_(
                "As long as the account exists; when it is deleted, names, email, phone and "
                "roles are erased at once and only anonymised dates remain for statistics."
            ),
        )
    ]
