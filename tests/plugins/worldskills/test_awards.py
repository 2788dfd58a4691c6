"""Medals of a skill: the first three, ties sharing a medal and the next one skipped, the
Medallion for Excellence from 700; medal points 4, 3, 2, 1."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tremplin.i18n import using_locale
from tremplin.plugins.worldskills.scoring import Award, awards, medal_points

pytestmark = pytest.mark.one_database  # nothing here depends on the database

# Scores around 700, few distinct values: many ties, medallions and none.
SCORES = st.lists(st.integers(min_value=690, max_value=712), max_size=25)


def award_by_counting(score, scores, medallion_from=700):
    """The award of ``score`` as the rules say it: one more than the number of competitors
    strictly ahead is the rank; ranks 1, 2, 3 are the medals."""
    ahead = 0
    for other in scores:
        if other > score:
            ahead += 1
    medal = {0: "gold", 1: "silver", 2: "bronze"}.get(ahead)
    if medal is None and medallion_from is not None and score >= medallion_from:
        return "medallion"
    return medal


# Worked examples.


def test_the_first_three_get_gold_silver_and_bronze_in_the_order_given():
    assert awards([512, 780, 690, 731, 745]) == [None, "gold", None, "bronze", "silver"]


def test_two_golds_leave_no_silver_the_next_gets_bronze():
    assert awards([740, 760, 760, 720, 650]) == ["bronze", "gold", "gold", "medallion", None]


def test_three_golds_leave_no_silver_and_no_bronze():
    assert awards([760, 760, 760, 740, 690]) == ["gold"] * 3 + ["medallion", None]


def test_two_silvers_leave_no_bronze():
    assert awards([780, 750, 750, 720, 600]) == ["gold", "silver", "silver", "medallion", None]


def test_two_bronzes_share_the_third_place():
    assert awards([780, 760, 740, 740, 700]) == [
        "gold",
        "silver",
        "bronze",
        "bronze",
        "medallion",
    ]


def test_a_tie_for_everything_gives_everyone_gold():
    assert awards([705.5, 705.5, 705.5, 705.5]) == ["gold"] * 4


def test_the_medallion_starts_at_700_exactly():
    assert awards([800, 790, 780, 700, 699.99]) == ["gold", "silver", "bronze", "medallion", None]


def test_medals_do_not_need_700_points():
    assert awards([650, 640, 630]) == ["gold", "silver", "bronze"]


def test_the_medallion_threshold_is_a_setting_and_can_be_turned_off():
    assert awards([800, 790, 780, 520, 480], medallion_from=500) == [
        "gold",
        "silver",
        "bronze",
        "medallion",
        None,
    ]
    assert awards([800, 790, 780, 770], medallion_from=None) == ["gold", "silver", "bronze", None]


def test_no_competitor_no_award():
    assert awards([]) == []


def test_scores_of_any_kind_of_number_are_compared_exactly():
    assert awards([Decimal("700.5"), 700.5, 700]) == ["gold", "gold", "bronze"]


@pytest.mark.parametrize(
    "scores", [[700, "800"], [None], [float("nan"), 700], [700, float("inf")], [True]]
)
def test_a_score_that_is_not_a_finite_number_is_refused(scores):
    with pytest.raises(ValueError, match="score"):
        awards(scores)


def test_a_broken_medallion_threshold_is_refused():
    with pytest.raises(ValueError, match="medallion"):
        awards([700], medallion_from=float("nan"))


# Properties.


# No deadline: the machine running the tests may be busy, and time is not the point.
@settings(deadline=None)
@given(SCORES)
def test_each_award_is_the_one_the_count_of_competitors_ahead_gives(scores):
    assert awards(scores) == [award_by_counting(score, scores) for score in scores]


@settings(deadline=None)
@given(SCORES, st.integers(min_value=690, max_value=712))
def test_the_threshold_moves_medallions_only(scores, threshold):
    assert awards(scores, medallion_from=threshold) == [
        award_by_counting(score, scores, threshold) for score in scores
    ]


@settings(deadline=None)
@given(SCORES.filter(bool))
def test_the_best_always_win_gold_and_one_medal_is_skipped_per_extra_tie(scores):
    result = awards(scores)
    golds = result.count("gold")
    assert golds == scores.count(max(scores))
    if golds >= 2:
        assert "silver" not in result
    if golds >= 3:
        assert "bronze" not in result
    assert result.count("gold") + result.count("silver") + result.count("bronze") >= min(
        3, len(scores)
    )


# Medal points.


@pytest.mark.parametrize(
    ("award", "points"),
    [
        ("gold", 4),
        ("silver", 3),
        ("bronze", 2),
        ("medallion", 1),
        (None, 0),
        (Award.GOLD, 4),
        (Award.MEDALLION, 1),
    ],
)
def test_medal_points(award, points):
    assert medal_points(award) == points
    assert type(medal_points(award)) is int


@pytest.mark.parametrize("award", ["Gold", "platinum", "", 4, True, ["gold"], "médaille d’or"])
def test_an_unknown_award_has_no_points_but_an_error(award):
    with pytest.raises(ValueError, match="award"):
        medal_points(award)


def test_awards_are_plain_strings_that_carry_their_name_in_both_languages():
    assert awards([800]) == ["gold"]
    assert isinstance(awards([800])[0], str)
    with using_locale("fr"):
        assert [award.label for award in Award] == [
            "Médaille d’or",
            "Médaille d’argent",
            "Médaille de bronze",
            "Médaillon d’excellence",
        ]
    with using_locale("en"):
        assert Award.MEDALLION.label == "Medallion for Excellence"
