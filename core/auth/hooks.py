"""The auth area as a core plugin."""

from pathlib import Path

from flask import url_for

from ..hookkinds import hookimpl
from ..i18n import _
from ..privacy.service import ProcessingActivity
from ..web.navigation import Group, Link
from . import (
    access_tokens,
    api,
    bearer,
    csrf,
    membership_views,
    models,
    ratelimits,
    sessions,
    views,
    web,
)
from . import cli as accounts_cli
from .personal_data import of_account as personal_data_of_account


@hookimpl
def register_models():
    """Accounts, their roles, sign-in sessions, personal access tokens, and the log of
    membership decisions."""
    return [
        models.Account,
        models.RoleGrant,
        models.SignInSession,
        models.AccessToken,
        models.MembershipDecision,
    ]


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
        return [Link(label=_("Sign in"), href=url_for("auth.login"), group=Group.MAIN)]
    return [
        *membership_views.menu_links(user),
        Link(label=_("My account"), href=url_for("auth.account"), group=Group.ACCOUNT),
    ]


@hookimpl
def dashboard_panels(user):
    """Team memberships waiting: the person's own, and those they may answer."""
    return membership_views.dashboard_panels(user)


@hookimpl
def startup(app):
    """Sign-in sessions and access tokens, CSRF protection and rate limits."""
    web.init_app(app)
    app.extensions["tremplin"].api.describe(bearer.document)
    csrf.init_app(app)
    ratelimits.init_app(app, app.extensions["tremplin"].runtime.region)


@hookimpl
def purge_expired(now):
    """Sessions unused for 30 days; access tokens 30 days after they expired."""
    sessions.purge(now)
    access_tokens.purge(now)


@hookimpl
def personal_data(person):
    """The account's details and roles."""
    return personal_data_of_account(person)


@hookimpl
def processing_activities():
    """Accounts, their sessions and access tokens, in the register of processing activities."""
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
        ),
        ProcessingActivity(
            name=_("Sign-in sessions and access tokens for the API"),
            purpose=_(
                "Keep people signed in, end their sessions when they sign out, and let the "
                "software they authorise use the API in their name."
            ),
            legal_basis=_("Public-interest task of the region (information on occupations)."),
            data=_(
                "For each session: when it started and was last used, and a hash of its "
                "secret. For each access token: its name, its access (read, or read and "
                "write), its last day, when it was created and last used, and a hash of the "
                "token."
            ),
            retention=_(
                "A session until its owner signs out, or 30 days after it was last used; an "
                "access token until it is revoked, or 30 days after its last day. Both end "
                "at once when the account is deleted."
            ),
        ),
    ]
