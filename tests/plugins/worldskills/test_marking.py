"""A skill's marks out of 100: measurement aspects marked against a rule, judgement aspects
scored 0-3 by three judges and scaled to the aspect's maximum mark."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tremplin.plugins.worldskills.marking import (
    Judgement,
    Measurement,
    judgement_mark,
    needs_discussion,
    skill_total,
)
from tremplin.plugins.worldskills.scoring import standardise

pytestmark = pytest.mark.one_database  # nothing here depends on the database

SCORE = st.integers(min_value=0, max_value=3)
THREE_SCORES = st.lists(SCORE, min_size=3, max_size=3)
# Maximum marks as the marking schemes write them: hundredths, from 0.10 to 10.00.
MAX_MARK = st.integers(min_value=10, max_value=1000).map(
    lambda hundredths: Decimal(hundredths) / 100
)


def mark_point_by_point(scores, max_mark):
    """Each point of each judge is worth a ninth of the aspect: three judges, three points."""
    mark = Fraction(0)
    for score in scores:
        for _ in range(score):
            mark += Fraction(max_mark) / 9
    return mark


# Judgement aspects.


def test_three_judges_at_3_give_the_whole_mark_and_at_0_nothing():
    assert judgement_mark([3, 3, 3], 2) == 2
    assert judgement_mark([0, 0, 0], 2) == 0


def test_a_mixed_judgement_gives_the_mean_over_3_of_the_maximum():
    # (2 + 2 + 3) / 3 = 7/3 out of 3, so 7/9 of 1.5 marks.
    assert judgement_mark([2, 2, 3], Decimal("1.5")) == Fraction(7, 6)
    assert judgement_mark((1, 2, 1), 0.75) == Fraction(1, 3)


# No deadline: the machine running the tests may be busy, and time is not the point.
@settings(deadline=None)
@given(THREE_SCORES, MAX_MARK)
def test_the_judgement_mark_is_a_ninth_of_the_aspect_per_point(scores, max_mark):
    assert judgement_mark(scores, max_mark) == mark_point_by_point(scores, max_mark)


@settings(deadline=None)
@given(THREE_SCORES, MAX_MARK, st.integers(min_value=0, max_value=2))
def test_a_judge_scoring_higher_never_lowers_the_mark(scores, max_mark, judge):
    higher = list(scores)
    higher[judge] = min(3, higher[judge] + 1)
    assert 0 <= judgement_mark(scores, max_mark) <= judgement_mark(higher, max_mark) <= max_mark


def test_another_number_of_judges_is_a_setting():
    assert judgement_mark([3, 2, 2, 1], 4, judges=4) == Fraction(8, 12) * 4
    with pytest.raises(ValueError, match="4 judges"):
        judgement_mark([3, 2, 2], 4, judges=4)


@pytest.mark.parametrize(
    "scores", [[3, 3], [3, 3, 3, 3], [], [4, 3, 3], [-1, 0, 0], [2.5, 2, 2], [True, 1, 1], "333"]
)
def test_scores_outside_the_judgement_rules_are_refused(scores):
    with pytest.raises(ValueError, match=r"judge|score"):
        judgement_mark(scores, 2)


@pytest.mark.parametrize("max_mark", [0, -1, "2", None, float("nan")])
def test_an_aspect_worth_nothing_or_not_a_number_is_refused(max_mark):
    with pytest.raises(ValueError, match="maximum mark"):
        judgement_mark([1, 1, 1], max_mark)


def test_judges_more_than_one_point_apart_discuss_before_entering():
    assert needs_discussion([1, 3, 2])
    assert needs_discussion([0, 2, 2])
    assert not needs_discussion([2, 3, 3])
    assert not needs_discussion([1, 1, 1])
    assert not needs_discussion([0, 2, 2], max_gap=2)
    with pytest.raises(ValueError, match="from 0 to 3"):
        needs_discussion([1, 5, 2])
    with pytest.raises(ValueError, match="no judge"):
        needs_discussion([])


# A skill's total.


def test_a_skill_s_total_adds_its_measurement_and_judgement_aspects():
    aspects = [
        Measurement(max_mark=40, awarded=31),
        Measurement(max_mark=Decimal("20.5"), awarded=Decimal("20.5")),
        Measurement(max_mark=Decimal("9.5"), awarded=0),
        Judgement(max_mark=18, scores=(2, 2, 3)),  # 7/9 of 18 = 14
        Judgement(max_mark=12, scores=(3, 3, 2)),  # 8/9 of 12 = 32/3
    ]
    assert skill_total(aspects) == 31 + Fraction("20.5") + 14 + Fraction(32, 3)
    assert float(skill_total(aspects)) == pytest.approx(76.17, abs=0.005)


def test_a_scheme_typed_in_floats_still_adds_up_to_100():
    aspects = [Measurement(max_mark=0.1, awarded=0.1) for _ in range(10)]
    aspects.append(Judgement(max_mark=99.0, scores=(3, 3, 3)))
    assert sum(0.1 for _ in range(10)) != 1  # what floats alone would give
    assert skill_total(aspects) == 100


def test_a_scheme_that_is_not_out_of_100_is_refused():
    with pytest.raises(ValueError, match="worth 90 marks in all, not 100"):
        skill_total([Measurement(max_mark=90, awarded=50)])
    assert skill_total([Measurement(max_mark=90, awarded=50)], out_of=None) == 50
    assert skill_total([Judgement(max_mark=20, scores=(3, 0, 0))], out_of=20) == Fraction(20, 3)


@settings(deadline=None)
@given(
    st.lists(st.tuples(MAX_MARK, THREE_SCORES), min_size=1, max_size=12),
    st.lists(st.tuples(MAX_MARK, st.integers(min_value=0, max_value=100)), max_size=12),
)
def test_a_total_is_between_0_and_the_scheme_and_adds_the_aspects_marks(judged, measured):
    aspects = [Judgement(max_mark=mark, scores=tuple(scores)) for mark, scores in judged]
    aspects += [
        Measurement(max_mark=mark, awarded=mark * percent / 100) for mark, percent in measured
    ]
    scheme = sum(Fraction(mark) for mark, _ in judged + measured)
    expected = sum(mark_point_by_point(scores, mark) for mark, scores in judged) + sum(
        Fraction(mark) * percent / 100 for mark, percent in measured
    )
    total = skill_total(aspects, out_of=scheme)
    assert total == expected
    assert 0 <= total <= scheme


@pytest.mark.parametrize(
    ("max_mark", "awarded", "error"),
    [
        (5, 6, "between 0 and 5"),
        (5, -1, "between 0 and 5"),
        (0, 0, "maximum mark must be positive"),
        (5, "3", "must be a number"),
        (5, float("inf"), "must be a finite number"),
    ],
)
def test_a_measurement_outside_its_aspect_is_refused(max_mark, awarded, error):
    with pytest.raises(ValueError, match=error):
        Measurement(max_mark=max_mark, awarded=awarded)


def test_totals_go_straight_onto_the_scale():
    totals = [
        skill_total([Measurement(60, 40), Judgement(40, (3, 3, 3))]),  # 80
        skill_total([Measurement(60, 30), Judgement(40, (0, 0, 0))]),  # 30
        skill_total([Measurement(60, 35), Judgement(40, (3, 3, 0))]),  # 35 + 80/3
    ]
    assert standardise(totals)[2] == 700


# The totals of a skill's marks, in whole 900ths of a mark, against the exact rules.

HUNDREDTHS = st.integers(min_value=-50, max_value=1050)
ASPECTS = st.lists(
    st.one_of(
        st.tuples(st.just(True), st.integers(min_value=1, max_value=1000), st.tuples(HUNDREDTHS)),
        st.tuples(
            st.just(False),
            st.integers(min_value=1, max_value=1000),
            st.lists(
                st.one_of(st.sampled_from([0, 100, 200, 300]), HUNDREDTHS), min_size=2, max_size=4
            ),
        ),
    ),
    max_size=12,
)


def exact_aspect(measured, max_hundredths, values):
    """The aspect as the exact rules take it, from values in hundredths."""
    worth = Decimal(max_hundredths) / 100
    given = [Decimal(value) / 100 for value in values]
    if measured:
        return Measurement(worth, given[0])
    return Judgement(worth, tuple(int(value) for value in given))


def entered(measured, max_hundredths, values):
    """Whether the values are ones the application lets a judge enter."""
    if measured:
        return 0 <= values[0] <= max_hundredths
    return len(values) == 3 and all(value in (0, 100, 200, 300) for value in values)


@settings(deadline=None, max_examples=200)
@given(ASPECTS)
def test_a_total_in_900ths_is_the_exact_total_or_none_where_the_rules_refuse(aspects):
    from tremplin.plugins.worldskills.marking import NINE_HUNDREDTHS, _nine_hundredths

    parts = [_nine_hundredths(*aspect) for aspect in aspects]
    # None only for values never entered through the application (they take the exact way).
    assert (None in parts) == (not all(entered(*aspect) for aspect in aspects))
    try:
        expected = skill_total([exact_aspect(*aspect) for aspect in aspects], out_of=None)
    except ValueError:
        assert None in parts
        return
    if None not in parts:
        assert Fraction(sum(parts), NINE_HUNDREDTHS) == expected
