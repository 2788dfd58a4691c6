"""``db.insert_rows``: the rows it stores are those peewee's ``insert_many`` stores.

``insert_rows`` hands values the driver takes as they are without ``db_value``; values of
any other type (a date as text, a number as text, a model instance as a foreign key...)
still go through the field's conversion. Held to peewee's own insert, on both databases,
column by column as stored (read back raw, without peewee's conversions).
"""

from __future__ import annotations

import datetime
import enum
from decimal import Decimal

import peewee
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tremplin.app import runtime_of
from tremplin.db import BaseModel, database, insert_rows


class Shade(enum.StrEnum):
    DARK = "dark"


class BulkParent(BaseModel):
    label = peewee.CharField()


class _BulkRow(BaseModel):
    parent = peewee.ForeignKeyField(BulkParent, null=True)
    label = peewee.CharField(max_length=50, null=True)
    body = peewee.TextField(null=True)
    count = peewee.IntegerField(null=True)
    big = peewee.BigIntegerField(null=True)
    ratio = peewee.FloatField(null=True)
    price = peewee.DecimalField(max_digits=10, decimal_places=2, null=True)
    flag = peewee.BooleanField(null=True)
    moment = peewee.DateTimeField(null=True)
    day = peewee.DateField(null=True)


class BulkRow(_BulkRow):
    """Written by ``insert_rows``."""


class BulkReference(_BulkRow):
    """The same rows written by peewee's ``insert_many``."""


MODELS = (BulkParent, BulkRow, BulkReference)
COLUMNS = tuple(name for name in BulkRow._meta.fields if name != "id")

# Per column: values the driver takes as they are, and values the field converts.
TEXT = st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=8)
MOMENTS = st.datetimes(datetime.datetime(1950, 1, 1), datetime.datetime(2100, 1, 1))
DAYS = st.dates(datetime.date(1950, 1, 1), datetime.date(2100, 1, 1))
INTEGERS = st.integers(-(2**31), 2**31 - 1)
# ``FloatField`` is ``REAL`` on PostgreSQL: single precision.
FLOATS = st.floats(-1e9, 1e9, width=32, allow_subnormal=False)
VALUES = {
    "parent": st.sampled_from(["parent", "parent id", "parent id as text"]),
    "label": st.one_of(TEXT, st.just(Shade.DARK), INTEGERS, TEXT.map(str.encode)),
    "body": st.one_of(TEXT, st.just(Shade.DARK)),
    "count": st.one_of(INTEGERS, INTEGERS.map(str), st.booleans(), st.floats(-1e6, 1e6)),
    "big": st.one_of(st.integers(-(2**62), 2**62), st.booleans()),
    "ratio": st.one_of(FLOATS, INTEGERS, FLOATS.map(repr), st.booleans()),
    "price": st.one_of(
        st.decimals(-9999, 9999, places=2), st.just(Decimal(0)), st.just(0), st.just(0.0)
    ),
    "flag": st.one_of(st.booleans(), st.sampled_from([0, 1, "", "x"])),
    "moment": st.one_of(MOMENTS, MOMENTS.map(str), DAYS),
    "day": st.one_of(DAYS, MOMENTS, DAYS.map(str), MOMENTS.map(str)),
}
ROWS = st.lists(
    st.fixed_dictionaries({column: st.one_of(st.none(), VALUES[column]) for column in COLUMNS}),
    min_size=1,
    max_size=6,
)


@pytest.fixture
def tables(app):
    with app.app_context():
        runtime_of(app).database.create_tables(MODELS)
        yield
        runtime_of(app).database.drop_tables(MODELS)


def _with_parent(row: dict, parent: BulkParent) -> dict:
    given_as = row["parent"]
    value = {"parent": parent, "parent id": parent.id, "parent id as text": str(parent.id)}
    return {**row, "parent": None if given_as is None else value[given_as]}


def _stored(model: type[BaseModel]) -> list[tuple]:
    columns = ", ".join(f'"{model._meta.fields[name].column_name}"' for name in COLUMNS)
    table = model._meta.table_name
    cursor = database.execute_sql(f'SELECT {columns} FROM "{table}" ORDER BY "id"')
    return cursor.fetchall()


def _write_both(rows: list[dict]) -> None:
    insert_rows(BulkRow, rows)
    BulkReference.insert_many(rows).execute()


def test_rows_of_every_column_type_are_stored_as_peewee_stores_them(tables):
    parent = BulkParent.create(label="parent")
    moment = datetime.datetime(2025, 12, 31, 23, 30, 15, 250)
    as_is = {
        "parent": parent.id,
        "label": "Léa",
        "body": "Je présente mon métier.",
        "count": 7,
        "big": 2**40,
        "ratio": 50.63,
        "price": Decimal("12.50"),
        "flag": True,
        "moment": moment,
        "day": datetime.date(2026, 1, 5),
    }
    converted = {
        "parent": parent,
        "label": Shade.DARK,
        "body": b"octets",
        "count": "12",
        "big": False,
        "ratio": 3,
        "price": 0,
        "flag": 1,
        "moment": "2025-12-31 23:30:00",
        "day": moment,
    }
    nothing = dict.fromkeys(COLUMNS)
    rows = [as_is, converted, nothing, {**as_is, "flag": False, "count": 0}, as_is]

    _write_both(rows)

    assert _stored(BulkRow) == _stored(BulkReference)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=ROWS)
def test_any_rows_are_stored_as_peewee_stores_them(tables, rows):
    with database.atomic() as transaction:
        parent = BulkParent.create(label="parent")
        rows = [_with_parent(row, parent) for row in rows]

        _write_both(rows)

        assert _stored(BulkRow) == _stored(BulkReference)
        transaction.rollback()
