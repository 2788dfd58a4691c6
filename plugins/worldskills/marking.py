"""The marks of one competitor in one skill, from the aspects of its marking scheme.

A skill's marking scheme is out of 100 marks, split into aspects of two kinds (WorldSkills,
"WorldSkills Scale"; CIS presentation for Experts, EuroSkills 2016):

- a *measurement* aspect is marked against a precise rule: full marks, nothing, or a part
  set by the rule (a tolerance met, a number of items right);
- a *judgement* aspect is scored 0 to 3 by each of three judges (CIS judgement marking
  forms: one column per judge); the aspect's mark is the mean of their scores over 3,
  times the aspect's maximum mark.

Marks are exact fractions (``Fraction``): a total such as 2/3 + 1/3 is exactly 1, and
``scoring.standardise`` takes them as they are. Round only to display.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .exact import exact

TOP_SCORE = 3
JUDGES = 3
SCHEME_TOTAL = 100


def judgement_mark(scores: Sequence[int], max_mark: Any, *, judges: int = JUDGES) -> Fraction:
    """The mark of a judgement aspect worth ``max_mark`` from its judges' ``scores``.

    mark = mean of the scores / 3 × max_mark: three 3s give the whole mark, three 0s
    nothing, (2, 2, 3) seven ninths of it. Raise ``ValueError`` unless there are exactly
    ``judges`` scores, each a whole number from 0 to 3, and ``max_mark`` is positive.
    """
    checked = _judges_scores(scores, judges)
    maximum = _max_mark(max_mark)
    return Fraction(sum(checked), len(checked) * TOP_SCORE) * maximum


def needs_discussion(scores: Sequence[int], *, max_gap: int = 1) -> bool:
    """Whether the judges' ``scores`` of one aspect are more than ``max_gap`` apart.

    Judges score on their own, then compare; scores further apart than one point are
    discussed before they are entered (WorldSkills judgement marking rules, as the skills'
    technical descriptions state them). Raise ``ValueError`` for scores outside 0-3.
    """
    checked = _judges_scores(scores, None)
    return max(checked) - min(checked) > max_gap


@dataclass(frozen=True)
class Measurement:
    """A measurement aspect worth ``max_mark``, of which the competitor got ``awarded``."""

    max_mark: Fraction
    awarded: Fraction

    def __post_init__(self) -> None:
        maximum = _max_mark(self.max_mark)
        awarded = exact(self.awarded, "the mark awarded")
        if not 0 <= awarded <= maximum:
            raise ValueError(f"the mark awarded must be between 0 and {maximum}, not {awarded}")
        object.__setattr__(self, "max_mark", maximum)
        object.__setattr__(self, "awarded", awarded)

    @property
    def mark(self) -> Fraction:
        """The competitor's mark for this aspect."""
        return self.awarded


@dataclass(frozen=True)
class Judgement:
    """A judgement aspect worth ``max_mark``, with its ``judges``' ``scores`` (0-3 each)."""

    max_mark: Fraction
    scores: tuple[int, ...]
    judges: int = JUDGES

    def __post_init__(self) -> None:
        object.__setattr__(self, "max_mark", _max_mark(self.max_mark))
        object.__setattr__(self, "scores", tuple(_judges_scores(self.scores, self.judges)))

    @property
    def mark(self) -> Fraction:
        """The competitor's mark for this aspect (``judgement_mark``)."""
        # The scores and the maximum were checked when the aspect was made.
        return Fraction(sum(self.scores), len(self.scores) * TOP_SCORE) * self.max_mark


def skill_total(
    aspects: Iterable[Measurement | Judgement], *, out_of: int | None = SCHEME_TOTAL
) -> Fraction:
    """A competitor's marks in a skill: the sum of the marks of its ``aspects``.

    The aspects' maximum marks must add up to ``out_of`` (100, the marking scheme of every
    skill), or ``ValueError``: a total over a scheme with an aspect missing or counted
    twice would be wrong. ``out_of=None`` sums whatever is given (a partial total while
    marking goes on).
    """
    given = list(aspects)
    if out_of is not None:
        scheme = sum((aspect.max_mark for aspect in given), Fraction(0))
        if scheme != out_of:
            raise ValueError(f"the aspects are worth {scheme} marks in all, not {out_of}")
    return sum((aspect.mark for aspect in given), Fraction(0))


# Marks and maximum marks are entered to the hundredth, and a judgement aspect's mark is
# the judges' points over 9 times its maximum: in 900ths of a mark, every mark is a whole
# number. ``marks.totals`` adds them so, thousands a skill, and makes one ``Fraction`` of
# each competitor's total: the same total as ``skill_total``.
NINE_HUNDREDTHS = 100 * JUDGES * TOP_SCORE


def _nine_hundredths(measured: bool, max_hundredths: int, values: Sequence[int]) -> int | None:
    """An aspect's mark in 900ths of a mark, from its maximum and its ``values`` in
    hundredths (a measurement's award; each judge's score times 100), or ``None`` for
    values the rules refuse (``Measurement`` and ``Judgement`` then say why)."""
    if max_hundredths <= 0:
        return None
    if measured:
        awarded = values[0]
        if not 0 <= awarded <= max_hundredths:
            return None
        return awarded * (NINE_HUNDREDTHS // 100)
    if len(values) != JUDGES:
        return None
    points = 0
    for value in values:
        if value % 100 or not 0 <= value <= 100 * TOP_SCORE:
            return None
        points += value // 100
    return points * max_hundredths


def _judges_scores(scores: Iterable[int], judges: int | None) -> list[int]:
    """``scores`` checked: ``judges`` of them (at least one if ``None``), each from 0 to 3."""
    if isinstance(scores, str | bytes) or not isinstance(scores, Iterable):
        raise ValueError(f"the judges' scores must be a list, not {scores!r}")
    checked = list(scores)
    if judges is None:
        if not checked:
            raise ValueError("no judge scored the aspect")
    elif isinstance(judges, bool) or not isinstance(judges, int) or judges < 1:
        raise ValueError(f"the number of judges must be a positive whole number, not {judges!r}")
    elif len(checked) != judges:
        raise ValueError(f"{judges} judges score an aspect, not {len(checked)}")
    for score in checked:
        if isinstance(score, bool) or not isinstance(score, int):
            raise ValueError(f"a judge's score is a whole number from 0 to 3, not {score!r}")
        if not 0 <= score <= TOP_SCORE:
            raise ValueError(f"a judge's score is from 0 to 3, not {score}")
    return checked


def _max_mark(value: Any) -> Fraction:
    maximum = exact(value, "the maximum mark")
    if maximum <= 0:
        raise ValueError(f"the maximum mark must be positive, not {maximum}")
    return maximum
