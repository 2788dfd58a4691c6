"""Organisations from CSV: ``tremplin import organisations FILE`` and a region's data folder.

Each row is matched with the organisation it describes by the first identifier it gives:
its UAI, else its SIRET, else its kind, name (accents and case ignored) and territory.
Matched organisations are updated, others created; bad rows are reported with their line
and reason and the good ones kept; importing the same file again changes nothing.

Built for files of tens of thousands of rows: the organisations and territories are read
once, rows are checked in memory, and the writes happen in one transaction (new
organisations inserted in batches).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marshmallow import ValidationError

from ..clock import now
from ..db import database, insert_rows
from ..i18n import _
from ..imports import Importer, ImportFileError, Row, read_csv
from ..reports import ImportReport
from ..text import normalise
from .models import Organisation
from .schemas import FLAGS, TEXT_FIELDS, OrganisationRowSchema
from .service import FIELDS, rule_errors, search_values, territory_ids

# ``name`` and ``kind`` must be in the file; a column left out leaves that field as it is.
REQUIRED_COLUMNS = ("name", "kind", "territory")
COLUMNS = (*TEXT_FIELDS, *FLAGS)
DATA_FILE = Path("data") / "organisations.csv"

Key = tuple[str, ...]


class RowError(Exception):
    """A row that cannot be imported; the message says why."""


def importer() -> Importer:
    """What ``tremplin import organisations FILE`` runs."""
    return Importer(
        name="organisations",
        description=_("Organisations"),
        columns=REQUIRED_COLUMNS,
        load=load,
    )


def load_file(path: Path) -> ImportReport:
    """Import the CSV file at ``path`` (a region's ``data/organisations.csv``)."""
    try:
        _count, rows = read_csv(path, REQUIRED_COLUMNS)
    except ImportFileError as error:
        report = ImportReport(subject=_("Organisations"))
        report.reject(1, str(error))
        return report
    return load(rows)


def load(rows: Iterable[Row]) -> ImportReport:
    """Create or update organisations from ``(line, row)`` pairs; see the module's doc."""
    report = ImportReport(subject=_("Organisations"))
    with database.atomic():
        known = _Known.from_database()
        plan = _Plan()
        schema = OrganisationRowSchema()
        for line, row in rows:
            try:
                _plan_row(line, row, schema, known, plan, report)
            except RowError as error:
                report.reject(line, str(error))
        for organisation_id, changes in plan.updates:
            Organisation.update(**changes).where(Organisation.id == organisation_id).execute()
        _insert(plan.creations)
    return report


def _insert(rows: list[dict[str, Any]]) -> None:
    """Insert new organisations in bulk (``insert_rows``), created now."""
    created_at = now()
    insert_rows(Organisation, [{**row, "created_at": created_at} for row in rows])


@dataclass
class _Known:
    """What the database holds, read once: territories, and organisations by key."""

    territories: dict[str, int]
    values: dict[int, dict[str, Any]]
    by_uai: dict[str, int]
    by_siret: dict[str, int]
    by_name: dict[Key, list[int]]

    @classmethod
    def from_database(cls) -> _Known:
        columns = [
            Organisation.id,
            Organisation.territory,
            *map(Organisation._meta.fields.get, FIELDS),
        ]
        values, by_uai, by_siret, by_name = {}, {}, {}, {}
        for row in Organisation.select(*columns).dicts().iterator():
            identifier = row.pop("id")
            values[identifier] = row
            if row["uai"]:
                by_uai[row["uai"]] = identifier
            if row["siret"]:
                by_siret[row["siret"]] = identifier
            by_name.setdefault(_name_key(row), []).append(identifier)
        return cls(territory_ids(), values, by_uai, by_siret, by_name)


@dataclass
class _Plan:
    """What the import will write, and who holds which key as the rows are read."""

    updates: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    creations: list[dict[str, Any]] = field(default_factory=list)
    lines: dict[Key, int] = field(default_factory=dict)  # key -> line that used it
    # Identifiers taken by a new organisation of an earlier row, or moved by an update.
    taken: dict[tuple[str, str], object] = field(default_factory=dict)


def _plan_row(
    line: int,
    row: dict[str, Any],
    schema: OrganisationRowSchema,
    known: _Known,
    plan: _Plan,
    report: ImportReport,
) -> None:
    given = {column: value for column, value in row.items() if column in COLUMNS}
    try:
        data = schema.load(given, partial=True)
    except ValidationError as error:
        raise RowError(_reason(*_first_message(error.messages))) from error
    for column in REQUIRED_COLUMNS:
        if data.get(column) is None:
            raise RowError(_reason(column, _("This field cannot be empty.")))
    code = data.pop("territory")
    if code not in known.territories:
        raise RowError(_reason("territory", _("No territory has the code %(code)s.", code=code)))
    data["territory"] = known.territories[code]

    key, target = _match(data, known)
    keys = [key] if target is None else [key, ("id", str(target))]
    for seen in keys:
        if seen in plan.lines:
            raise RowError(_("the same organisation as line %(line)d", line=plan.lines[seen]))
    current = known.values[target] if target is not None else {}
    values = {**_defaults(), **current, **data}
    errors = rule_errors(values)
    if errors:
        name, messages = next(iter(errors.items()))
        raise RowError(_reason(name, messages[0]))
    owner = target if target is not None else ("line", line)
    for identifier in ("uai", "siret"):
        _claim(identifier, values[identifier], owner, current, known, plan)
    plan.lines.update(dict.fromkeys(keys, line))

    if target is None:
        plan.creations.append({**values, **search_values(values)})
        report.created += 1
        return
    changes = {name: value for name, value in values.items() if current.get(name) != value}
    if not changes:
        report.unchanged += 1
        return
    plan.updates.append((target, {**changes, **search_values(values)}))
    report.updated += 1


def _match(data: dict[str, Any], known: _Known) -> tuple[Key, int | None]:
    """The row's key and the id of the organisation it describes, or ``None`` (a new one)."""
    if data.get("uai"):
        return ("uai", data["uai"]), known.by_uai.get(data["uai"])
    if data.get("siret"):
        return ("siret", data["siret"]), known.by_siret.get(data["siret"])
    key = _name_key(data)
    matches = known.by_name.get(key, [])
    if len(matches) > 1:
        raise RowError(
            _("several organisations have this kind, name and territory: give its UAI or SIRET")
        )
    return key, (matches[0] if matches else None)


def _claim(
    identifier: str,
    value: str | None,
    owner: object,
    current: dict[str, Any],
    known: _Known,
    plan: _Plan,
) -> None:
    """Reserve ``value`` of ``identifier`` for ``owner``; raise if another organisation has it."""
    if not value or current.get(identifier) == value:
        return
    holders = known.by_uai if identifier == "uai" else known.by_siret
    holder = plan.taken.get((identifier, value), holders.get(value))
    if holder is not None and holder != owner:
        if isinstance(holder, tuple):
            message = _(
                "this %(identifier)s is already on line %(line)d",
                identifier=identifier.upper(),
                line=holder[1],
            )
        else:
            message = _(
                "%(name)s already has this %(identifier)s",
                name=known.values[holder]["name"],
                identifier=identifier.upper(),
            )
        raise RowError(_("%(field)s: %(message)s", field=identifier, message=message))
    plan.taken[(identifier, value)] = owner
    if current.get(identifier):
        plan.taken[(identifier, current[identifier])] = None  # freed by this update


def _defaults() -> dict[str, Any]:
    return dict.fromkeys(FIELDS) | dict.fromkeys(FLAGS, False)


def _name_key(values: dict[str, Any]) -> Key:
    return ("name", values["kind"], normalise(values["name"]), str(values["territory"]))


def _first_message(messages: Any) -> tuple[str, str]:
    """The first field and message of marshmallow's error messages."""
    if isinstance(messages, dict):
        name, inner = next(iter(messages.items()))
        while isinstance(inner, dict | list) and inner:
            inner = next(iter(inner.values())) if isinstance(inner, dict) else inner[0]
        return str(name), str(inner)
    return "", str(messages)


def _reason(name: str, message: str) -> str:
    """``"uai: this UAI is not valid..."``: the field, then the message as a clause."""
    text = str(message).rstrip(".")
    first_word = text.split(" ", 1)[0]
    if first_word and (len(first_word) == 1 or first_word != first_word.upper()):
        text = text[0].lower() + text[1:]
    return _("%(field)s: %(message)s", field=name, message=text) if name else text
