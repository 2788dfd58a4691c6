"""Bulk insertion for the demo: rows in batches, ids chosen in advance.

The demo writes hundreds of thousands of rows that reference each other. Choosing ids
before inserting (from the largest id already in each table) lets a row name its parent
without reading it back, and lets the rows go to the database in batches (the driver's
``executemany`` on SQLite, ``COPY`` on PostgreSQL), which is what makes a million
interventions take minutes, not hours. Values go through each field's ``db_value``, so
they are stored exactly as the models store them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import peewee

from ..db import copy_rows, is_sqlite

BATCH_SIZE = 2000


class Writer:
    """Buffers rows per model and inserts them in batches, with ids it hands out itself."""

    def __init__(self, database: peewee.Database, on_rows: Callable[[int], None] | None = None):
        self.database = database
        self.on_rows = on_rows
        self._next_id: dict[type[peewee.Model], int] = {}
        self._pending: dict[type[peewee.Model], list[tuple]] = {}
        self._touched: list[type[peewee.Model]] = []
        self._plans: dict[type[peewee.Model], list[tuple[str, Any, Any]]] = {}

    def add(self, model: type[peewee.Model], row: Mapping[str, Any]) -> int:
        """Queue ``row`` (field names to values) for ``model``'s table; return its id.

        Fields left out get their default; the id is the next free one unless given.
        """
        row_id = row.get("id") or self.reserve(model)
        values = [row_id]
        for name, default, convert in self._columns(model):
            value = row[name] if name in row else default() if callable(default) else default
            values.append(value if convert is None or value is None else convert(value))
        pending = self._pending[model]
        pending.append(tuple(values))
        if len(pending) >= BATCH_SIZE:
            self._flush(model)
        return row_id

    def flush(self) -> None:
        """Insert every queued row (parents first: models are flushed in the order first seen)."""
        for model in self._touched:
            self._flush(model)

    def finish(self) -> None:
        """Flush, then move PostgreSQL's id sequences past the ids handed out."""
        self.flush()
        if not is_sqlite(self.database):
            for model in self._touched:
                table = model._meta.table_name
                self.database.execute_sql(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'(SELECT MAX(id) FROM "{table}"))'
                )

    def reserve(self, model: type[peewee.Model]) -> int:
        """The id the next row of ``model`` will have, taken now (pass it as ``id`` to ``add``)."""
        if model not in self._pending:
            self._pending[model] = []
            self._touched.append(model)
        if model not in self._next_id:
            largest = model.select(peewee.fn.MAX(model.id)).scalar() or 0
            self._next_id[model] = largest + 1
        row_id = self._next_id[model]
        self._next_id[model] = row_id + 1
        return row_id

    def _columns(self, model: type[peewee.Model]) -> list[tuple[str, Any, Any]]:
        """(name, default, conversion) of each column after the id, worked out once."""
        if model not in self._plans:
            self._plans[model] = [
                (field.name, field.default, _conversion(field))
                for field in model._meta.sorted_fields
                if field.name != "id"
            ]
        return self._plans[model]

    def _flush(self, model: type[peewee.Model]) -> None:
        rows = self._pending.get(model)
        if not rows:
            return
        for parent in self._parents(model):
            self._flush(parent)
        names = ["id", *(model._meta.fields[name].column_name for name, *_ in self._plans[model])]
        table = model._meta.table_name
        cursor = self.database.cursor()
        if is_sqlite(self.database):
            columns = ", ".join(f'"{name}"' for name in names)
            marks = ", ".join([self.database.param] * len(names))
            cursor.executemany(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', rows)
        else:
            copy_rows(cursor, table, names, rows)
        self._pending[model] = []
        if self.on_rows is not None:
            self.on_rows(len(rows))

    def _parents(self, model: type[peewee.Model]) -> list[type[peewee.Model]]:
        return [
            field.rel_model
            for field in model._meta.sorted_fields
            if isinstance(field, peewee.ForeignKeyField)
            and field.rel_model is not model
            and self._pending.get(field.rel_model)
        ]


def _conversion(field: peewee.Field) -> Callable[[Any], Any] | None:
    """How a value of ``field`` reaches the driver: as the model stores it, or as it is.

    Dates and booleans go through the field (each driver stores them its own way); text goes
    through ``str`` (enumerations become their value); numbers and ids need nothing.
    """
    if isinstance(field, (peewee.DateTimeField, peewee.DateField, peewee.BooleanField)):
        return field.db_value
    if isinstance(field, (peewee.CharField, peewee.TextField)):
        return str
    return None
