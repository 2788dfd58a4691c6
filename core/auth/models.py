"""Accounts and the roles they hold."""

import secrets
from dataclasses import dataclass
from enum import StrEnum

import peewee

from ..clock import now
from ..db import BaseModel
from ..organisations.models import Organisation
from ..territories.models import Territory


class AccountStatus(StrEnum):
    """Where an account is in its life."""

    PENDING = "pending"  # registered, activation link not used yet
    ACTIVE = "active"
    SUSPENDED = "suspended"
    DELETED = "deleted"  # anonymised; kept only so figures stay right


class Departure(StrEnum):
    """Why an account stops (``account_leaving``)."""

    DELETED = "deleted"  # by the person, or answering an erasure request
    SUSPENDED = "suspended"  # by a referent or an administrator


class Role(StrEnum):
    """What an account may do; referent, educator and partner manager roles are scoped."""

    AMBASSADOR = "ambassador"
    EDUCATOR = "educator"  # scoped to an organisation (school or support structure)
    REFERENT = "referent"  # scoped to a territory (and everything inside it)
    ADMIN = "admin"  # the whole region
    PARTNER_MANAGER = "partner_manager"  # scoped to an organisation (employer)


class Gender(StrEnum):
    """A gender an account may declare (optional): only counted, for the gender balance figures."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


def new_nonce() -> str:
    """A fresh value that invalidates every link signed before it."""
    return secrets.token_hex(16)


@dataclass
class AccountInRequest:
    """What a request learned of its signed-in account, for the rest of the request: the
    roles in force (read with the session), then on first use the grants in force (role,
    territory, organisation) and the territories covered (``tremplin.auth.permissions``)."""

    roles: frozenset[Role]
    grants: list[tuple[Role, int | None, int | None]] | None = None
    covered: frozenset[int] | None = None


class Account(BaseModel):
    """A person who signs in. Email and phone are private: never shown to other users."""

    # Set on the account read with a session (``tremplin.auth.sessions``), which lives for
    # one request; None on any other (a command's, a test's): asked again each time.
    in_request: AccountInRequest | None = None

    email = peewee.CharField(max_length=254, unique=True)  # stored lower-case
    password_hash = peewee.CharField(max_length=200, null=True)
    first_name = peewee.CharField(max_length=100)
    last_name = peewee.CharField(max_length=100)
    phone = peewee.CharField(max_length=30, null=True)
    gender = peewee.CharField(max_length=20, null=True)  # declared, optional: for figures only
    locale = peewee.CharField(max_length=5, default="fr")
    status = peewee.CharField(max_length=20, default=AccountStatus.PENDING, index=True)
    token_nonce = peewee.CharField(max_length=32, default=new_nonce)
    pending_email = peewee.CharField(max_length=254, null=True)
    created_at = peewee.DateTimeField(default=now)
    activated_at = peewee.DateTimeField(null=True)
    last_login_at = peewee.DateTimeField(null=True)
    deleted_at = peewee.DateTimeField(null=True)

    class Meta:
        # The key figures count active accounts by gender from this index alone (0004).
        indexes = ((("status", "gender"), False),)

    @property
    def display_name(self) -> str:
        """What other users see: first name and the initial of the last name."""
        initial = f" {self.last_name[:1]}." if self.last_name else ""
        return f"{self.first_name}{initial}"

    def __str__(self) -> str:
        return self.display_name


# Roles held as a member of an organisation: joining one needs a member's or referent's yes.
MEMBER_ROLES = (Role.EDUCATOR, Role.PARTNER_MANAGER)


class RoleGrant(BaseModel):
    """One role of an account, with its scope (a territory or an organisation) when it has one.

    A grant asked for by the person (joining a school's team) is ``pending``: it gives
    nothing until an active member of the organisation or a referent of its territory
    approves it (see ``tremplin.auth.memberships``). Grants given by an administrator are
    in force at once.
    """

    account = peewee.ForeignKeyField(Account, backref="grants", on_delete="CASCADE")
    role = peewee.CharField(max_length=20, index=True)
    territory = peewee.ForeignKeyField(Territory, null=True, on_delete="RESTRICT", index=True)
    organisation = peewee.ForeignKeyField(Organisation, null=True, on_delete="CASCADE", index=True)
    created_at = peewee.DateTimeField(default=now)
    pending = peewee.BooleanField(default=False)
    approved_at = peewee.DateTimeField(null=True)
    approved_by = peewee.ForeignKeyField(
        Account, null=True, on_delete="SET NULL", backref="approved_grants"
    )

    class Meta:
        indexes = ((("account", "role", "territory", "organisation"), True),)

    @property
    def approved(self) -> bool:
        """Whether the grant is in force."""
        return not self.pending

    @classmethod
    def in_force(cls) -> peewee.Expression:
        """SQL condition of the grants that give their role (not waiting for approval)."""
        return cls.pending == False  # noqa: E712 (SQL)

    @classmethod
    def waiting(cls) -> peewee.Expression:
        """SQL condition of the grants waiting for approval."""
        return cls.pending == True  # noqa: E712 (SQL)


class Decision(StrEnum):
    """What became of a membership."""

    APPROVED = "approved"
    REFUSED = "refused"
    LEFT = "left"  # the member left, or was removed from, the organisation


class MembershipDecision(BaseModel):
    """The log of approvals, refusals and departures of an organisation's members.

    Only ids: once an account is deleted, nothing here names the person.
    """

    organisation = peewee.ForeignKeyField(Organisation, on_delete="CASCADE", index=True)
    role = peewee.CharField(max_length=20)
    member = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
    decided_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
    decision = peewee.CharField(max_length=20)
    decided_at = peewee.DateTimeField(default=now, index=True)

    class Meta:
        table_name = "membership_decision"


class SignInSession(BaseModel):
    """One signed-in browser. Its cookie names it by a secret kept here only as a hash, so
    that signing out ends the session on the server, not just in that browser."""

    account = peewee.ForeignKeyField(Account, backref="sign_in_sessions", on_delete="CASCADE")
    key_hash = peewee.CharField(max_length=64, unique=True)  # SHA-256 of the cookie's secret
    created_at = peewee.DateTimeField(default=now)
    last_seen_at = peewee.DateTimeField(default=now, index=True)


class AccessScope(StrEnum):
    """What a personal access token may do in the API."""

    READ = "read"  # GET only
    READ_WRITE = "read-write"


class AccessToken(BaseModel):
    """A personal access token: a machine client acting in the API as the account.

    Only the SHA-256 of the token is kept; the token itself is shown once, when created.
    Revoking deletes the row.
    """

    account = peewee.ForeignKeyField(Account, backref="access_tokens", on_delete="CASCADE")
    name = peewee.CharField(max_length=100)
    scope = peewee.CharField(max_length=20)
    token_hash = peewee.CharField(max_length=64, unique=True)
    hint = peewee.CharField(max_length=16)  # the token's first characters, to recognise it
    created_at = peewee.DateTimeField(default=now)
    expires_at = peewee.DateTimeField(index=True)
    last_used_at = peewee.DateTimeField(null=True)
