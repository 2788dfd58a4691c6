"""The value of an employee's time given in skills sponsorship (CGI art. 238 bis 1).

Lending an employee is a donation in kind valued at cost: the remuneration and the social
charges of the time given (BOI-BIC-RICI-20-30-10-20). Since the loi de finances pour 2020
(art. 134), each employee's monthly remuneration and charges count at most three times the
monthly social-security ceiling (PSS): a monthly cost of 13,050 € in 2025 counts as
3 x 3,925 = 11,775 €.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from .money import amount, hours, to_cent
from .parameters import MONTHLY_COST_CAP_IN_PSS, monthly_pss


def value_of_time(
    year: int,
    monthly_gross_salary: Decimal | int | str,
    monthly_employer_charges: Decimal | int | str,
    monthly_hours: Decimal | int | str,
    hours_given: Decimal | int | str,
    *,
    pss: Mapping[object, object] | None = None,
) -> Decimal:
    """The donation made by giving ``hours_given`` hours of an employee during ``year``.

    The monthly cost (gross salary + employer charges), capped at three times the monthly
    PSS of ``year``, divided by the employee's ``monthly_hours`` (151.67 for 35 hours a
    week), times ``hours_given``; rounded once, at the end, to the cent, half a cent up.

    ``pss`` adds or replaces monthly PSS values by year (a region's
    ``[plugins.mecenat] pss`` setting, e.g. ``{2027: 4100}``) over the shipped ones
    (``parameters.PSS_VALUES``). ``ValueError`` for a year with no PSS known, a negative
    amount or number of hours, ``monthly_hours`` not above zero, or a float.

    The cap is the rule for donations of financial years closing from 31 December 2020; for
    an earlier financial year the cost counts in full.
    """
    salary = amount(monthly_gross_salary, "monthly_gross_salary")
    charges = amount(monthly_employer_charges, "monthly_employer_charges")
    per_month = hours(monthly_hours, "monthly_hours", positive=True)
    given = hours(hours_given, "hours_given")
    cap = MONTHLY_COST_CAP_IN_PSS * monthly_pss(year, pss)
    monthly_cost = min(salary + charges, cap)
    return to_cent(Fraction(monthly_cost) * Fraction(given) / Fraction(per_month))
