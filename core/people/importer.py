"""``tremplin import ambassadors FILE``: ambassadors from another platform, in bulk.

One row per ambassador, identified by email. A new email creates a pending account with
the ambassador role, the profile, its offers and zones, its holds (what the plugins answer
to ``ambassador_holds``), and queues the activation email (the command sends it when it
ends). A known ambassador's row updates what changed and sends nothing; the same file
imported again reports every row unchanged.

Built for tens of thousands of rows: rows are validated in Python (a plain row by hand,
``quick_import_row``, any other by the schema, which words the errors), then written in
chunks (``insert_rows``) with a few lookups per chunk instead of queries per row, all in
one transaction: a failure leaves nothing half-imported. Imported accounts have no
password yet, so no password is hashed.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import peewee
from marshmallow import ValidationError

from ..auth import service as accounts
from ..auth.models import Account, AccountStatus, Role, RoleGrant, new_nonce
from ..clock import now
from ..db import among, database, insert_rows
from ..errors import Invalid
from ..i18n import _
from ..imports import Importer, Row
from ..reports import ImportReport
from ..territories.models import Territory
from ..validation import field_errors
from . import holds
from .models import Ambassador, AmbassadorOffer, AmbassadorZone
from .schemas import ImportRowSchema, quick_import_row
from .service import Places, profile_columns, resolve_places

COLUMNS = (
    "email",
    "first_name",
    "last_name",
    "kind",
    "occupation",
    "rome_code",
    "sector",
    "intervention_types",
    "modes",
    "zones",
    "monthly_capacity",
)
OPTIONAL_COLUMNS = (
    "phone",
    "gender",
    "locale",
    "organisation_name",
    "presentation",
    "home_territory",
    "max_distance_km",
    "paused_until",
)
LIST_COLUMNS = ("intervention_types", "modes", "zones")
LIST_SEPARATOR = "|"

# Rows validated before each write; ids per ``IN (...)`` lookup (well under SQLite's 32,766
# variables).
CHUNK_ROWS = 1000
INSERT_ROWS = 500

# Which profile columns each CSV column decides: a column absent from the file leaves the
# ambassador's value alone when a known ambassador is updated.
PROFILE_COLUMNS_OF = {
    "kind": ("kind",),
    "occupation": ("occupation", "search_text"),
    "rome_code": ("rome_code", "search_text"),
    "sector": ("sector", "search_text"),
    "organisation_name": ("organisation_name",),
    "presentation": ("presentation",),
    "modes": ("on_site", "remote"),
    "home_territory": ("home_territory", "latitude", "longitude"),
    "max_distance_km": ("max_distance_km",),
    "monthly_capacity": ("monthly_capacity",),
    "paused_until": ("paused_until",),
}
ACCOUNT_COLUMNS = ("first_name", "last_name", "phone", "gender", "locale")


def importer() -> Importer:
    """The ``ambassadors`` importer, for the ``register_importers`` hook."""
    return Importer(
        name="ambassadors",
        description=_("Ambassadors"),
        columns=COLUMNS,
        load=load,
    )


@dataclass
class _Valid:
    line: int
    data: dict[str, Any]
    places: Places
    header: frozenset[str]


def load(rows: Iterable[Row]) -> ImportReport:
    """Create or update the ambassadors of ``rows``; bad rows reported with their line."""
    report = ImportReport(subject=_("Ambassadors"))
    territories = {territory.code: territory for territory in Territory.select()}
    schema = ImportRowSchema()
    seen: dict[str, int] = {}
    with _collector_paused(), database.atomic():
        batch: list[_Valid] = []
        for line, row in rows:
            valid = _validate(line, row, schema, territories, seen, report)
            if valid is not None:
                batch.append(valid)
            if len(batch) >= CHUNK_ROWS:
                _write(batch, report)
                batch = []
        if batch:
            _write(batch, report)
    report.rejected.sort(key=lambda rejection: rejection.line)
    return report


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off for the import, on again after (if it was on).

    An import allocates rows, dicts and model instances by the hundred thousand; each
    allocation burst made the collector walk every object still alive, again and again,
    for cycles it does not make (an eighth of the import's time at 20,000 rows). What
    it would have freed is freed when the collector runs again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _validate(
    line: int,
    row: Mapping[str, Any],
    schema: ImportRowSchema,
    territories: Mapping[str, Territory],
    seen: dict[str, int],
    report: ImportReport,
) -> _Valid | None:
    raw = {
        key: (value.split(LIST_SEPARATOR) if key in LIST_COLUMNS and value else value)
        for key, value in row.items()
    }
    data = quick_import_row(raw)
    if data is None:  # not plain, or invalid: the schema decides, and words the errors
        try:
            data = schema.load(raw)
        except ValidationError as error:
            report.reject(line, _reason(field_errors(error.messages)))
            return None
    data["email"] = accounts.normalise_email(data["email"])
    if data["email"] in seen:
        message = _(
            "%(email)s already appears on line %(other)d.",
            email=data["email"],
            other=seen[data["email"]],
        )
        report.reject(line, _reason({"email": [message]}))
        return None
    seen[data["email"]] = line
    try:
        places = resolve_places(data, territories)
    except Invalid as error:
        report.reject(line, _reason(error.errors))
        return None
    return _Valid(line=line, data=data, places=places, header=frozenset(row))


def _write(batch: list[_Valid], report: ImportReport) -> None:
    emails = [valid.data["email"] for valid in batch]
    known = {
        account.email: account
        for chunk in peewee.chunked(emails, INSERT_ROWS)
        for account in Account.select().where(among(Account.email, chunk))
    }
    profiles = {
        ambassador.account_id: ambassador
        for chunk in peewee.chunked([account.id for account in known.values()], INSERT_ROWS)
        for ambassador in Ambassador.select().where(among(Ambassador.account, chunk))
    }
    offers, zones = _offers_and_zones([ambassador.id for ambassador in profiles.values()])
    new: list[_Valid] = []
    for valid in batch:
        account = known.get(valid.data["email"])
        if account is None:
            new.append(valid)
        elif account.id not in profiles:
            message = _("An account that is not an ambassador's already uses this address.")
            report.reject(valid.line, _reason({"email": [message]}))
        elif _update(valid, account, profiles[account.id], offers, zones):
            report.updated += 1
        else:
            report.unchanged += 1
    if new:
        _create(new)
        report.created += len(new)


def _create(new: list[_Valid]) -> None:
    created_at = now()
    account_rows = [
        {
            "email": valid.data["email"],
            "first_name": valid.data["first_name"],
            "last_name": valid.data["last_name"],
            "phone": valid.data.get("phone"),
            "gender": valid.data.get("gender"),
            "locale": valid.data.get("locale") or "fr",
            "status": AccountStatus.PENDING,
            "token_nonce": new_nonce(),
            "created_at": created_at,
        }
        for valid in new
    ]
    insert_rows(Account, account_rows)
    account_ids = _ids_of(Account.email, [row["email"] for row in account_rows])
    # Every column with a default given (``pending``): otherwise peewee adds it to the
    # statement and ``insert_rows`` falls back to its slow multi-row inserts.
    insert_rows(
        RoleGrant,
        [
            {
                "account": account_id,
                "role": Role.AMBASSADOR,
                "created_at": created_at,
                "pending": False,
            }
            for account_id in account_ids
        ],
    )
    ambassador_rows = [
        {"account": account_id, "created_at": created_at, **profile_columns(v.data, v.places)}
        for account_id, v in zip(account_ids, new, strict=True)
    ]
    insert_rows(Ambassador, ambassador_rows)
    ambassador_ids = _ids_of(Ambassador.account, account_ids)
    offer_rows, zone_rows = [], []
    for ambassador_id, valid in zip(ambassador_ids, new, strict=True):
        offer_rows.extend(_offer_rows(ambassador_id, valid))
        zone_rows.extend(_zone_rows(ambassador_id, valid))
    insert_rows(AmbassadorOffer, offer_rows)
    insert_rows(AmbassadorZone, zone_rows)
    # Held from the start for what the plugins require (a charter to accept...). The rows
    # are those just written, not read back: the columns left out are null. Built as
    # peewee builds the rows it reads (``__no_default__``): the columns' defaults, such as
    # a fresh nonce and the time, would be computed for each instance only to be replaced.
    holds.hold_new(
        Ambassador(__no_default__=True, id=ambassador_id, **row)
        for ambassador_id, row in zip(ambassador_ids, ambassador_rows, strict=True)
    )
    accounts.send_activations(
        [
            Account(
                __no_default__=True,
                id=account_id,
                email=row["email"],
                first_name=row["first_name"],
                locale=row["locale"],
                token_nonce=row["token_nonce"],
            )
            for account_id, row in zip(account_ids, account_rows, strict=True)
        ]
    )


def _ids_of(key: peewee.Field, values: list[Any]) -> list[int]:
    """The ids of the rows just inserted whose unique ``key`` is each of ``values``, in order."""
    model = key.model
    found = {
        value: row_id
        for chunk in peewee.chunked(values, INSERT_ROWS)
        for value, row_id in model.select(key, model.id).where(among(key, chunk)).tuples()
    }
    return [found[value] for value in values]


def _update(
    valid: _Valid,
    account: Account,
    ambassador: Ambassador,
    offers: Mapping[int, set[str]],
    zones: Mapping[int, set[int]],
) -> bool:
    """Bring a known ambassador in line with its row; return whether anything changed."""
    columns = profile_columns(valid.data, valid.places)
    decided = {
        column
        for csv_column, profile_columns_ in PROFILE_COLUMNS_OF.items()
        if csv_column in valid.header
        for column in profile_columns_
    }
    profile_changes = {
        column: value
        for column, value in columns.items()
        if column in decided and _current(ambassador, column) != value
    }
    account_changes = {
        column: valid.data.get(column)
        for column in ACCOUNT_COLUMNS
        if column in valid.header and getattr(account, column) != valid.data.get(column)
    }
    if "locale" in account_changes and account_changes["locale"] is None:
        del account_changes["locale"]
    new_offers = set(valid.data["intervention_types"])
    new_zones = {territory.id for territory in valid.places.zones}
    offers_changed = offers.get(ambassador.id, set()) != new_offers
    zones_changed = zones.get(ambassador.id, set()) != new_zones
    if profile_changes:
        Ambassador.update(**profile_changes).where(Ambassador.id == ambassador.id).execute()
    if account_changes:
        Account.update(**account_changes).where(Account.id == account.id).execute()
    if offers_changed:
        AmbassadorOffer.delete().where(AmbassadorOffer.ambassador == ambassador.id).execute()
        insert_rows(AmbassadorOffer, _offer_rows(ambassador.id, valid))
    if zones_changed:
        AmbassadorZone.delete().where(AmbassadorZone.ambassador == ambassador.id).execute()
        insert_rows(AmbassadorZone, _zone_rows(ambassador.id, valid))
    return bool(profile_changes or account_changes or offers_changed or zones_changed)


def _reason(errors: Mapping[str, list[str]]) -> str:
    """``field: message`` of the first error, as the other imports word their rejections."""
    field, messages = next(iter(errors.items()))
    message = messages[0].rstrip(".")
    return _("%(field)s: %(message)s", field=field, message=message[:1].lower() + message[1:])


def _current(ambassador: Ambassador, column: str) -> Any:
    if column == "home_territory":
        return ambassador.home_territory_id
    return getattr(ambassador, column)


def _offers_and_zones(ids: list[int]) -> tuple[dict[int, set[str]], dict[int, set[int]]]:
    offers: dict[int, set[str]] = {}
    zones: dict[int, set[int]] = {}
    for chunk in peewee.chunked(ids, INSERT_ROWS):
        for ambassador_id, kind in (
            AmbassadorOffer.select(AmbassadorOffer.ambassador, AmbassadorOffer.intervention_type)
            .where(among(AmbassadorOffer.ambassador, chunk))
            .tuples()
        ):
            offers.setdefault(ambassador_id, set()).add(kind)
        for ambassador_id, territory_id in (
            AmbassadorZone.select(AmbassadorZone.ambassador, AmbassadorZone.territory)
            .where(among(AmbassadorZone.ambassador, chunk))
            .tuples()
        ):
            zones.setdefault(ambassador_id, set()).add(territory_id)
    return offers, zones


def _offer_rows(ambassador_id: int, valid: _Valid) -> list[dict[str, Any]]:
    return [
        {"ambassador": ambassador_id, "intervention_type": kind}
        for kind in dict.fromkeys(valid.data["intervention_types"])
    ]


def _zone_rows(ambassador_id: int, valid: _Valid) -> list[dict[str, Any]]:
    return [
        {"ambassador": ambassador_id, "territory": territory.id} for territory in valid.places.zones
    ]
