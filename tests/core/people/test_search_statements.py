"""The directory writes a search's SQL once per shape of search (``tremplin.prepared``):
a search answered with statements written for earlier searches gives the page it gives
with none written before."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tremplin.db import database
from tremplin.people import directory
from tremplin.people.models import Ambassador
from tremplin.prepared import Builder, Statements

WORDS = ["soud", "électri", "bâtiment", "infirm", "braseur", "h2902", "tig", "du", "%", "_x"]
TERRITORIES = [None, "59", "62", "bef-59-lille-est", "bef-59-dunkerque", "hdf"]
SEARCHES = st.fixed_dictionaries(
    {
        "q": st.one_of(
            st.none(), st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
        ),
        "territory": st.sampled_from(TERRITORIES),
        "intervention_type": st.sampled_from([None, "class_talk", "company_visit", "forum"]),
        "mode": st.sampled_from([None, "on_site", "remote"]),
        "widen": st.booleans(),
        "available": st.booleans(),
        "rome_code": st.sampled_from([None, "H2913", "h2902"]),
        "sector": st.sampled_from([None, "industrie", "Bâtiment"]),
    }
)


@pytest.fixture
def network(people) -> list[Ambassador]:
    """Ambassadors of several zones, types, modes, codes, sectors and places."""
    lille = {"latitude": 50.63, "longitude": 3.06, "max_distance_km": 40}
    return [
        people.ambassador("Électricien du bâtiment", sector="Bâtiment", zones=["59"]),
        people.ambassador("Soudeuse TIG", rome_code="H2913", sector="Industrie", **lille),
        people.ambassador(
            "Chaudronnier",
            rome_code="H2902",
            zones=["62"],
            intervention_types=["company_visit", "forum"],
            modes=["remote"],
        ),
        people.ambassador("Infirmière", sector="Santé", zones=["bef-59-dunkerque"]),
        people.ambassador("Soudeur", zones=["hdf"], monthly_capacity=0),
        people.ambassador("Technicienne 100% bâtiment", zones=["bef-59-lille-est"], **lille),
    ]


def page(viewer, filters: dict, page_number: int = 1) -> tuple[list[int], int, bool]:
    results = directory.search(viewer, directory.Filters(**filters), page_number, page_size=2)
    return [item.id for item in results.items], results.total, results.capped


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(searches=st.lists(st.tuples(SEARCHES, st.integers(1, 3)), min_size=2, max_size=6))
def test_a_search_answered_with_statements_of_earlier_searches_gives_the_same_page(
    app, people, network, searches
):
    teacher = people.educator()
    with app.app_context():
        answers = [page(teacher, filters, number) for filters, number in searches]
        for (filters, number), answer in zip(searches, answers, strict=True):
            directory._STATEMENTS.clear()
            assert page(teacher, filters, number) == answer, filters


def test_a_shape_is_written_once_and_run_with_each_search_s_values(app, people, network):
    teacher = people.educator()
    with app.app_context():
        directory._STATEMENTS.clear()
        welders = page(teacher, {"q": "soud"})
        written = len(directory._STATEMENTS._written)
        assert page(teacher, {"q": "soud"}) == welders
        building = page(teacher, {"q": "bâtiment"})  # a page of two, as the welders': same shape
        assert len(directory._STATEMENTS._written) == written
        assert network[1].id in welders[0]
        assert network[0].id not in welders[0]
        assert sorted(building[0]) == sorted([network[0].id, network[5].id])
        # The boilermaker of the Pas-de-Calais is filed under H2902, of the "soudeur" kind.
        assert page(teacher, {"q": "soud", "territory": "62"})[0] == [network[2].id]
        assert len(directory._STATEMENTS._written) > written  # another shape


def test_a_list_of_no_value_matches_nothing_and_values_bind_in_order(app, network):
    statements = Statements()
    with app.app_context():
        for ids, expected in (([], []), ([network[2].id, network[0].id], [0, 2])):
            b = Builder()
            query = (
                Ambassador.select(Ambassador.id)
                .where(b.is_in(Ambassador.id, "ids", ids))
                .order_by(Ambassador.id)
                .tuples()
            )
            found = [row[0] for row in statements.rows(database, "test", query, b)]
            assert found == sorted(network[i].id for i in expected)


def test_a_slot_named_twice_is_refused():
    b = Builder()
    b.value("day", 1)
    with pytest.raises(ValueError, match="day"):
        b.value("day", 2)


def test_the_least_recently_used_statements_are_forgotten_past_the_limit(app, network):
    statements = Statements(limit=2)
    with app.app_context():
        for key in ("a", "b", "a", "c"):
            b = Builder()
            query = Ambassador.select(Ambassador.id).where(Ambassador.id == b.value("id", 1))
            statements.rows(database, key, query.tuples(), b)
    assert [key[0] for key in statements._written] == ["a", "c"]
