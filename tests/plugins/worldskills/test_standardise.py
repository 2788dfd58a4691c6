"""The WorldSkills Scale: each skill's median competitor at 700, the spread set by the
method's constants (docs/plugins/worldskills.md)."""

from __future__ import annotations

import math
import statistics
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tremplin.plugins.worldskills.scoring import WORLDSKILLS_SCALE, Scale, standardise

pytestmark = pytest.mark.one_database  # nothing here depends on the database

MARKS = st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False)
WHOLE_MARKS = st.integers(min_value=0, max_value=100)
# Marks as marking schemes give them, to the hundredth: the plain float computation below
# is only trusted on these (on marks like 5e-324 its squares underflow to 0).
HUNDREDTHS = st.integers(min_value=0, max_value=10000).map(lambda hundredths: hundredths / 100)
FIELDS = st.lists(MARKS, min_size=1, max_size=30)
KINDS = st.sampled_from(["population", "sample"])
# Scores are about 700 with spreads of hundreds: a millionth of a point is far below any
# difference the scale shows, and far above the rounding of floats.
CLOSE = 1e-6


def plain_scores(marks, centre=700.0, points_per_sd=100.0, sd="population"):
    """The scale computed the long way, with floats and loops, as a reader would by hand."""
    ordered = sorted(marks)
    count = len(ordered)
    if count % 2 == 1:
        middle = ordered[count // 2]
    else:
        middle = (ordered[count // 2 - 1] + ordered[count // 2]) / 2
    total = 0.0
    for mark in marks:
        total += mark
    mean = total / count
    squares = 0.0
    for mark in marks:
        squares += (mark - mean) * (mark - mean)
    divisor = count if sd == "population" else count - 1
    deviation = math.sqrt(squares / divisor) if divisor else 0.0
    if deviation == 0:
        return [centre] * count
    return [centre + (mark - middle) / deviation * points_per_sd for mark in marks]


def spread_of(values, sd):
    return statistics.pstdev(values) if sd == "population" else statistics.stdev(values)


# Worked examples, figures computed by hand.


def test_three_competitors_the_median_at_700_the_others_one_and_a_quarter_sd_away():
    # Marks 50, 60, 70: median 60, population SD √(200/3) = 8.165, so ±10 marks = ±122.47.
    assert standardise([70, 50, 60]) == pytest.approx([822.47, 577.53, 700.0], abs=0.01)


def test_an_even_count_puts_the_mean_of_the_two_middle_marks_at_700():
    # Marks 40, 50, 70, 80: median 60, population SD √250 = 15.811.
    scores = standardise([40, 50, 70, 80])
    assert scores == pytest.approx([573.51, 636.75, 763.25, 826.49], abs=0.01)
    # Sample SD √(1000/3) = 18.257.
    sample = standardise([40, 50, 70, 80], sd="sample")
    assert sample == pytest.approx([590.46, 645.23, 754.77, 809.54], abs=0.01)


def test_the_median_not_the_mean_sits_at_700():
    # Marks 10, 60, 65, 70, 95: mean 60 but median 65; population SD √770 = 27.749.
    scores = standardise([10, 60, 65, 70, 95])
    assert scores[2] == 700
    assert scores == pytest.approx([501.79, 681.98, 700.0, 718.02, 808.11], abs=0.01)


def test_a_competitor_alone_or_a_field_of_equal_marks_scores_the_centre():
    assert standardise([42]) == [700.0]
    assert standardise([42], sd="sample") == [700.0]
    assert standardise([55, 55, 55, 55]) == [700.0] * 4
    assert standardise([55, 55], centre=500) == [500.0, 500.0]


def test_scores_are_floats_even_from_exact_marks():
    scores = standardise([Fraction(1, 3), Decimal("50.25"), 80, 99.5])
    assert all(type(score) is float for score in scores)
    assert scores == pytest.approx(plain_scores([1 / 3, 50.25, 80, 99.5]), abs=CLOSE)


def test_marks_a_hair_apart_keep_their_order():
    # 5e-324 is the smallest float above 0. With it as the median, the exact score of the
    # mark 0 is less than a float step below 700, yet it stays below the median's.
    low, middle, top = standardise([0.0, 5e-324, 100.0])
    assert low < middle == 700 < top
    scores = standardise([0.0, 5e-324, 1e-323, 100.0, 100.0])
    assert scores[0] < scores[1] < scores[2] == 700 < scores[3] == scores[4]


def test_the_default_method_is_the_worldskills_scale_as_published():
    assert Scale(centre=700, points_per_sd=100, sd="population") == WORLDSKILLS_SCALE
    assert WORLDSKILLS_SCALE.medallion_from == 700
    marks = [12, 48, 50, 77]
    assert WORLDSKILLS_SCALE.standardise(marks) == standardise(marks)
    assert Scale(centre=500, points_per_sd=20, sd="sample").standardise(marks) == standardise(
        marks, centre=500, points_per_sd=20, sd="sample"
    )


# Properties.


# No deadline: the machine running the tests may be busy, and time is not the point.
@settings(deadline=None)
@given(st.lists(HUNDREDTHS, min_size=1, max_size=30), KINDS)
def test_the_scale_follows_the_plain_computation(marks, sd):
    assert standardise(marks, sd=sd) == pytest.approx(plain_scores(marks, sd=sd), abs=CLOSE)


@settings(deadline=None)
@given(FIELDS, KINDS)
def test_order_is_kept_ties_stay_tied_and_higher_stays_strictly_higher(marks, sd):
    scores = standardise(marks, sd=sd)
    for first, first_score in zip(marks, scores, strict=True):
        for second, second_score in zip(marks, scores, strict=True):
            if first == second:
                assert first_score == second_score
            elif first > second:
                assert first_score > second_score


@settings(deadline=None)
@given(st.lists(WHOLE_MARKS, min_size=1, max_size=31).filter(lambda marks: len(marks) % 2))
def test_with_an_odd_count_the_median_competitor_scores_exactly_the_centre(marks):
    assert statistics.median(standardise(marks)) == 700
    assert statistics.median(standardise(marks, centre=650.5, sd="sample")) == 650.5


@settings(deadline=None)
@given(FIELDS.filter(lambda marks: len(marks) % 2 == 0), KINDS)
def test_with_an_even_count_the_median_score_is_the_centre(marks, sd):
    assert statistics.median(standardise(marks, sd=sd)) == pytest.approx(700, abs=CLOSE)


@settings(deadline=None)
@given(FIELDS, st.floats(min_value=-1000, max_value=1000), KINDS)
def test_adding_the_same_amount_to_every_mark_changes_no_score(marks, shift, sd):
    shifted = [mark + shift for mark in marks]
    # The shifted marks are themselves rounded to floats: allow for it, relative to the
    # spread of the marks (a rounding of 1e-13 on marks 1e-10 apart is a big difference).
    spread = spread_of(marks, sd) if len(marks) > 1 else 0
    if spread < 1e-6:
        return
    assert standardise(shifted, sd=sd) == pytest.approx(standardise(marks, sd=sd), abs=1e-4)


@settings(deadline=None)
@given(st.lists(WHOLE_MARKS, min_size=1, max_size=30), st.integers(-1000, 1000), KINDS)
def test_adding_a_whole_number_to_whole_marks_changes_no_score_at_all(marks, shift, sd):
    assert standardise([mark + shift for mark in marks], sd=sd) == standardise(marks, sd=sd)


@settings(deadline=None)
@given(FIELDS, st.floats(min_value=1, max_value=500), KINDS)
def test_the_distance_from_the_centre_grows_with_the_points_per_sd(marks, points, sd):
    base = [score - 700 for score in standardise(marks, sd=sd)]
    scaled = [score - 700 for score in standardise(marks, points_per_sd=points, sd=sd)]
    assert scaled == pytest.approx([gap * points / 100 for gap in base], abs=CLOSE * points)


@settings(deadline=None)
@given(st.lists(WHOLE_MARKS, min_size=2, max_size=30), KINDS)
def test_the_scores_spread_is_the_points_per_sd(marks, sd):
    scores = standardise(marks, points_per_sd=80, sd=sd)
    expected = 0 if len(set(marks)) == 1 else 80
    assert spread_of(scores, sd) == pytest.approx(expected, abs=CLOSE)


# Bad input.


@pytest.mark.parametrize(
    "marks",
    [
        [],
        ["12"],
        [None],
        [12, "a"],
        [float("nan")],
        [12, float("inf")],
        [Decimal("NaN")],
        [True, 12],
        [[12]],
    ],
)
def test_a_mark_that_is_not_a_finite_number_is_refused(marks):
    with pytest.raises(ValueError, match="mark"):
        standardise(marks)


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"sd": "median"}, "sd must be one of population, sample"),
        ({"sd": None}, "sd must be one of population, sample"),
        ({"points_per_sd": 0}, "points per standard deviation must be positive"),
        ({"points_per_sd": -100}, "points per standard deviation must be positive"),
        ({"points_per_sd": float("nan")}, "points per standard deviation must be a finite"),
        ({"centre": float("inf")}, "centre of the scale must be a finite number"),
        ({"centre": "700"}, "centre of the scale must be a number"),
    ],
)
def test_a_broken_method_is_refused(options, error):
    with pytest.raises(ValueError, match=error):
        standardise([10, 20, 30], **options)
    with pytest.raises(ValueError, match=error):
        Scale(**options)
