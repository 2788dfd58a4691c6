"""CSV exports open in a spreadsheet without any cell taken for a formula."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tremplin import spreadsheets

pytestmark = pytest.mark.one_database  # nothing here depends on the database

# What a spreadsheet takes for the start of a formula (OWASP, "CSV Injection").
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def is_number(text: str) -> bool:
    """Whether a spreadsheet reads ``text`` as a plain number: a sign or none, ASCII digits
    with at most one decimal point or comma between digits, and a percent sign after at
    most one space (plain, no-break or narrow no-break, as Babel writes it). Never "inf" or
    "nan", which Python's ``float`` would read."""
    if text.endswith("%"):
        text = text[:-1]
        if text[-1:] in (" ", "\u00a0", "\u202f"):
            text = text[:-1]
    if text[:1] in ("+", "-"):
        text = text[1:]
    parts = text.replace(",", ".").split(".")
    return len(parts) <= 2 and all(part.isascii() and part.isdigit() for part in parts)


def written(rows) -> list[list[str]]:
    """The cells of ``rows`` as a spreadsheet reads them back from the CSV text."""
    buffer = io.StringIO()
    spreadsheets.writer(buffer, delimiter=";").writerows(rows)
    return list(csv.reader(io.StringIO(buffer.getvalue()), delimiter=";"))


@pytest.mark.parametrize(
    ("cell", "read"),
    [
        (
            '=HYPERLINK("https://example.org";"Résultats")',
            '\'=HYPERLINK("https://example.org";"Résultats")',
        ),
        ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("Lina Durand", "Lina Durand"),
        ("-3", "-3"),
        ("+12,5", "+12,5"),
        ("-4 %", "-4 %"),
        ("-4\u202f%", "-4\u202f%"),
        ("-INFINITY", "'-INFINITY"),
        ("-nan", "'-nan"),
        ("-\u0663", "'-\u0663"),
        ("-4\t%", "'-4\t%"),
        (-7, "-7"),
        (12.5, "12.5"),
    ],
)
def test_a_cell_a_spreadsheet_would_take_for_a_formula_is_written_as_text(cell, read):
    assert written([["Nom", cell]]) == [["Nom", read]]


@given(st.lists(st.text(), min_size=1, max_size=4))
def test_no_written_cell_starts_a_formula_unless_it_is_a_number(cells):
    [row] = written([cells])
    for original, cell in zip(cells, row, strict=True):
        if original.startswith(FORMULA) and not is_number(original):
            assert cell == "'" + original
        else:
            assert cell == original
