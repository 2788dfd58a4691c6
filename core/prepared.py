"""Statements whose SQL is written once per shape, then run with new values.

peewee writes a query's SQL node by node each time it runs: for a large query (the
directory's search: about 2,000 characters, a hundred nodes) that costs more than the
database takes to answer it. Here a query is built with ``Builder.value`` slots where
values change from one run to the next; its SQL is written once for each *shape* (the
slots' names in order, plus what ``Builder.note`` recorded), kept, and run again with the
new values bound in the same order.

Everything that changes the SQL text must be in the shape: each value goes through
``value`` (its name is part of the shape, a list's length too), and each decision that
changes the query without a value (a branch taken, a mode) goes through ``note``.
Values are bound as they are given (no field conversion): give what the database stores.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from threading import Lock
from typing import Any

import peewee

from . import db


@dataclass(frozen=True)
class _Slot:
    """A parameter's place in written SQL, filled when the statement runs."""

    name: Hashable


class Slot(peewee.Node):
    """A query node standing for a value given at each run (``Builder.value``)."""

    def __init__(self, name: Hashable):
        super().__init__()
        self.name = name

    def __sql__(self, ctx: peewee.Context) -> peewee.Context:
        return ctx.value(_Slot(self.name), converter=False)


@dataclass
class Builder:
    """Collects the values of one run and the shape of its query.

    ``slots=False`` gives the values themselves instead of slots: the same code then builds
    a query peewee runs as usual (with its fields' conversions; ``is_in``'s values are
    bound as they are, as ``tremplin.db.among`` binds them).
    """

    slots: bool = True
    values: dict[Hashable, Any] = field(default_factory=dict)
    shape: list[Hashable] = field(default_factory=list)

    def value(self, name: Hashable, value: Any) -> Any:
        """A slot for ``value`` (or ``value`` itself); ``name`` must be unique in the query."""
        if name in self.values:
            raise ValueError(f"slot {name!r} given twice")
        self.values[name] = value
        self.shape.append(name)
        return Slot(name) if self.slots else value

    def is_in(self, column: peewee.Node, name: Hashable, values: Sequence[Any]) -> peewee.Node:
        """``column IN values`` (false when empty), written as ``tremplin.db.among`` writes
        it: on PostgreSQL one array slot, so one statement serves every number of values;
        on SQLite a slot per value (their number is part of the shape)."""
        values = list(values)
        if not values:
            self.note((name, "none"))
            return peewee.SQL("1 = 0")
        if not self.slots:
            return db.among(column, values)
        if not db.is_sqlite(db.database):
            return peewee.NodeList(
                (column, peewee.SQL("= ANY("), self.value(name, values), peewee.SQL(")"))
            )
        self.note((name, len(values)))
        slots = [self.value((name, index), value) for index, value in enumerate(values)]
        return peewee.Expression(
            column, peewee.OP.IN, peewee.NodeList(slots, glue=", ", parens=True)
        )

    def note(self, decision: Hashable) -> None:
        """Record a decision that changes the query's SQL without a value."""
        self.shape.append(("note", decision))


@dataclass(frozen=True)
class Written:
    """A query's SQL and its parameters: constants, and slots to fill."""

    sql: str
    parameters: tuple[Any, ...]

    def bound(self, values: dict[Hashable, Any]) -> list[Any]:
        """The parameters, each slot replaced by its value in ``values``."""
        return [
            values[parameter.name] if isinstance(parameter, _Slot) else parameter
            for parameter in self.parameters
        ]


class Statements:
    """Written SQL per shape, the least recently used forgotten past ``limit``.

    The key must say everything the SQL text depends on besides the builder's shape: the
    database's dialect, and any constant the query holds (a list of sources, say).
    """

    def __init__(self, limit: int = 512):
        self.limit = limit
        self._written: OrderedDict[Hashable, Written] = OrderedDict()
        self._lock = Lock()

    def written(self, database: peewee.Database, key: Hashable, query: peewee.Node) -> Written:
        """The SQL of ``query`` on ``database``, written the first time ``key`` is seen."""
        with self._lock:
            found = self._written.get(key)
            if found is not None:
                self._written.move_to_end(key)
                return found
        sql, parameters = database.get_sql_context().sql(query).query()
        found = Written(sql, tuple(parameters))
        with self._lock:
            self._written[key] = found
            while len(self._written) > self.limit:
                self._written.popitem(last=False)
        return found

    def rows(
        self, database: peewee.Database, key: Hashable, query: peewee.Node, builder: Builder
    ) -> list[Any]:
        """Run ``query``, built with ``builder``, and return its rows as peewee gives them
        (model instances, tuples...); its SQL is written once per ``key`` and shape."""
        written = self.written(database, (key, tuple(builder.shape)), query)
        cursor = database.execute_sql(written.sql, written.bound(builder.values))
        return list(query._get_cursor_wrapper(cursor))

    def clear(self) -> None:
        """Forget every written statement."""
        with self._lock:
            self._written.clear()
