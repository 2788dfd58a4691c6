"""The figures of the law shipped as data, their sources, and a region's PSS overrides."""

from __future__ import annotations

import ast
import datetime
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from tremplin.plugins.mecenat import parameters

PACKAGE = Path(parameters.__file__).parent
RULE_MODULES = ("money", "parameters", "tax", "valuation")


def test_the_shipped_monthly_pss_are_those_of_the_arretes():
    assert dict(parameters.PSS_MONTHLY) == {
        2019: 3377,
        2020: 3428,
        2021: 3428,
        2022: 3428,
        2023: 3666,
        2024: 3864,
        2025: 3925,
        2026: 4005,
    }


def test_the_annual_ceilings_of_domain_md_are_twelve_monthly_ones():
    annual = {year: 12 * parameters.PSS_MONTHLY[year] for year in (2024, 2025, 2026)}
    assert annual == {2024: 46_368, 2025: 47_100, 2026: 48_060}


def test_every_figure_says_where_it_comes_from():
    assert all(value.source for value in parameters.PSS_VALUES)
    assert all(regime.source for regime in parameters.TAX_REGIMES)


def test_a_region_s_toml_setting_adds_a_year():
    settings = tomllib.loads("[plugins.mecenat]\npss = {2027 = 4100}\n")
    overrides = settings["plugins"]["mecenat"]["pss"]
    assert parameters.monthly_pss(2027, overrides) == Decimal(4100)
    table = parameters.pss_table(overrides)
    assert table[2027] == 4100
    assert table[2026] == 4005


def test_a_region_may_correct_a_shipped_year():
    assert parameters.monthly_pss(2026, {2026: "4010.50"}) == Decimal("4010.50")
    assert parameters.monthly_pss(2026) == Decimal(4005)


def test_a_year_without_a_pss_is_refused_and_the_message_says_how_to_give_it():
    with pytest.raises(ValueError, match=r"2031.*\[plugins.mecenat\] pss"):
        parameters.monthly_pss(2031)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({2027: 4100.0}, "float"),
        ({2027: -1}, "must not be negative"),
        ({2027: 0}, "greater than zero"),
        ({"next year": 4100}, "not a year"),
        ({True: 4100}, "not a year"),
        ({2027: "lots"}, "not a number"),
    ],
)
def test_bad_overrides_are_refused(overrides, message):
    with pytest.raises(ValueError, match=message):
        parameters.pss_table(overrides)


@pytest.mark.parametrize(
    ("closing", "fixed", "threshold"),
    [
        ("2018-12-31", 0, None),
        ("2019-12-31", 10_000, None),
        ("2020-06-30", 10_000, None),
        ("2020-12-31", 20_000, 2_000_000),
        ("2026-03-31", 20_000, 2_000_000),
    ],
)
def test_the_regime_follows_the_closing_date_of_the_financial_year(closing, fixed, threshold):
    regime = parameters.regime_for(datetime.date.fromisoformat(closing))
    assert regime.fixed_ceiling == fixed
    assert regime.reduced_rate_above == threshold


@pytest.mark.parametrize("module", RULE_MODULES)
def test_the_rule_modules_import_only_the_standard_library_and_each_other(module):
    # The import-linter contract says it for tox's installed wheel; this says it for any
    # checkout, without installing.
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            imported.add(node.module.split(".")[0])
    assert imported <= {
        "__future__",
        "collections",
        "dataclasses",
        "datetime",
        "decimal",
        "fractions",
        "itertools",
        "math",
        "types",
        "typing",
    }
