"""The estimate of the sponsorship tax reduction, year by year (CGI art. 238 bis, 220 E).

Property tests compare ``simulate`` with ``reference``, a plain ledger written here in
whole cents with one bucket per origin year; worked examples come from the sources
(BOFiP, the loi de finances pour 2020) and from situations the rules must get right.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tremplin.plugins.mecenat.tax import simulate

# -- The reference: a ledger of buckets, in cents -------------------------------------


def cents(value) -> int:
    return int(Decimal(str(value)) * 100)


def euros(value: int) -> Decimal:
    return Decimal(value) / 100


def fixed_ceiling(year: int) -> int:
    # LF 2019 art. 148: 10,000 € for years closing from 31/12/2019; LF 2020 art. 134:
    # 20,000 € from 31/12/2020; none before.
    if year >= 2020:
        return 20_000_00
    if year == 2019:
        return 10_000_00
    return 0


def reference(years: list[dict]) -> list[dict]:
    """What ``simulate`` must answer for calendar financial years, one bucket at a time."""
    donation_buckets: dict[int, dict[int, int]] = {}  # origin -> {percent: cents left}
    reduction_buckets: dict[int, int] = {}  # origin -> cents of reduction left
    with_tax = bool(years) and "tax_due" in years[0]
    results = []
    for entry in years:
        year = entry["year"]
        ordinary = cents(entry["donations"])
        coluche = cents(entry.get("coluche_donations", 0))
        ceiling = max(fixed_ceiling(year), cents(entry["turnover"]) // 200)

        carry_in = sum(sum(bucket.values()) for bucket in donation_buckets.values())
        expired = 0
        for origin in list(donation_buckets):
            if year - origin > 5:
                expired += sum(donation_buckets.pop(origin).values())

        at_40 = max(ordinary - 2_000_000_00, 0) if year >= 2020 else 0
        own = {60: coluche + ordinary - at_40, 40: at_40}
        room = ceiling
        counted = {60: 0, 40: 0}
        for percent in (60, 40):
            taken = min(own[percent], room)
            own[percent] -= taken
            counted[percent] += taken
            room -= taken
        carry_used = 0
        for origin in sorted(donation_buckets):
            for percent in (60, 40):
                taken = min(donation_buckets[origin][percent], room)
                donation_buckets[origin][percent] -= taken
                counted[percent] += taken
                carry_used += taken
                room -= taken
        donation_buckets[year] = own
        if year - 5 in donation_buckets:
            expired += sum(donation_buckets.pop(year - 5).values())
        reduction = (counted[60] * 60 + counted[40] * 40 + 50) // 100

        result = {
            "year": year,
            "ceiling": euros(ceiling),
            "carry_in": euros(carry_in),
            "eligible": euros(counted[60] + counted[40]),
            "carry_used": euros(carry_used),
            "rate_60_base": euros(counted[60]),
            "rate_40_base": euros(counted[40]),
            "reduction": euros(reduction),
            "carry_out": euros(sum(sum(b.values()) for b in donation_buckets.values())),
            "expired": euros(expired),
        }
        if with_tax:
            reduction_in = sum(reduction_buckets.values())
            lost = 0
            for origin in list(reduction_buckets):
                if year - origin > 5:
                    lost += reduction_buckets.pop(origin)
            reduction_buckets[year] = reduction
            tax_left = cents(entry["tax_due"])
            for origin in sorted(reduction_buckets):
                taken = min(reduction_buckets[origin], tax_left)
                reduction_buckets[origin] -= taken
                tax_left -= taken
            if year - 5 in reduction_buckets:
                lost += reduction_buckets.pop(year - 5)
            result.update(
                reduction_carry_in=euros(reduction_in),
                used=euros(cents(entry["tax_due"]) - tax_left),
                reduction_carry_out=euros(sum(reduction_buckets.values())),
                reduction_expired=euros(lost),
            )
        results.append(result)
    return results


# -- Strategies ------------------------------------------------------------------------


def money(largest_euros: int) -> st.SearchStrategy[Decimal]:
    return st.integers(0, largest_euros * 100).map(lambda c: Decimal(c) / 100)


TURNOVERS = st.one_of(
    st.integers(0, 10_000_000).map(Decimal),
    # Around 4 M€, where 5 per thousand of turnover overtakes 20,000 €.
    st.sampled_from([Decimal(3_999_999), Decimal(4_000_000), Decimal("4000001.99")]),
    # Large companies, whose ceiling goes beyond the 2 M€ threshold.
    money(2_000_000_000),
)
DONATIONS = st.one_of(st.just(Decimal(0)), money(60_000), money(6_000_000))
COLUCHE = st.one_of(st.none(), money(30_000), money(3_000_000))
TAXES = st.one_of(st.just(Decimal(0)), money(50_000), money(3_000_000))


@st.composite
def histories(draw, *, gaps: bool = False) -> list[dict]:
    """Financial years of one company, in order, closing on 31 December."""
    year = draw(st.integers(2014, 2027))
    with_tax = draw(st.booleans())
    years = []
    for _ in range(draw(st.integers(1, 9))):
        entry = {"year": year, "turnover": draw(TURNOVERS), "donations": draw(DONATIONS)}
        coluche = draw(COLUCHE)
        if coluche is not None:
            entry["coluche_donations"] = coluche
        if with_tax:
            entry["tax_due"] = draw(TAXES)
        years.append(entry)
        year += draw(st.integers(1, 3)) if gaps else 1
    return years


# -- Properties ------------------------------------------------------------------------


@settings(max_examples=400)
@given(histories())
def test_the_estimate_matches_a_plain_ledger_of_carried_buckets(years):
    assert simulate(years) == reference(years)


@given(histories(gaps=True))
def test_a_missing_year_counts_as_one_without_donations_nor_tax(years):
    assert simulate(years) == reference(years)


@given(histories())
def test_every_amount_is_in_cents_and_both_ledgers_balance(years):
    for entry, estimate in zip(years, simulate(years), strict=True):
        for key, value in estimate.items():
            if key != "year":
                assert value.as_tuple().exponent == -2, (key, value)
        own = entry["donations"] + entry.get("coluche_donations", 0)
        assert estimate["carry_in"] + own == (
            estimate["eligible"] + estimate["carry_out"] + estimate["expired"]
        )
        assert estimate["eligible"] <= estimate["ceiling"]
        assert estimate["eligible"] == estimate["rate_60_base"] + estimate["rate_40_base"]
        if "tax_due" in entry:
            assert estimate["used"] <= entry["tax_due"]
            assert estimate["reduction_carry_in"] + estimate["reduction"] == (
                estimate["used"] + estimate["reduction_carry_out"] + estimate["reduction_expired"]
            )


@given(histories())
def test_the_estimate_does_not_depend_on_how_amounts_are_written(years):
    as_text = [
        {key: value if key == "year" else str(value) for key, value in entry.items()}
        for entry in years
    ]
    assert simulate(as_text) == simulate(years)


# -- Worked examples -------------------------------------------------------------------


def one_year(**entry):
    return simulate([entry])[0]


def test_the_bofip_example_of_the_10000_euro_ceiling():
    # BOI-BIC-RICI-20-30-20 (7 August 2019) § 1: turnover 1,500,000 €, donations 9,000 €;
    # 5 per thousand is 7,500 €, so the 10,000 € ceiling applies: 9,000 x 60 % = 5,400 €.
    # The next year, turnover 2,500,000 €, donations 11,000 €: 5 per thousand is 12,500 €.
    first, second = simulate(
        [
            {"year": 2019, "turnover": 1_500_000, "donations": 9_000},
            {
                "year": 2020,
                "closing_date": datetime.date(2020, 6, 30),
                "turnover": 2_500_000,
                "donations": 11_000,
            },
        ]
    )
    assert (first["ceiling"], first["reduction"]) == (Decimal(10_000), Decimal(5_400))
    assert (second["ceiling"], second["reduction"]) == (Decimal(12_500), Decimal(6_600))


@pytest.mark.parametrize(
    ("turnover", "ceiling"),
    [
        (1_000_000, "20000.00"),
        (3_999_999, "20000.00"),
        (4_000_000, "20000.00"),
        (4_000_200, "20001.00"),
        (5_000_000, "25000.00"),
        ("1234567.89", "20000.00"),
        ("12345678.91", "61728.39"),  # 61,728.39455 counted down to the cent
    ],
)
def test_the_ceiling_is_20000_euros_or_half_a_percent_of_turnover_when_higher(turnover, ceiling):
    assert one_year(year=2024, turnover=turnover, donations=0)["ceiling"] == Decimal(ceiling)


def test_before_2019_the_ceiling_was_half_a_percent_of_turnover_only():
    earlier, later = simulate(
        [
            {"year": 2018, "turnover": 1_000_000, "donations": 9_000},
            {"year": 2019, "turnover": 1_000_000, "donations": 2_000},
        ]
    )
    assert (earlier["ceiling"], earlier["reduction"], earlier["carry_out"]) == (
        Decimal(5_000),
        Decimal(3_000),
        Decimal(4_000),
    )
    # 2019: 10,000 € ceiling, its own 2,000 € then the 4,000 € carried.
    assert (later["eligible"], later["carry_used"], later["reduction"]) == (
        Decimal(6_000),
        Decimal(4_000),
        Decimal(3_600),
    )


def test_donations_above_2_million_open_40_percent():
    estimate = one_year(year=2021, turnover=1_000_000_000, donations=3_000_000)
    assert estimate["rate_60_base"] == Decimal(2_000_000)
    assert estimate["rate_40_base"] == Decimal(1_000_000)
    assert estimate["reduction"] == Decimal(1_600_000)  # 1,200,000 + 400,000


def test_the_40_percent_rate_starts_with_years_closing_on_31_december_2020():
    june = one_year(
        year=2020,
        closing_date=datetime.date(2020, 6, 30),
        turnover=1_000_000_000,
        donations=3_000_000,
    )
    december = one_year(year=2020, turnover=1_000_000_000, donations=3_000_000)
    assert june["reduction"] == Decimal(1_800_000)
    assert december["reduction"] == Decimal(1_600_000)
    assert one_year(year=2020, closing_date=datetime.date(2020, 6, 30), turnover=0, donations=0)[
        "ceiling"
    ] == Decimal(10_000)


def test_coluche_donations_open_60_percent_and_do_not_count_toward_2_million():
    estimate = one_year(
        year=2022, turnover=1_000_000_000, donations=2_000_000, coluche_donations=1_000_000
    )
    assert estimate["rate_40_base"] == 0
    assert estimate["reduction"] == Decimal(1_800_000)
    only_coluche = one_year(
        year=2022, turnover=1_000_000_000, donations=0, coluche_donations=3_000_000
    )
    assert only_coluche["reduction"] == Decimal(1_800_000)


def test_coluche_donations_share_the_ceiling_with_the_others():
    estimate = one_year(year=2023, turnover=1_000_000, donations=15_000, coluche_donations=10_000)
    assert (estimate["eligible"], estimate["carry_out"]) == (Decimal(20_000), Decimal(5_000))


def carry_history(donations_by_year: dict[int, int]) -> list[dict]:
    return [
        {"year": year, "turnover": 1_000_000, "donations": donations}
        for year, donations in donations_by_year.items()
    ]


def test_a_carry_is_counted_five_more_years_then_lost():
    estimates = simulate(carry_history({2021: 140_000} | dict.fromkeys(range(2022, 2028), 0)))
    assert [e["carry_out"] for e in estimates] == [
        Decimal(amount) for amount in (120_000, 100_000, 80_000, 60_000, 40_000, 0, 0)
    ]
    assert [e["carry_used"] for e in estimates] == [Decimal(0)] + [Decimal(20_000)] * 5 + [0]
    # Counted in 2026, the fifth year after 2021; what is left then is lost.
    assert [e["expired"] for e in estimates] == [0, 0, 0, 0, 0, Decimal(20_000), 0]
    assert estimates[-1]["carry_in"] == 0


def test_a_carry_comes_after_the_year_s_own_donations():
    estimates = simulate(carry_history({2021: 140_000, 2022: 15_000}))
    assert (estimates[1]["eligible"], estimates[1]["carry_used"]) == (
        Decimal(20_000),
        Decimal(5_000),
    )
    assert estimates[1]["carry_out"] == Decimal(115_000)


def test_the_oldest_carry_is_counted_first():
    # 30,000 € carried from 2021 and 20,000 € from 2022; no room in 2023-2025; in 2026,
    # 20,000 € of room: the carry of 2021, in its last year, is counted first.
    estimates = simulate(
        carry_history({2021: 50_000, 2022: 40_000, 2023: 20_000, 2024: 20_000, 2025: 20_000})
        + carry_history({2026: 0})
    )
    last = estimates[-1]
    assert (last["carry_used"], last["expired"], last["carry_out"]) == (
        Decimal(20_000),
        Decimal(10_000),
        Decimal(20_000),
    )


def test_a_carried_donation_keeps_the_rate_of_the_year_it_was_paid_in():
    # 2021: ceiling 500,000 €, donations 3 M€ = 2 M€ at 60 % + 1 M€ at 40 %. 500,000 €
    # counted; 1.5 M€ at 60 % and 1 M€ at 40 % carried, the 60 % part counted first.
    years = [{"year": 2021, "turnover": 100_000_000, "donations": 3_000_000}] + [
        {"year": year, "turnover": 100_000_000, "donations": 0} for year in range(2022, 2027)
    ]
    reductions = [estimate["reduction"] for estimate in simulate(years)]
    assert reductions == [Decimal(amount) for amount in (300_000,) * 4 + (200_000,) * 2]


def test_a_carried_donation_does_not_count_toward_the_next_year_s_2_million():
    estimates = simulate(
        [
            {"year": 2021, "turnover": 100_000_000, "donations": 1_500_000},
            {"year": 2022, "turnover": 2_000_000_000, "donations": 2_000_000},
        ]
    )
    assert estimates[1]["rate_60_base"] == Decimal(3_000_000)
    assert estimates[1]["reduction"] == Decimal(1_800_000)


def test_a_reduction_above_the_tax_is_carried_and_used_the_oldest_first():
    first, second = simulate(
        [
            {"year": 2021, "turnover": 1_000_000, "donations": 20_000, "tax_due": 5_000},
            {"year": 2022, "turnover": 1_000_000, "donations": 20_000, "tax_due": 10_000},
        ]
    )
    assert (first["reduction"], first["used"], first["reduction_carry_out"]) == (
        Decimal(12_000),
        Decimal(5_000),
        Decimal(7_000),
    )
    assert (second["used"], second["reduction_carry_out"]) == (Decimal(10_000), Decimal(9_000))


def reduction_history(tax_in_2026: int, donations_in_2026: int) -> list[dict]:
    years = [{"year": 2021, "turnover": 1_000_000, "donations": 20_000, "tax_due": 0}]
    years += [
        {"year": year, "turnover": 1_000_000, "donations": 0, "tax_due": 0}
        for year in range(2022, 2026)
    ]
    years.append(
        {"year": 2026, "turnover": 1, "donations": donations_in_2026, "tax_due": tax_in_2026}
    )
    years.append({"year": 2027, "turnover": 1, "donations": 0, "tax_due": 10_000})
    return years


def test_an_unused_reduction_is_lost_after_five_years():
    estimates = simulate(reduction_history(tax_in_2026=0, donations_in_2026=0))
    assert estimates[4]["reduction_carry_out"] == Decimal(12_000)
    assert estimates[5]["reduction_expired"] == Decimal(12_000)
    assert estimates[6]["reduction_carry_in"] == 0
    assert estimates[6]["used"] == 0


def test_the_reduction_carried_longest_is_used_before_the_year_s_own():
    estimates = simulate(reduction_history(tax_in_2026=12_000, donations_in_2026=20_000))
    year_2026 = estimates[5]
    assert (year_2026["reduction"], year_2026["used"]) == (Decimal(12_000), Decimal(12_000))
    assert year_2026["reduction_expired"] == 0
    assert year_2026["reduction_carry_out"] == Decimal(12_000)
    assert estimates[6]["used"] == Decimal(10_000)


def test_the_reduction_is_rounded_to_the_cent_half_up():
    assert one_year(year=2024, turnover=0, donations="0.01")["reduction"] == Decimal("0.01")
    assert one_year(year=2024, turnover=0, donations="12.34")["reduction"] == Decimal("7.40")


def test_the_result_has_the_documented_keys():
    without_tax = one_year(year=2024, turnover=0, donations=0)
    with_tax = one_year(year=2024, turnover=0, donations=0, tax_due=0)
    base = {
        "year",
        "ceiling",
        "carry_in",
        "eligible",
        "carry_used",
        "rate_60_base",
        "rate_40_base",
        "reduction",
        "carry_out",
        "expired",
    }
    assert set(without_tax) == base
    assert set(with_tax) == base | {
        "reduction_carry_in",
        "used",
        "reduction_carry_out",
        "reduction_expired",
    }


def test_no_year_gives_no_estimate():
    assert simulate([]) == []


# -- Bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("years", "message"),
    [
        ([{"year": 2024, "turnover": 0, "donations": -1}], "donations must not be negative"),
        ([{"year": 2024, "turnover": "-5", "donations": 0}], "turnover must not be negative"),
        (
            [{"year": 2024, "turnover": 0, "donations": 0, "coluche_donations": -1}],
            "coluche_donations must not be negative",
        ),
        (
            [{"year": 2024, "turnover": 0, "donations": 0, "tax_due": -1}],
            "tax_due must not be negative",
        ),
        ([{"year": 2024, "turnover": 0, "donations": 10.5}], "float"),
        ([{"year": 2024, "turnover": 0, "donations": "10.001"}], "two decimals"),
        ([{"year": 2024, "turnover": 0, "donations": "ten"}], "not a number"),
        ([{"year": 2024, "turnover": 0, "donations": "NaN"}], "not a finite number"),
        (
            [
                {"year": 2023, "turnover": 0, "donations": 0},
                {"year": 2022, "turnover": 0, "donations": 0},
            ],
            "in order",
        ),
        (
            [
                {"year": 2023, "turnover": 0, "donations": 0},
                {"year": 2023, "turnover": 0, "donations": 0},
            ],
            "twice",
        ),
        (
            [
                {"year": 2023, "turnover": 0, "donations": 0, "tax_due": 0},
                {"year": 2024, "turnover": 0, "donations": 0},
            ],
            "every financial year or for none",
        ),
        ([{"year": 2024, "turnover": 0}], "missing donations"),
        ([{"year": 2024, "turnover": 0, "donations": 0, "coluche": 5}], "unknown key"),
        ([{"year": "2024", "turnover": 0, "donations": 0}], "year must be"),
        ([{"year": True, "turnover": 0, "donations": 0}], "year must be"),
        ([{"year": 2002, "turnover": 0, "donations": 0}], "closing from 2003-12-31"),
        (
            [
                {
                    "year": 2024,
                    "closing_date": datetime.date(2023, 12, 31),
                    "turnover": 0,
                    "donations": 0,
                }
            ],
            "closing_date",
        ),
        (
            [
                {
                    "year": 2024,
                    "closing_date": datetime.datetime(2024, 12, 31),
                    "turnover": 0,
                    "donations": 0,
                }
            ],
            "closing_date",
        ),
        ([2024], "expected a mapping"),
        ({"year": 2024, "turnover": 0, "donations": 0}, "expected a list"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(years, message):
    with pytest.raises(ValueError, match=message):
        simulate(years)
