"""Amounts and quantities read from callers, and rounding to the cent.

Money is ``Decimal``. A caller gives an ``int``, a ``Decimal`` or a ``str`` ("1234.56");
a ``float`` is refused, because a binary float cannot hold most amounts in cents exactly
(0.1 + 0.2 != 0.3) and the error would surface as a lost or extra cent far from its cause.
Amounts have at most two decimals; hours may have more (151.67 hours a month).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

CENT = Decimal("0.01")
# Far above any real turnover, and low enough that every product the rules compute stays
# exact within Decimal's default 28 significant digits.
LARGEST = Decimal(10) ** 15


def number(value: object, what: str) -> Decimal:
    """``value`` as a finite, non-negative ``Decimal``; ``ValueError`` naming ``what`` if not."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        kind = type(value).__name__
        if isinstance(value, float):
            raise ValueError(
                f"{what}: give a Decimal, an int or a str such as '1234.56', not the float "
                f"{value!r} (a float cannot hold cents exactly)"
            )
        raise ValueError(f"{what}: expected a Decimal, an int or a str, got {kind}")
    try:
        decimal = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise ValueError(f"{what}: {value!r} is not a number") from None
    if not decimal.is_finite():
        raise ValueError(f"{what}: {value!r} is not a finite number")
    if decimal < 0:
        raise ValueError(f"{what} must not be negative (got {value!r})")
    if decimal >= LARGEST:
        raise ValueError(f"{what}: {value!r} is unrealistically large")
    return decimal if decimal else Decimal(0)


def amount(value: object, what: str) -> Decimal:
    """``value`` as a non-negative amount of euros with at most two decimals, in cents."""
    decimal = number(value, what)
    in_cents = decimal.quantize(CENT)
    if in_cents != decimal:
        raise ValueError(f"{what}: {value!r} has more than two decimals (euros and cents)")
    return in_cents


def hours(value: object, what: str, *, positive: bool = False) -> Decimal:
    """``value`` as a non-negative number of hours (strictly positive when ``positive``)."""
    decimal = number(value, what)
    if positive and not decimal:
        raise ValueError(f"{what} must be greater than zero")
    return decimal


def to_cent(value: Decimal | Fraction) -> Decimal:
    """``value`` rounded to the cent, half a cent up (0.005 -> 0.01).

    A ``Fraction`` is rounded exactly, whatever its denominator: the rules round once, at
    the end, and never round an intermediate result.
    """
    if isinstance(value, Decimal):
        return value.quantize(CENT, rounding=ROUND_HALF_UP)
    cents = math.floor(value * 100 + Fraction(1, 2))
    return (Decimal(cents) / 100).quantize(CENT)
