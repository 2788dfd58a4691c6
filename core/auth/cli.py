"""``tremplin accounts``: create referents, admins and partner managers; grant and revoke roles.

Ambassadors and educators register themselves on the website; operators create the
accounts that act for the network.
"""

from __future__ import annotations

import sys

import click
from marshmallow import ValidationError
from marshmallow.validate import Email

from ..db import database
from ..errors import CliError, Invalid
from ..i18n import _
from ..organisations.models import Organisation
from ..territories.models import Territory
from . import service
from .models import Account, AccountStatus, Role

# Roles an operator gives from the command line, with the scope each needs.
SCOPES = {
    Role.ADMIN: None,
    Role.REFERENT: "territory",
    Role.PARTNER_MANAGER: "organisation",
    Role.EDUCATOR: "organisation",
}

# Checked by the commands rather than by click, so a mistake is told in one line.
role_option = click.option("--role", help="admin, referent, partner_manager or educator.")
territory_option = click.option(
    "--territory", metavar="CODE", help="Territory code of a referent (59, a basin code...)."
)
organisation_option = click.option(
    "--organisation",
    metavar="ID",
    help="SIRET, UAI or number of the organisation of a partner manager or educator.",
)


@click.group("accounts")
def accounts_group():
    """Accounts of referents, admins and partner managers."""


@accounts_group.command("create")
@click.argument("email")
@click.option("--first-name", default="")
@click.option("--last-name", default="")
@role_option
@territory_option
@organisation_option
@click.option("--locale", default="fr", show_default=True, help="Language of emails: fr or en.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from standard input and activate at once (no email).",
)
def create_command(
    email, first_name, last_name, role, territory, organisation, locale, password_stdin
):
    """Create the account of EMAIL with a role; an activation link (12 hours) is emailed."""
    _check_email(email)
    if not first_name.strip() or not last_name.strip():
        raise CliError(_("give --first-name and --last-name"))
    role, scope = _scope(role, territory, organisation)
    if locale not in ("fr", "en"):
        raise CliError(_("--locale must be fr or en"))
    password = _read_password() if password_stdin else None
    try:
        if password is not None:
            service.check_password_rules(password)
        with database.atomic():
            account = service.create_account(
                email,
                first_name,
                last_name,
                locale=locale,
                password=password,
                status=AccountStatus.ACTIVE if password else AccountStatus.PENDING,
            )
            service.grant(account, role, **scope)
            if password is None:
                service.send_activation(account)
    except Invalid as error:
        raise CliError(_one_line(error)) from error
    if password is None:
        click.echo(
            _(
                "Account %(email)s created; the activation email is queued: "
                "`tremplin worker` sends it.",
                email=account.email,
            )
        )
    else:
        click.echo(_("Account %(email)s created and active.", email=account.email))


@accounts_group.command("grant")
@click.argument("email")
@role_option
@territory_option
@organisation_option
def grant_command(email, role, territory, organisation):
    """Give EMAIL's account a role (a referent's territory, a manager's organisation)."""
    account = _account(email)
    role, scope = _scope(role, territory, organisation)
    service.grant(account, role, **scope)
    click.echo(_("%(email)s is now %(role)s.", email=account.email, role=role.value))


@accounts_group.command("revoke")
@click.argument("email")
@role_option
@territory_option
@organisation_option
def revoke_command(email, role, territory, organisation):
    """Take a role back from EMAIL's account (every scope of it unless one is given)."""
    account = _account(email)
    role = _role(role)
    scope = {
        "territory": _territory(territory) if territory else None,
        "organisation": _organisation(organisation) if organisation else None,
    }
    if not service.revoke(account, role, **scope):
        raise CliError(_("%(email)s does not hold this role", email=account.email))
    click.echo(_("%(email)s is no longer %(role)s.", email=account.email, role=role.value))


def _check_email(email: str) -> None:
    try:
        Email()(email.strip())
    except ValidationError as error:
        raise CliError(_("%(email)r is not an email address", email=email)) from error


def _role(name: str | None) -> Role:
    if not name:
        raise CliError(_("give --role (%(choices)s)", choices=", ".join(SCOPES)))
    try:
        role = Role(name)
    except ValueError:
        role = None
    if role not in SCOPES:
        choices = ", ".join(role.value for role in SCOPES)
        raise CliError(_("unknown role %(role)r (choose: %(choices)s)", role=name, choices=choices))
    return role


def _scope(role_name: str, territory: str | None, organisation: str | None):
    role = _role(role_name)
    needed = SCOPES[role]
    if needed == "territory" and not territory:
        raise CliError(_("a referent needs --territory CODE"))
    if needed == "organisation" and not organisation:
        raise CliError(_("this role needs --organisation SIRET, UAI or number"))
    if needed != "territory" and territory:
        raise CliError(_("--territory applies to referents only"))
    if needed != "organisation" and organisation:
        raise CliError(_("--organisation applies to partner managers and educators only"))
    if needed == "territory":
        return role, {"territory": _territory(territory)}
    if needed == "organisation":
        return role, {"organisation": _organisation(organisation)}
    return role, {}


def _territory(code: str) -> Territory:
    territory = Territory.get_or_none(Territory.code == code.strip())
    if territory is None:
        raise CliError(_("no territory has the code %(code)r", code=code))
    return territory


def _organisation(reference: str) -> Organisation:
    reference = reference.replace(" ", "").strip()
    found = Organisation.get_or_none(
        (Organisation.siret == reference) | (Organisation.uai == reference.upper())
    )
    if found is None and reference.isdigit() and len(reference) < 14:
        found = Organisation.get_or_none(Organisation.id == int(reference))
    if found is None:
        raise CliError(_("no organisation has the SIRET, UAI or number %(ref)r", ref=reference))
    return found


def _account(email: str) -> Account:
    account = service.find_account(email)
    if account is None:
        raise CliError(_("no account uses %(email)s", email=email))
    return account


def _read_password() -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise CliError(_("no password on standard input"))
    return password


def _one_line(error: Invalid) -> str:
    return "; ".join(" ".join(map(str, messages)) for messages in error.errors.values())
