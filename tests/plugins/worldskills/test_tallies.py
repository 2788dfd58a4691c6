"""Medal points per region or training centre, their totals, averages and standings."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tremplin.plugins.worldskills.tallies import Tally, standings, tally

pytestmark = pytest.mark.one_database  # nothing here depends on the database

POINTS = {"gold": 4, "silver": 3, "bronze": 2, "medallion": 1, None: 0}
RESULTS = st.lists(
    st.tuples(st.sampled_from(["Nord", "Somme", "Oise", "Aisne"]), st.sampled_from(list(POINTS))),
    max_size=40,
)


def test_a_region_s_points_are_4_per_gold_3_per_silver_2_per_bronze_1_per_medallion():
    result = tally(
        [
            ("Hauts-de-France", "gold"),
            ("Hauts-de-France", "bronze"),
            ("Bretagne", "gold"),
            ("Hauts-de-France", "medallion"),
            ("Hauts-de-France", None),
            ("Bretagne", "silver"),
        ]
    )
    assert result["Hauts-de-France"] == Tally(entries=4, gold=1, bronze=1, medallions=1)
    assert result["Hauts-de-France"].points == 4 + 2 + 1
    assert result["Hauts-de-France"].average_points == pytest.approx(7 / 4)
    assert result["Bretagne"].points == 7
    assert result["Bretagne"].average_points == 3.5


def test_an_unknown_award_is_refused():
    with pytest.raises(ValueError, match="award"):
        tally([("Nord", "platinum")])


def test_an_empty_tally_averages_nothing():
    assert Tally().points == 0
    assert Tally().average_points == 0.0
    assert tally([]) == {}


# No deadline: the machine running the tests may be busy, and time is not the point.
@settings(deadline=None)
@given(RESULTS)
def test_points_and_entries_add_up_to_every_result(results):
    tallies = tally(results)
    assert sum(group.entries for group in tallies.values()) == len(results)
    assert sum(group.points for group in tallies.values()) == sum(
        POINTS[award] for _, award in results
    )
    for name, group in tallies.items():
        mine = [POINTS[award] for region, award in results if region == name]
        assert group.points == sum(mine)
        assert group.average_points == pytest.approx(sum(mine) / len(mine))


def test_standings_share_a_rank_on_equal_points_and_skip_the_next():
    tallies = {
        "Somme": Tally(entries=2, gold=1),  # 4 points, 2.0 per entry
        "Nord": Tally(entries=6, silver=1, medallions=1),  # 4 points, 0.67
        "Oise": Tally(entries=1, silver=1),  # 3 points, 3.0
        "Aisne": Tally(entries=3, gold=2),  # 8 points, 2.67
    }
    by_points = [(rank, name) for rank, name, _ in standings(tallies)]
    assert by_points == [(1, "Aisne"), (2, "Nord"), (2, "Somme"), (4, "Oise")]
    by_average = [(rank, name) for rank, name, _ in standings(tallies, by="average")]
    assert by_average == [(1, "Oise"), (2, "Aisne"), (3, "Somme"), (4, "Nord")]


def test_equal_averages_tie_even_from_different_counts():
    tallies = {"A": Tally(entries=3, bronze=1), "B": Tally(entries=6, bronze=2)}
    assert [rank for rank, _, _ in standings(tallies, by="average")] == [1, 1]


@settings(deadline=None)
@given(RESULTS)
def test_a_group_s_rank_is_one_more_than_the_groups_with_more_points(results):
    tallies = tally(results)
    for rank, _, group in standings(tallies):
        ahead = [other for other in tallies.values() if other.points > group.points]
        assert rank == 1 + len(ahead)


def test_standings_by_anything_else_are_refused():
    with pytest.raises(ValueError, match="by must be"):
        standings({}, by="gold")
