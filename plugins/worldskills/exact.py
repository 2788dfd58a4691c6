"""Numbers taken exactly: marks, scores and constants become fractions before any arithmetic.

Computing with ``Fraction`` keeps sums of marks such as 0.35 + 0.65 exactly 1, keeps the
median competitor exactly at the centre of the scale, and leaves one rounding only, at the
end. A ``float`` stands for the decimal it prints as (``0.1`` is one tenth), so a marking
scheme typed as floats still adds up to 100.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from numbers import Rational
from typing import Any


def exact(value: Any, what: str) -> Fraction:
    """``value`` as a ``Fraction``; ``ValueError`` naming ``what`` unless it is a finite number.

    Integers, fractions, decimals and floats are taken; booleans, strings, ``None``, NaN
    and infinities are refused.
    """
    if type(value) is Fraction:  # immutable: taken as it is (totals add thousands of them)
        return value
    if isinstance(value, bool) or not isinstance(value, Rational | float | Decimal):
        raise ValueError(f"{what} must be a number, not {value!r}")
    if isinstance(value, Rational):
        return Fraction(value.numerator, value.denominator)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, not {value!r}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{what} must be a finite number, not {value!r}")
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
