"""A year-by-year estimate of the sponsorship tax reduction (CGI art. 238 bis and 220 E).

``simulate`` follows a company over its financial years, in order, and keeps two ledgers:

- donations above the year's ceiling, carried over the five following financial years
  (CGI art. 238 bis 3), counted in a later year after that year's own donations, the oldest
  first, and lost after the fifth;
- when the tax due is given, the reduction not used against it, carried over the five
  following financial years (CGI art. 220 E), the oldest first, and lost after the fifth.

Readings of the law this module makes (each argued in docs/plugins/mecenat.md):

- The rate of a donation is fixed by the year it was paid in: in a year closing from
  31 December 2020, the first 2 M€ of its ordinary donations open 60 %, the rest 40 %;
  donations to "Coluche" bodies open 60 % and do not count toward the 2 M€. A donation
  carried to a later year keeps that rate (BOI-BIC-RICI-20-30-20 § 45) and does not count
  toward the later year's 2 M€.
- One ceiling covers all the donations of a year, "Coluche" ones included. Within it, the
  year's donations at 60 % count before those at 40 %; then the carries, the oldest year
  first, 60 % before 40 % within a year.
- A reduction is used against the tax due in the order the reductions were made, the
  oldest first, the year's own last (CGI annexe III art. 49 septies XB, quoted in
  BOI-BIC-RICI-20-30-30 § 40).
- Five years are counted by closing year: what is carried out of the year closing in N is
  usable up to the year closing in N + 5 and lost after it. A closing year missing from the
  list is a year with no donations and no tax (every calendar year normally closes one
  financial year).

The result is an estimate; the forms (2069-RCI-SD, and the receipt 2041-MEC-SD the
beneficiary issues) are the company's.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Decimal
from itertools import pairwise
from typing import NotRequired, TypedDict

from .money import CENT, amount, to_cent
from .parameters import DONATION_CARRY_YEARS, REDUCTION_CARRY_YEARS, TaxRegime, regime_for

REQUIRED_KEYS = ("year", "turnover", "donations")
OPTIONAL_KEYS = ("coluche_donations", "tax_due", "closing_date")


class YearEstimate(TypedDict):
    """The estimate of one financial year, every amount a ``Decimal`` in euros and cents.

    Donations: ``carry_in`` was carried in from earlier years; ``eligible`` is what opens the
    reduction this year (the year's own donations within the ceiling, then ``carry_used``
    of the carries), split by rate into ``rate_60_base`` and ``rate_40_base``;
    ``carry_out`` is carried to later years (this year's excess and carries still alive);
    ``expired`` is lost at the end of this year. Always
    ``carry_in + own donations = eligible + carry_out + expired``.

    The reduction, when the tax due was given: ``used`` against this year's tax (carries of
    the reduction and this year's, oldest first), ``reduction_carry_out`` carried on,
    ``reduction_expired`` lost. Always
    ``reduction_carry_in + reduction = used + reduction_carry_out + reduction_expired``.
    """

    year: int
    ceiling: Decimal
    carry_in: Decimal
    eligible: Decimal
    carry_used: Decimal
    rate_60_base: Decimal
    rate_40_base: Decimal
    reduction: Decimal
    carry_out: Decimal
    expired: Decimal
    reduction_carry_in: NotRequired[Decimal]
    used: NotRequired[Decimal]
    reduction_carry_out: NotRequired[Decimal]
    reduction_expired: NotRequired[Decimal]


@dataclass(frozen=True)
class FiscalYear:
    """One financial year as given to ``simulate``, read and checked."""

    year: int
    closing: datetime.date
    turnover: Decimal
    donations: Decimal
    coluche_donations: Decimal
    tax_due: Decimal | None


@dataclass(frozen=True)
class Lot:
    """Donations of the year ``origin`` opening the reduction at ``rate``, not yet counted."""

    origin: int
    rate: Decimal
    reduced: bool  # the part of ordinary donations above the 2 M€ threshold
    amount: Decimal


@dataclass(frozen=True)
class Leftover:
    """Part of the reduction of the year ``origin`` not yet used against the tax."""

    origin: int
    amount: Decimal


def simulate(years: Iterable[Mapping[str, object]]) -> list[YearEstimate]:
    """Estimate the reduction of each financial year of ``years``, given in order.

    Each mapping has ``year`` (the closing year, an int), ``turnover`` (excluding tax) and
    ``donations`` (eligible donations paid that year, other than to "Coluche" bodies), and
    optionally ``coluche_donations`` (paid to bodies giving free meals, housing or care to
    people in difficulty: 60 % at any amount), ``tax_due`` (the tax the reduction is used
    against; give it for every year or none) and ``closing_date`` (a ``datetime.date`` in
    ``year``; 31 December by default). Amounts are ``Decimal``, ``int`` or ``str`` with at
    most two decimals, never ``float``.

    Return one ``YearEstimate`` per year, in the same order. ``ValueError`` with a readable
    message on bad input: a missing or unknown key, a negative amount, a float, years out
    of order or repeated, a year before the rules (financial years closing before
    31 December 2003).
    """
    fiscal_years = read_years(years)
    with_tax = bool(fiscal_years) and fiscal_years[0].tax_due is not None
    carried: list[Lot] = []
    leftovers: list[Leftover] = []
    estimates: list[YearEstimate] = []
    for fiscal_year in fiscal_years:
        estimate, carried = count_donations(fiscal_year, carried)
        if with_tax:
            leftovers = use_reduction(fiscal_year, estimate, leftovers)
        estimates.append(estimate)
    return estimates


def count_donations(fiscal_year: FiscalYear, carried: list[Lot]) -> tuple[YearEstimate, list[Lot]]:
    """The estimate of ``fiscal_year`` for its donations, and the lots it carries out."""
    regime = regime_for(fiscal_year.closing)
    ceiling = ceiling_of(fiscal_year.turnover, regime)
    oldest_usable = fiscal_year.year - DONATION_CARRY_YEARS
    alive = sorted(
        (lot for lot in carried if lot.origin >= oldest_usable),
        key=lambda lot: (lot.origin, lot.reduced),
    )
    lapsed = sum((lot.amount for lot in carried if lot.origin < oldest_usable), Decimal(0))
    own = lots_of(fiscal_year, regime)

    room = ceiling
    counted = {"own": Decimal(0), "carry": Decimal(0), "full": Decimal(0), "reduced": Decimal(0)}
    reduction = Decimal(0)
    left: list[Lot] = []
    for lot in own + alive:
        taken = min(lot.amount, room)
        room -= taken
        counted["own" if lot.origin == fiscal_year.year else "carry"] += taken
        counted["reduced" if lot.reduced else "full"] += taken
        reduction += taken * lot.rate
        if lot.amount > taken:
            left.append(replace(lot, amount=lot.amount - taken))

    expired = lapsed + sum((lot.amount for lot in left if lot.origin == oldest_usable), Decimal(0))
    carried_out = [lot for lot in left if lot.origin > oldest_usable]
    estimate: YearEstimate = {
        "year": fiscal_year.year,
        "ceiling": ceiling,
        "carry_in": sum((lot.amount for lot in carried), Decimal(0)).quantize(CENT),
        "eligible": (counted["own"] + counted["carry"]).quantize(CENT),
        "carry_used": counted["carry"].quantize(CENT),
        "rate_60_base": counted["full"].quantize(CENT),
        "rate_40_base": counted["reduced"].quantize(CENT),
        "reduction": to_cent(reduction),
        "carry_out": sum((lot.amount for lot in carried_out), Decimal(0)).quantize(CENT),
        "expired": expired.quantize(CENT),
    }
    return estimate, carried_out


def ceiling_of(turnover: Decimal, regime: TaxRegime) -> Decimal:
    """Donations counted in a year: the higher of the fixed ceiling and the share of turnover.

    The share is rounded down to the cent: a donation counts within the limit, never a
    cent beyond it.
    """
    share = (turnover * regime.turnover_share).quantize(CENT, rounding=ROUND_DOWN)
    return max(regime.fixed_ceiling, share).quantize(CENT)


def lots_of(fiscal_year: FiscalYear, regime: TaxRegime) -> list[Lot]:
    """The year's donations by rate, those at the full rate first.

    Ordinary donations up to the threshold, and all "Coluche" donations, open the full
    rate; ordinary donations above the threshold open the reduced rate.
    """
    ordinary = fiscal_year.donations
    full = Lot(fiscal_year.year, regime.rate, False, fiscal_year.coluche_donations + ordinary)
    if regime.reduced_rate_above is None or regime.reduced_rate is None:
        return [full] if full.amount else []
    above = max(ordinary - regime.reduced_rate_above, Decimal(0))
    lots = [
        replace(full, amount=full.amount - above),
        Lot(fiscal_year.year, regime.reduced_rate, True, above),
    ]
    return [lot for lot in lots if lot.amount]


def use_reduction(
    fiscal_year: FiscalYear, estimate: YearEstimate, leftovers: list[Leftover]
) -> list[Leftover]:
    """Use the reductions against ``fiscal_year``'s tax, oldest first; add the figures to
    ``estimate`` and return the leftovers carried to the next years (CGI art. 220 E)."""
    oldest_usable = fiscal_year.year - REDUCTION_CARRY_YEARS
    pool = [left for left in leftovers if left.origin >= oldest_usable]
    pool.append(Leftover(fiscal_year.year, estimate["reduction"]))
    lapsed = sum((left.amount for left in leftovers if left.origin < oldest_usable), Decimal(0))

    tax_left = fiscal_year.tax_due or Decimal(0)
    remaining: list[Leftover] = []
    for left in pool:
        taken = min(left.amount, tax_left)
        tax_left -= taken
        if left.amount > taken:
            remaining.append(replace(left, amount=left.amount - taken))

    carry_in = sum((left.amount for left in leftovers), Decimal(0))
    expired = lapsed + sum(
        (left.amount for left in remaining if left.origin == oldest_usable), Decimal(0)
    )
    carried_out = [left for left in remaining if left.origin > oldest_usable]
    carry_out = sum((left.amount for left in carried_out), Decimal(0))
    estimate["reduction_carry_in"] = carry_in.quantize(CENT)
    estimate["used"] = (carry_in + estimate["reduction"] - carry_out - expired).quantize(CENT)
    estimate["reduction_carry_out"] = carry_out.quantize(CENT)
    estimate["reduction_expired"] = expired.quantize(CENT)
    return carried_out


def read_years(years: Iterable[Mapping[str, object]]) -> list[FiscalYear]:
    """The financial years of ``years``, checked: in order, each once, tax given for all or
    none. ``ValueError`` says what is wrong and where."""
    if isinstance(years, str | bytes | Mapping):
        raise ValueError("years: expected a list of mappings, one per financial year")
    try:
        entries = list(years)
    except TypeError:
        raise ValueError("years: expected a list of mappings, one per financial year") from None
    read = [read_year(position, entry) for position, entry in enumerate(entries, 1)]
    for previous, current in pairwise(read):
        if current.year == previous.year:
            raise ValueError(f"{current.year} is given twice: one mapping per financial year")
        if current.year < previous.year:
            raise ValueError(
                f"financial years must be given in order: {current.year} comes after "
                f"{previous.year}"
            )
    if len({fiscal_year.tax_due is None for fiscal_year in read}) > 1:
        raise ValueError(
            "tax_due must be given for every financial year or for none: the reduction "
            "carried against the tax cannot be followed through a year without it"
        )
    return read


def read_year(position: int, entry: object) -> FiscalYear:
    """The ``position``-th mapping of the list, read and checked."""
    where = f"financial year #{position}"
    if not isinstance(entry, Mapping):
        raise ValueError(
            f"{where}: expected a mapping with year, turnover and donations, "
            f"got {type(entry).__name__}"
        )
    unknown = sorted(str(key) for key in entry if key not in REQUIRED_KEYS + OPTIONAL_KEYS)
    if unknown:
        raise ValueError(
            f"{where}: unknown key(s) {', '.join(unknown)}; the keys are "
            f"{', '.join(REQUIRED_KEYS + OPTIONAL_KEYS)}"
        )
    missing = [key for key in REQUIRED_KEYS if entry.get(key) is None]
    if missing:
        raise ValueError(f"{where}: missing {', '.join(missing)}")
    year = entry["year"]
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:
        raise ValueError(f"{where}: year must be a closing year such as 2025, got {year!r}")
    where = f"financial year {year}"
    closing = entry.get("closing_date")
    if closing is None:
        closing = datetime.date(year, 12, 31)
    elif (
        not isinstance(closing, datetime.date)
        or isinstance(closing, datetime.datetime)
        or closing.year != year
    ):
        raise ValueError(f"{where}: closing_date must be a datetime.date in {year}")
    coluche = entry.get("coluche_donations")
    tax_due = entry.get("tax_due")
    return FiscalYear(
        year=year,
        closing=closing,
        turnover=amount(entry["turnover"], f"{where}: turnover"),
        donations=amount(entry["donations"], f"{where}: donations"),
        coluche_donations=(
            Decimal(0) if coluche is None else amount(coluche, f"{where}: coluche_donations")
        ),
        tax_due=None if tax_due is None else amount(tax_due, f"{where}: tax_due"),
    )
