"""The WorldSkills Scale, medals and medal points of one skill competition.

Each skill marks its competitors out of 100; to compare skills, the marks are standardised
on the WorldSkills Scale, which puts each skill's median competitor at 700 points, the others
typically between 600 and 800 (WorldSkills, "WorldSkills Scale", summarised by Skills Hub;
DOMAIN.md). WorldSkills International does not publish the spread it uses: the method and
its constants are the configuration ``Scale``, 100 points per standard deviation by
default, so that one standard deviation either side of the median spans 600 to 800.

Medals go to the first three, equal scores sharing a rank and the next medal being skipped
(two golds: no silver); a competitor without a medal at 700 or more gets a Medallion for
Excellence. Medal points: gold 4, silver 3, bronze 2, medallion 1 (WorldSkills, "Results and
Reports", member comparison reports). A team counts as one competitor: give one mark per
team. See docs/plugins/worldskills.md for every reading and its source.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from enum import StrEnum
from fractions import Fraction
from typing import Any

from .exact import exact
from .i18n import lazy_gettext

SD_KINDS = ("population", "sample")
# Digits of the standard deviation, far more than a float holds: its error never shows.
SQRT_DIGITS = 60


class Award(StrEnum):
    """What a competitor receives; the value is the string ``awards`` returns."""

    GOLD = "gold"
    SILVER = "silver"
    BRONZE = "bronze"
    MEDALLION = "medallion"

    @property
    def label(self) -> str:
        """The award's name in the current language ("Médaille d’or")."""
        return str(LABELS[self])


LABELS = {
    Award.GOLD: lazy_gettext("Gold medal"),
    Award.SILVER: lazy_gettext("Silver medal"),
    Award.BRONZE: lazy_gettext("Bronze medal"),
    Award.MEDALLION: lazy_gettext("Medallion for Excellence"),
}
MEDALS_BY_RANK = {1: Award.GOLD, 2: Award.SILVER, 3: Award.BRONZE}
# WorldSkills, "Results and Reports": comparison by total and average medal points.
MEDAL_POINTS = {Award.GOLD: 4, Award.SILVER: 3, Award.BRONZE: 2, Award.MEDALLION: 1}


