"""``python -m tremplin.people.rome_export``: the shipped appellations rewritten from
France Travail's CSV export of the ROME."""

from __future__ import annotations

import csv

import pytest

from tremplin.people import rome_export

pytestmark = pytest.mark.one_database  # nothing here depends on the database

# A few rows in the shape of the export (its columns, a semicolon, a byte-order mark).
EXPORT = (
    "\ufeffcode_ogr;code_rome;libelle_appellation_long;libelle_appellation_court\n"
    "38698;H2913;Soudeur / Soudeuse;Soudeur / Soudeuse\n"
    "38706;H2913;Braseur / Braseuse;Braseur / Braseuse\n"
    "10903;A1101;Conducteur / Conductrice d'engins agricoles;Conducteur d'engins agricoles\n"
    "99999;nope;Not a code;Not a code\n"
)


def written(path) -> list[list[str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# Source: ROME")
    assert "France Travail" in lines[0]
    return list(csv.reader(lines[1:]))


def test_the_export_rewrites_the_appellations_of_the_codes_shipped(tmp_path, capsys):
    export = tmp_path / "unix_referentiel_appellation_v460_utf8.csv"
    export.write_text(EXPORT, encoding="utf-8")
    output = tmp_path / "out.csv"

    assert rome_export.main([str(export), "--output", str(output)]) == 0

    assert written(output) == [
        ["code_rome", "libelle_appellation"],
        ["H2913", "Soudeur / Soudeuse"],
        ["H2913", "Braseur / Braseuse"],
    ]  # A1101 is no code of ours; "nope" no code at all
    assert "2 appellations of 1 ROME codes written." in capsys.readouterr().out


def test_all_keeps_every_code_with_commas_too(tmp_path):
    export = tmp_path / "export.csv"
    export.write_text(EXPORT.replace(";", ","), encoding="utf-8")
    output = tmp_path / "out.csv"

    assert rome_export.main([str(export), "--all", "--output", str(output)]) == 0

    assert [row[0] for row in written(output)] == ["code_rome", "A1101", "H2913", "H2913"]


@pytest.mark.parametrize(
    "text", ["name;label\nx;y\n", "code_rome;libelle_appellation_long\nnope;Nothing\n"]
)
def test_a_file_that_is_no_export_is_refused_in_one_line(tmp_path, capsys, text):
    export = tmp_path / "other.csv"
    export.write_text(text, encoding="utf-8")
    output = tmp_path / "out.csv"

    assert rome_export.main([str(export), "--output", str(output)]) == 2

    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "other.csv" in error
    assert not output.exists()
