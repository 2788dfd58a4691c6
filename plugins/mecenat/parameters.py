"""The figures the law sets for skills sponsorship, as data with their sources.

Two kinds of figures live here:

- the monthly social-security ceiling (PSS) of each calendar year, which caps the monthly
  cost of an employee counted in a donation (``valuation``). It changes every year, so a
  region can add or correct years before the plugin ships them: ``pss_table`` merges the
  overrides of ``[plugins.mecenat] pss = {2027 = 4100}`` (TOML keys arrive as strings);
- the tax regimes of CGI art. 238 bis by closing date of the financial year (``tax``):
  fixed ceiling, share of turnover, rates, the 2 M€ threshold. They are national law: a
  change is a new ``TaxRegime`` row shipped with the plugin, not a region's setting.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from .money import number


@dataclass(frozen=True)
class PssValue:
    """The monthly social-security ceiling of one calendar year, and where it is set."""

    year: int
    monthly: Decimal
    source: str


PSS_VALUES: tuple[PssValue, ...] = (
    PssValue(
        2019,
        Decimal(3377),
        "Arrêté du 11 décembre 2018 portant fixation du plafond de la sécurité sociale "
        "pour 2019 (JO du 15 décembre 2018)",
    ),
    PssValue(
        2020,
        Decimal(3428),
        "Arrêté du 2 décembre 2019 portant fixation du plafond de la sécurité sociale "
        "pour 2020 (JO du 3 décembre 2019)",
    ),
    PssValue(
        2021,
        Decimal(3428),
        "Not revalued: kept at its 2020 value for 2021 (code de la sécurité sociale "
        "art. D. 242-17, as amended by décret n° 2021-989 du 27 juillet 2021; Urssaf table "
        "of the ceilings 2020-2023)",
    ),
    PssValue(
        2022,
        Decimal(3428),
        "Arrêté du 15 décembre 2021 portant fixation du plafond de la sécurité sociale "
        "pour 2022 (JO du 18 décembre 2021)",
    ),
    PssValue(
        2023,
        Decimal(3666),
        "Arrêté du 9 décembre 2022 portant fixation du plafond de la sécurité sociale pour 2023",
    ),
    PssValue(
        2024,
        Decimal(3864),
        "Arrêté du 19 décembre 2023 portant fixation du plafond de la sécurité sociale "
        "pour 2024 (JO du 29 décembre 2023)",
    ),
    PssValue(
        2025,
        Decimal(3925),
        "Bulletin officiel de la sécurité sociale, communiqué du 4 novembre 2024 "
        "(annual 47,100 €), confirmed by the arrêté fixing the ceiling for 2025",
    ),
    PssValue(
        2026,
        Decimal(4005),
        "Arrêté du 22 décembre 2025 portant fixation du plafond de la sécurité sociale "
        "pour 2026 (JO du 23 décembre 2025)",
    ),
)

PSS_MONTHLY: Mapping[int, Decimal] = MappingProxyType({v.year: v.monthly for v in PSS_VALUES})

# CGI art. 238 bis 1, as amended by loi n° 2019-1479 du 28 décembre 2019 (finances pour
# 2020) art. 134: each employee's remuneration and social charges count at most three
# times the ceiling of CSS art. L. 241-3, per month.
MONTHLY_COST_CAP_IN_PSS = 3


def pss_table(overrides: Mapping[object, object] | None = None) -> dict[int, Decimal]:
    """The monthly PSS by year: the shipped values, with ``overrides`` added or replacing.

    ``overrides`` maps a year to a monthly ceiling, as the region's settings give them:
    ``{2027: 4100}`` or, read from TOML, ``{"2027": 4100}``. A value is an int, a Decimal
    or a str (never a float). ``ValueError`` names a year or a value that is not one.
    """
    table = dict(PSS_MONTHLY)
    for key, value in (overrides or {}).items():
        year = _year_key(key)
        monthly = number(value, f"PSS of {year}")
        if not monthly:
            raise ValueError(f"PSS of {year} must be greater than zero")
        table[year] = monthly
    return table


def monthly_pss(year: int, overrides: Mapping[object, object] | None = None) -> Decimal:
    """The monthly PSS of ``year`` (shipped values merged with ``overrides``).

    ``ValueError`` when no value is known for that year: the region can give it in
    ``[plugins.mecenat] pss``.
    """
    if isinstance(year, bool) or not isinstance(year, int):
        raise ValueError(f"year must be an int, got {year!r}")
    table = pss_table(overrides)
    if year not in table:
        known = ", ".join(str(y) for y in sorted(table))
        raise ValueError(
            f"no monthly social-security ceiling (PSS) is known for {year} (known: {known}); "
            f"a region can give it in its settings: [plugins.mecenat] pss = {{{year} = ...}}"
        )
    return table[year]


def _year_key(key: object) -> int:
    """A year given as a key of the overrides: an int, or the digits of one (TOML)."""
    if isinstance(key, str) and key.strip().isdigit():
        key = int(key)
    if isinstance(key, bool) or not isinstance(key, int) or not 1900 <= key <= 9999:
        raise ValueError(f"PSS overrides: {key!r} is not a year")
    return key


@dataclass(frozen=True)
class TaxRegime:
    """The figures of CGI art. 238 bis for financial years closing on or after ``closing_from``.

    ``fixed_ceiling`` and ``turnover_share`` give the ceiling of the donations counted in a
    year, the higher of the two (``fixed_ceiling`` is 0 when the law had none). Donations
    open a reduction at ``rate``; when ``reduced_rate_above`` is set, the part of a year's
    donations above it, apart from those to "Coluche" bodies, opens ``reduced_rate``.
    """

    closing_from: datetime.date
    fixed_ceiling: Decimal
    turnover_share: Decimal
    rate: Decimal
    reduced_rate_above: Decimal | None
    reduced_rate: Decimal | None
    source: str


TAX_REGIMES: tuple[TaxRegime, ...] = (
    TaxRegime(
        # Loi n° 2003-709 du 1er août 2003 (loi Aillagon): 60 % of the donations of
        # financial years opened from 1 January 2003, the first of which, for a calendar
        # financial year, closed on 31 December 2003.
        closing_from=datetime.date(2003, 12, 31),
        fixed_ceiling=Decimal(0),
        turnover_share=Decimal("0.005"),
        rate=Decimal("0.60"),
        reduced_rate_above=None,
        reduced_rate=None,
        source="CGI art. 238 bis 1 (loi n° 2003-709 du 1er août 2003): 60 %, within 5 per "
        "thousand of turnover excluding tax; BOI-BIC-RICI-20-30-20 (6 avril 2016) § 1",
    ),
    TaxRegime(
        closing_from=datetime.date(2019, 12, 31),
        fixed_ceiling=Decimal(10000),
        turnover_share=Decimal("0.005"),
        rate=Decimal("0.60"),
        reduced_rate_above=None,
        reduced_rate=None,
        source="Loi n° 2018-1317 du 28 décembre 2018 de finances pour 2019, art. 148: within "
        "10,000 € or 5 per thousand of turnover when higher, for donations of financial "
        "years closing from 31 December 2019; BOI-BIC-RICI-20-30-20 (7 août 2019) § 1",
    ),
    TaxRegime(
        closing_from=datetime.date(2020, 12, 31),
        fixed_ceiling=Decimal(20000),
        turnover_share=Decimal("0.005"),
        rate=Decimal("0.60"),
        reduced_rate_above=Decimal(2_000_000),
        reduced_rate=Decimal("0.40"),
        source="Loi n° 2019-1479 du 28 décembre 2019 de finances pour 2020, art. 134: within "
        "20,000 € or 5 per thousand of turnover when higher; 40 % on the part of the "
        "donations above 2 M€ except those to bodies giving free meals, housing or care to "
        "people in difficulty; donations of financial years closing from 31 December 2020 "
        "(BOI-BIC-RICI-20-30-30 (3 février 2021) § 30)",
    ),
)

# CGI art. 238 bis 3: donations above the ceiling open a reduction over the five following
# financial years, after each year's own donations. CGI art. 220 E (corporate tax) and
# art. 200 bis (income tax): a reduction above the tax due pays the tax of the five
# following financial years (BOI-BIC-RICI-20-30-30 § 10 and 20).
DONATION_CARRY_YEARS = 5
REDUCTION_CARRY_YEARS = 5


def regime_for(closing: datetime.date) -> TaxRegime:
    """The regime of a financial year closing on ``closing``.

    ``ValueError`` before the first financial year of the 60 % reduction (closing on
    31 December 2003).
    """
    applicable = [r for r in TAX_REGIMES if r.closing_from <= closing]
    if not applicable:
        first = TAX_REGIMES[0].closing_from
        raise ValueError(
            f"financial year closing on {closing.isoformat()}: the rules of CGI art. 238 bis "
            f"are known here for financial years closing from {first.isoformat()}"
        )
    return max(applicable, key=lambda regime: regime.closing_from)
