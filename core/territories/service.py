"""Territories: import from a region folder, and queries."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import peewee
from marshmallow import ValidationError

from ..db import database
from ..i18n import _
from ..region import first_error
from ..reports import ImportReport
from .models import Territory, sort_key
from .schemas import TerritoryRowSchema

DATA_FILE = Path("data") / "territories.csv"
FIELDS = ("name", "kind", "latitude", "longitude")


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, row)`` for each row of a territories CSV; empty cells become ``None``."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            cleaned = {key: (value or "").strip() or None for key, value in row.items() if key}
            yield reader.line_num, cleaned


def load(rows: Iterable[tuple[int, dict[str, Any]]]) -> ImportReport:
    """Create or update territories from ``rows``; bad rows are reported, good ones kept.

    A row's parent may come later in the file or already be in the database. Running
    the same rows again changes nothing.
    """
    report = ImportReport(subject=_("Territories"))
    valid = _validated(rows, report)
    with database.atomic():
        known = {territory.code: territory for territory in Territory.select()}
        for line, data in _parents_first(valid, known, report):
            _save(data, known, report, line)
    return report


def list_territories(kind: str | None = None, parent: str | None = None) -> peewee.ModelSelect:
    """Territories by kind and parent code, ordered by kind then name (accents aside)."""
    query = Territory.select().order_by(Territory.kind, Territory.sort_name, Territory.name)
    if kind:
        query = query.where(Territory.kind == kind)
    if parent:
        parents = Territory.alias()
        query = query.join(parents, on=(Territory.parent == parents.id)).where(
            parents.code == parent
        )
    return query


def get(code: str) -> Territory | None:
    """The territory with ``code``, or ``None``."""
    return Territory.get_or_none(Territory.code == code)


def _validated(rows, report: ImportReport) -> list[tuple[int, dict[str, Any]]]:
    schema = TerritoryRowSchema()
    valid, seen = [], set()
    for line, row in rows:
        try:
            data = schema.load({k: v for k, v in row.items() if v is not None})
        except ValidationError as error:
            key, message = first_error(error.messages)
            report.reject(line, _("%(field)s: %(message)s", field=key, message=message))
            continue
        if data["code"] in seen:
            report.reject(line, _("code %(code)s appears twice in the file", code=data["code"]))
            continue
        seen.add(data["code"])
        valid.append((line, data))
    return valid


def _parents_first(valid, known, report: ImportReport):
    """Rows in an order where every parent comes before its children."""
    placed = set(known)
    pending = list(valid)
    while pending:
        ready = [
            (line, data) for line, data in pending if not data["parent"] or data["parent"] in placed
        ]
        if not ready:
            break
        for line, data in ready:
            placed.add(data["code"])
            yield line, data
        pending = [item for item in pending if item not in ready]
    for line, data in pending:
        report.reject(line, _("parent %(parent)s is unknown", parent=data["parent"]))


def _save(
    data: dict[str, Any], known: dict[str, Territory], report: ImportReport, line: int
) -> None:
    parent = known.get(data["parent"]) if data["parent"] else None
    if parent is not None and parent.code == data["code"]:
        report.reject(line, _("a territory cannot be its own parent"))
        return
    values = {field: data[field] for field in FIELDS}
    existing = known.get(data["code"])
    if existing is None:
        known[data["code"]] = Territory.create(code=data["code"], parent=parent, **values)
        report.created += 1
        return
    current = {field: getattr(existing, field) for field in FIELDS}
    if current == values and existing.parent_id == (parent.id if parent else None):
        report.unchanged += 1
        return
    Territory.update(parent=parent, sort_name=sort_key(values["name"]), **values).where(
        Territory.id == existing.id
    ).execute()
    report.updated += 1
