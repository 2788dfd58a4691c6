"""CSV files that a spreadsheet opens safely: no cell is taken for a formula.

Excel, LibreOffice and Google Sheets read a cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return as a formula (CSV injection, see OWASP): a candidate
registered as ``=HYPERLINK("https://…";"Résultats")`` would become a link, or worse, in the
spreadsheet of whoever opens the export. Such a text cell is written with a leading
apostrophe, which spreadsheets take as "this is text" and do not show. Numbers, and text
that is only a number (``-3``, ``+12,5``, ``-4 %``), are written as they are.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# ASCII digits only; the space before a percent sign as Babel writes it, or a plain one.
NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?(?:[ \u00a0\u202f]?%)?")


def safe_cell(value: Any) -> Any:
    """``value`` as a cell no spreadsheet takes for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


class SafeWriter:
    """A ``csv.writer`` whose every cell goes through ``safe_cell``."""

    def __init__(self, stream: IO[str], **options: Any):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        """Write one row."""
        return self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write every row."""
        for row in rows:
            self.writerow(row)


def writer(stream: IO[str], **options: Any) -> SafeWriter:
    """``csv.writer(stream, **options)``, with no cell taken for a formula."""
    return SafeWriter(stream, **options)
