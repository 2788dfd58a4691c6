"""CSV exports open in a spreadsheet without any cell taken for a formula."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tremplin import spreadsheets

# What a spreadsheet takes for the start of a formula (OWASP, "CSV Injection").
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def is_number(text: str) -> bool:
    """Whether a spreadsheet reads ``text`` as a plain number, written the French way or not."""
    try:
        float(text.replace(",", ".").removesuffix("%").removesuffix(" "))
    except ValueError:
        return False
    return text.strip() == text and "e" not in text.lower() and "_" not in text


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
