"""``tremplin stats``: the table of key figures, its CSV, and readable refusals."""

from __future__ import annotations

from tremplin.stats.figures import school_year_of
from tremplin.testing import in_days

from .conftest import answer, complete


def one_talk(network):
    ambassador = network.ambassador("Soudeuse", zones=("59",))
    teacher = network.educator(network.school(name="Collège Anatole France"))
    request = network.request(teacher, ambassador)
    answer(network, ambassador, request, 5)
    complete(network, teacher, request, {"college_4": 18})


def year() -> str:
    return str(school_year_of(in_days(10).date()))


def test_the_command_prints_the_region_s_figures_for_a_school_year(network, run_cli):
    one_talk(network)
    result = run_cli(network.app, "stats", "--year", year())
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Hauts-de-France — {year()}-{int(year()) + 1}"
    table = {line.rsplit("  ", 1)[0].strip(): line.rsplit("  ", 1)[1] for line in lines[1:]}
    assert table["Bénéficiaires touchés"] == "18"
    assert table["Interventions réalisées"] == "1"
    assert table["Délai médian de réponse"] == "5 h"
    assert table["Taux de réponse des ambassadeurs"] == "100\u00a0%"


def test_a_territory_and_a_csv_file_may_be_given(network, run_cli, tmp_path):
    one_talk(network)
    target = tmp_path / "chiffres.csv"
    result = run_cli(
        network.app, "stats", "--territory", "62", "--year", year(), "--csv", str(target)
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("Pas-de-Calais — ")
    assert f"Chiffres clés écrits dans {target}." in result.output
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "62;" in data.decode("utf-8-sig").splitlines()[1]


def test_bad_options_end_with_one_line_and_exit_code_2(network, run_cli, tmp_path):
    unknown = run_cli(network.app, "stats", "--territory", "nulle-part")
    assert unknown.exit_code == 2
    assert unknown.output.strip() == "Erreur : --territory: Territoire inconnu : nulle-part."
    too_old = run_cli(network.app, "stats", "--year", "1850")
    assert too_old.exit_code == 2
    assert too_old.output.strip().splitlines() == [
        "Erreur : --year: La valeur doit être comprise entre 2000 et 2100."
    ]
    not_a_year = run_cli(network.app, "stats", "--year", "soon")
    assert not_a_year.exit_code == 2
    nowhere = run_cli(network.app, "stats", "--csv", str(tmp_path / "missing" / "f.csv"))
    assert nowhere.exit_code == 2
    assert nowhere.output.strip().splitlines()[-1].startswith("Erreur : impossible d’écrire")