def standardise(
    marks: Iterable[Any],
    *,
    centre: float = 700,
    points_per_sd: float = 100,
    sd: str = "population",
) -> list[float]:
    """The scale score of each of ``marks`` (one skill's competitors), in the same order.

    score = centre + (mark − median) / SD × points_per_sd, the median of an even count
    being the mean of the two middle marks, SD the population (divide by n) or sample
    (divide by n − 1) standard deviation of the marks. With one competitor, or when every
    mark is equal (SD = 0), everyone scores the centre.

    Scores are floats, not rounded: each is the exact value rounded once to the nearest
    float, so the median competitor of an odd count scores exactly ``centre`` and the two
    middle ones of an even count lie symmetrically about it. Equal marks score equal; a
    higher mark scores strictly higher, even when two marks are so close that their scores
    would round to the same float (the one farther from the median is then moved one float
    further out). Round only to display.

    Raise ``ValueError`` for no mark, a mark or constant that is not a finite number, a
    ``points_per_sd`` that is not positive, or an ``sd`` other than "population" or
    "sample".
    """
    exact_marks = [exact(mark, "a mark") for mark in marks]
    if not exact_marks:
        raise ValueError("there is no mark to standardise")
    exact_centre = exact(centre, "the centre of the scale")
    spread = exact(points_per_sd, "the points per standard deviation")
    if spread <= 0:
        raise ValueError(f"the points per standard deviation must be positive, not {spread}")
    if sd not in SD_KINDS:
        raise ValueError(f"sd must be one of {', '.join(SD_KINDS)}, not {sd!r}")
    # The marks as whole numbers of one small unit, 1 / (2 × their common denominator):
    # sorting, adding and comparing them is integer work, and the median is whole too.
    unit = 2 * math.lcm(*(mark.denominator for mark in exact_marks))
    wholes = [mark.numerator * (unit // mark.denominator) for mark in exact_marks]
    middle = _median(wholes)
    deviation = _standard_deviation(wholes, unit, sd) if len(wholes) > 1 else Fraction(0)
    if deviation == 0:
        return [float(exact_centre)] * len(wholes)
    scores = _rounded_scores(wholes, middle, unit, spread / deviation, exact_centre)
    _keep_strict_order(scores, middle, float(exact_centre))
    return [scores[whole] for whole in wholes]


def _median(wholes: Sequence[int]) -> int:
    """The middle value of ``wholes``, the mean of the two middle ones for an even count
    (whole: every value is even)."""
    ordered = sorted(wholes)
    half = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[half]
    return (ordered[half - 1] + ordered[half]) // 2


def _standard_deviation(wholes: Sequence[int], unit: int, sd: str) -> Fraction:
    """The standard deviation of the marks ``wholes / unit`` (at least two), ``sd``
    "population" or "sample".

    The variance is exact: Σ(n·x − Σx)² / (n² × divisor × unit²), in integers. Its square
    root is exact to ``SQRT_DIGITS`` significant digits.
    """
    count, total = len(wholes), sum(wholes)
    squares = sum((count * whole - total) ** 2 for whole in wholes)
    divisor = count if sd == "population" else count - 1
    variance = Fraction(squares, count * count * divisor * unit * unit)
    with localcontext() as context:
        context.prec = SQRT_DIGITS
        root = (Decimal(variance.numerator) / Decimal(variance.denominator)).sqrt()
    return Fraction(root)


def _rounded_scores(
    wholes: Sequence[int], middle: int, unit: int, per_mark: Fraction, centre: Fraction
) -> dict[int, float]:
    """``centre + (whole − middle) / unit × per_mark`` for each distinct mark, rounded once.

    The value is written as one integer over another, and Python rounds the quotient of two
    integers correctly to the nearest float: the float of the same ``Fraction`` expression,
    without reducing each intermediate fraction (``per_mark`` has some sixty digits).
    """
    top, bottom = per_mark.numerator, per_mark.denominator
    centre_top, centre_bottom = centre.numerator, centre.denominator
    denominator = centre_bottom * unit * bottom
    return {
        whole: (centre_top * unit * bottom + (whole - middle) * top * centre_bottom) / denominator
        for whole in wholes
    }


def _keep_strict_order(scores: dict[int, float], middle: int, centre: float) -> None:
    """Move scores that rounding made equal for different marks one float outwards."""
    above = sorted(whole for whole in scores if whole > middle)
    below = sorted((whole for whole in scores if whole < middle), reverse=True)
    for side, outwards in ((above, math.inf), (below, -math.inf)):
        previous = centre
        for whole in side:
            # Rounding never inverts two scores, but it may make them equal.
            if (scores[whole] <= previous) if outwards > 0 else (scores[whole] >= previous):
                scores[whole] = math.nextafter(previous, outwards)
            previous = scores[whole]


def awards(scores: Iterable[Any], *, medallion_from: float | None = 700) -> list[Award | None]:
    """The award of each of ``scores`` (one skill's competitors), in the same order.

    Standard competition ranking (1, 1, 3): a competitor's rank is one more than the number
    of strictly higher scores. Rank 1 is gold, 2 silver, 3 bronze, so equal scores share a
    medal and the next one is skipped (two golds, then a bronze; three golds, no other
    medal). A competitor without a medal scoring ``medallion_from`` or more gets a Medallion
    for Excellence; ``medallion_from=None`` gives none. Scores are compared as given: round
    them first if medals go by whole points. No score, no award: ``[]``.

    Raise ``ValueError`` if a score or ``medallion_from`` is not a finite number.
    """
    given = list(scores)
    for score in given:
        exact(score, "a score")
    if medallion_from is not None:
        exact(medallion_from, "the medallion threshold")
    ascending = sorted(given)
    result: list[Award | None] = []
    for score in given:
        rank = 1 + len(ascending) - bisect.bisect_right(ascending, score)
        medal = MEDALS_BY_RANK.get(rank)
        if medal is None and medallion_from is not None and score >= medallion_from:
            medal = Award.MEDALLION
        result.append(medal)
    return result


def medal_points(award: Award | str | None) -> int:
    """Points of ``award`` for a region's or a centre's total: gold 4, silver 3, bronze 2,
    medallion 1, nothing (``None``) 0. Raise ``ValueError`` for any other value."""
    if award is None:
        return 0
    if isinstance(award, str) and award in MEDAL_POINTS:
        return MEDAL_POINTS[Award(award)]
    raise ValueError(f"award must be one of {', '.join(Award)} or None, not {award!r}")


@dataclass(frozen=True)
class Scale:
    """A method of standardisation: its centre, its spread and its kind of SD.

    The default is the WorldSkills Scale as far as it is public: the median competitor at
    700 (WorldSkills Scale); the spread is not published, 100 points per population
    standard deviation is this project's choice, matching the 600–800 that WorldSkills says
    results typically fall in. A region overrides any of the three. The Medallion for
    Excellence is awarded from the centre, the level of a skill's median competitor.
    """

    centre: float = 700
    points_per_sd: float = 100
    sd: str = "population"

    def __post_init__(self) -> None:
        exact(self.centre, "the centre of the scale")
        if exact(self.points_per_sd, "the points per standard deviation") <= 0:
            raise ValueError("the points per standard deviation must be positive")
        if self.sd not in SD_KINDS:
            raise ValueError(f"sd must be one of {', '.join(SD_KINDS)}, not {self.sd!r}")

    @property
    def medallion_from(self) -> float:
        """The score from which a competitor without a medal gets a medallion."""
        return self.centre

    def standardise(self, marks: Iterable[Any]) -> list[float]:
        """``standardise(marks)`` with this method's constants."""
        return standardise(marks, centre=self.centre, points_per_sd=self.points_per_sd, sd=self.sd)

    def awards(self, scores: Iterable[Any]) -> list[Award | None]:
        """``awards(scores)`` with this method's medallion threshold."""
        return awards(scores, medallion_from=self.medallion_from)


WORLDSKILLS_SCALE = Scale()
