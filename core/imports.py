"""CSV imports: areas and plugins declare importers; ``tremplin import NAME FILE`` runs them.

An importer turns rows into records and says what it did in an ``ImportReport``: rows it
created, updated or left unchanged, and rows it rejected with their line number and why.
Good rows are kept when others are bad, and running the same file again changes nothing.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .i18n import _
from .reports import ImportReport

Row = tuple[int, dict[str, Any]]


@dataclass(frozen=True)
class Importer:
    """A kind of record that can be imported from CSV.

    ``load`` receives ``(line number, row)`` pairs (empty cells are ``None``) and returns
    the report; it must be idempotent and must not stop at a bad row.
    """

    name: str
    description: str
    columns: tuple[str, ...]
    load: Callable[[Iterable[Row]], ImportReport]


class ImportFileError(Exception):
    """The file cannot be read as CSV with the importer's columns."""


def read_csv(path: Path, columns: tuple[str, ...] = ()) -> tuple[int, Iterator[Row]]:
    """``(number of rows, rows)`` of a UTF-8 CSV file separated by commas or semicolons.

    Raise ``ImportFileError`` if the file is missing, not text, or lacks a ``columns``
    header. Empty cells become ``None``; surrounding spaces are removed.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise ImportFileError(_("no file %(path)s", path=path)) from error
    except UnicodeDecodeError as error:
        raise ImportFileError(_("%(path)s is not a UTF-8 text file", path=path)) from error
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    header = next(csv.reader([first_line], delimiter=delimiter), [])
    missing = [column for column in columns if column not in {h.strip() for h in header}]
    if missing:
        raise ImportFileError(
            _("%(path)s lacks the column(s) %(columns)s", path=path, columns=", ".join(missing))
        )
    count = max(sum(1 for line in text.splitlines()[1:] if line.strip()), 0)
    return count, _rows(text, delimiter)


def _rows(text: str, delimiter: str) -> Iterator[Row]:
    reader = csv.DictReader(text.splitlines(), delimiter=delimiter)
    for row in reader:
        if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
            continue
        cleaned = {
            key.strip(): (value or "").strip() or None
            for key, value in row.items()
            if key and isinstance(value, str | type(None))
        }
        yield reader.line_num, cleaned
