"""An imported row is read as the ambassadors CSV schema reads it, however it is checked.

The importer checks plain rows by hand (``quick_import_row``) and hands every other row
to ``ImportRowSchema``; both must give the same data, and the hand check must accept no
row that the schema rejects (the schema words the errors reported to the user).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from tremplin.people.schemas import ImportRowSchema, quick_import_row

pytestmark = pytest.mark.one_database  # nothing here depends on the database

PLAIN = {
    "email": "camille.nom@example.org",
    "first_name": "Camille",
    "last_name": "Nom",
    "kind": "professional",
    "occupation": "Soudeuse",
    "rome_code": "H2913",
    "sector": "Industrie",
    "intervention_types": ["class_talk", "company_visit"],
    "modes": ["on_site"],
    "zones": ["59", "bef-62-arras"],
    "monthly_capacity": "2",
}

# Values near each rule's edges, valid or not, with spaces the schema strips.
EDGES = [
    "",
    " ",
    "x",
    " Camille ",
    "a" * 50,
    "a" * 51,
    "a" * 100,
    "a" * 101,
    "a" * 200,
    "a" * 201,
    "a" * 2001,
    "professional",
    "young",
    "trainer",
    "female",
    "other",
    "fr",
    "en",
    "de",
    "m1805",
    "M1805",
    "M18055",
    "1805",
    "06 12 34 56 78",
    "+33 6 12",
    "06-12-34-56-78x",
    "0",
    "1",
    "2",
    "007",
    "100",
    "101",
    "300",
    "301",
    "-1",
    "+5",
    "2.0",
    "1_0",
    "٣",
    "2026-01-31",
    "not a date",
    "a@b.fr",
    "a@b",
    "@example.org",
    "x" * 250 + "@b.fr",
    " Camille.Nom@Example.org ",
    "59",
    "bef-62-arras",
    "a\x1bb",
    "\x00",
    "\ud800",
    " \x1f ",
]
TEXTS = st.one_of(st.none(), st.sampled_from(EDGES), st.text(max_size=12))
ITEM_EDGES = [
    "",
    " ",
    "class_talk",
    " company_visit ",
    "forum",
    "webinar",
    "internship",
    "on_site",
    "remote",
    "elsewhere",
    "59",
    "bef-62-arras",
    "a" * 51,
    "5\x009",
]
ITEMS = st.sampled_from(ITEM_EDGES)
LISTS = st.one_of(st.none(), st.lists(ITEMS, max_size=4), st.lists(ITEMS, min_size=50, max_size=52))
FIELDS = [
    "email",
    "first_name",
    "last_name",
    "phone",
    "gender",
    "locale",
    "kind",
    "occupation",
    "rome_code",
    "sector",
    "organisation_name",
    "presentation",
    "home_territory",
    "max_distance_km",
    "monthly_capacity",
    "paused_until",
    "unknown_column",
]
LIST_FIELDS = ["intervention_types", "modes", "zones"]


def schema_answer(raw: dict[str, Any]) -> dict[str, Any] | None:
    try:
        return ImportRowSchema().load(dict(raw))
    except ValidationError:
        return None


def test_a_plain_row_is_checked_by_hand_and_read_as_the_schema_reads_it():
    assert quick_import_row(dict(PLAIN)) is not None
    assert quick_import_row(dict(PLAIN)) == schema_answer(PLAIN)


@pytest.mark.parametrize(
    "changes",
    [
        {"email": "not an address"},
        {"kind": "astronaut"},
        {"zones": None},
        {"zones": None, "home_territory": "59", "max_distance_km": "20"},
        {"modes": ["on_site", "flying"]},
        {"monthly_capacity": "many"},
        {"rome_code": "m1805", "phone": " 06 12 34 56 78 ", "locale": "en"},
        {"paused_until": "2026-03-01"},
        {"first_name": "  "},
    ],
)
def test_a_row_with_a_change_is_read_as_the_schema_reads_it(changes):
    raw = {**PLAIN, **changes}
    quick = quick_import_row(dict(raw))
    assert quick is None or quick == schema_answer(raw)
    if schema_answer(raw) is None:
        assert quick is None


def test_every_edge_value_of_every_field_is_read_as_the_schema_reads_it():
    changes = [{name: value} for name in FIELDS for value in [None, *EDGES]]
    changes += [
        {name: items}
        for name in LIST_FIELDS
        for items in [None, [], *([item] for item in ITEM_EDGES), ["59"] * 51, "59"]
    ]
    for change in changes:
        raw = {**PLAIN, **change}
        quick = quick_import_row(dict(raw))
        assert quick is None or quick == schema_answer(raw), change


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(
    scalars=st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, TEXTS)),
    lists=st.fixed_dictionaries({}, optional=dict.fromkeys(LIST_FIELDS, LISTS)),
    base=st.booleans(),
)
def test_any_row_is_read_by_hand_as_the_schema_reads_it_or_left_to_the_schema(scalars, lists, base):
    raw = {**(PLAIN if base else {}), **scalars, **lists}
    quick = quick_import_row(dict(raw))
    if quick is not None:
        assert quick == schema_answer(raw)
