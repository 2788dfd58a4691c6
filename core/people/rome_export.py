"""Rewrite the shipped ROME appellations from France Travail's CSV export of the ROME.

A maintainers' step, run before a release when France Travail publishes a new version
of the ROME (never at run time: Tremplin downloads nothing)::

    python -m tremplin.people.rome_export unix_referentiel_appellation_v460_utf8.csv
    python -m tremplin.people.rome_export --all unix_referentiel_appellation_v460_utf8.csv

The export is the "référentiel des appellations" of the ROME open data (France Travail,
Licence Ouverte / Open Licence 2.0): one row per appellation, with at least the columns
``code_rome`` and ``libelle_appellation_long`` (or ``libelle_appellation_court``), separated
by commas, semicolons or tabs. Without ``--all`` only the codes already shipped are kept
(the demo's and the reference region's); with it, every code of the ROME.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from .appellations import COLUMNS, REFERENCE, appellations
from .schemas import ROME_CODE

SOURCE = (
    "# Source: ROME (Répertoire Opérationnel des Métiers et des Emplois), France Travail, "
    "Licence Ouverte / Open Licence 2.0. Written by `python -m tremplin.people.rome_export "
    "{export}` (docs/ambassadors.md)."
)
LABEL_COLUMNS = ("libelle_appellation_long", "libelle_appellation_court", "libelle")


class ExportError(ValueError):
    """The file given is not a CSV export of the ROME appellations."""


def read_export(text: str) -> list[tuple[str, str]]:
    """The (ROME code, appellation) rows of an export's ``text``; raise ``ExportError``."""
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=first_line.count)
    rows = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    fields = {name.strip().lower(): name for name in rows.fieldnames or []}
    label = next((fields[name] for name in LABEL_COLUMNS if name in fields), None)
    if "code_rome" not in fields or label is None:
        raise ExportError(
            f"no code_rome and libelle_appellation_long columns in the header: {first_line!r}"
        )
    found = []
    for row in rows:
        code, title = (row[fields["code_rome"]] or "").strip().upper(), (row[label] or "").strip()
        if ROME_CODE.match(code) and title:
            found.append((code, title))
    if not found:
        raise ExportError("no appellation with a valid ROME code in the file")
    return found


def selected(rows: Iterable[tuple[str, str]], codes: set[str] | None) -> list[tuple[str, str]]:
    """``rows`` of ``codes`` (all when None), by code then as the export orders them."""
    kept = [row for row in dict.fromkeys(rows) if codes is None or row[0] in codes]
    return sorted(kept, key=lambda row: row[0])


def write_reference(rows: Sequence[tuple[str, str]], export_name: str, output: Path) -> None:
    """Write ``rows`` as the shipped reference: the source line, the header, the rows."""
    buffer = io.StringIO()
    buffer.write(SOURCE.format(export=export_name) + "\n")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    output.write_text(buffer.getvalue(), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Read the export named on the command line and rewrite the reference; 2 on bad input."""
    parser = argparse.ArgumentParser(prog="python -m tremplin.people.rome_export")
    parser.add_argument("export", type=Path, help="the ROME appellations CSV export")
    parser.add_argument("--all", action="store_true", help="every ROME code, not only ours")
    parser.add_argument("--output", type=Path, default=REFERENCE, help="where to write")
    arguments = parser.parse_args(argv)
    try:
        rows = read_export(arguments.export.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ExportError, csv.Error) as error:
        print(f"{arguments.export}: {error}", file=sys.stderr)
        return 2
    codes = None if arguments.all else {item.rome_code for item in appellations()}
    kept = selected(rows, codes)
    write_reference(kept, arguments.export.name, arguments.output)
    print(f"{len(kept)} appellations of {len({code for code, _ in kept})} ROME codes written.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
