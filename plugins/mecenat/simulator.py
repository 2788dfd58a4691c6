"""The tax estimate for people: years read from a form or JSON, answered in euros and cents.

The figures come from ``tax.simulate`` (CGI art. 238 bis and 220 E); this module only reads
the input (``Invalid`` with a message by field, never a crash) and writes amounts as text,
so that JSON carries them exactly. It is an estimate, and says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tremplin.errors import Invalid
from tremplin.validation import validated

from .i18n import _
from .schemas import EstimateSchema
from .tax import simulate

ROWS = 6
FIELDS = ("year", "turnover", "donations", "coluche_donations", "tax_due")


def notice() -> str:
    """What the estimate is, and what it is not."""
    return _(
        "An estimate, not a tax return: the declaration (form 2069-RCI-SD) and what is "
        "written on it are the company's."
    )


def estimate(raw: Mapping[str, Any]) -> dict[str, Any]:
    """``{"estimate": True, "notice": ..., "years": [...]}`` for ``{"years": [...]}``."""
    data = validated(EstimateSchema, raw)
    years = []
    for item in data["years"]:
        years.append({key: value for key, value in item.items() if value is not None})
    try:
        results = simulate(years)
    except ValueError as error:
        raise Invalid({"years": [str(error)]}) from error
    return {
        "estimate": True,
        "notice": notice(),
        "years": [
            {key: value if key == "year" else str(value) for key, value in year.items()}
            for year in results
        ],
    }


def years_from_form(values: Mapping[str, Any]) -> dict[str, Any]:
    """The filled rows of the simulator's form (``year_0``, ``turnover_0``...) as a body."""
    years = []
    for row in range(ROWS):
        item = {
            key: str(values.get(f"{key}_{row}", "")).strip().replace(" ", "").replace(",", ".")
            for key in FIELDS
        }
        if not item["year"]:
            continue
        years.append({key: value for key, value in item.items() if value})
    if not years:
        raise Invalid({"year_0": [_("Give at least one financial year.")]})
    if any(("tax_due" in year) != ("tax_due" in years[0]) for year in years):
        raise Invalid({"tax_due_0": [_("Give the tax due for every year, or for none.")]})
    return {"years": years}
