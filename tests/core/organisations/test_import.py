"""``tremplin import organisations FILE`` and a region's ``data/organisations.csv``."""

import time

import pytest

from tremplin import hookimpl
from tremplin.i18n import using_locale
from tremplin.imports import Importer
from tremplin.organisations.models import Organisation
from tremplin.pluginmanager import collect

from .conftest import make_territories

HEADER = "name,kind,uai,siret,territory,city,postcode,latitude,longitude,qpv,rep,rep_plus,rural\n"
ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ"  # the UAI's check letters


def uai(number: int) -> str:
    """A valid UAI for ``number`` (reference rule: the remainder by 23 picks the letter)."""
    digits = f"{number:07d}"
    return digits + ALPHABET[number % 23]


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        make_territories()
    return app


@pytest.fixture
def write(tmp_path):
    def write(text, name="organisations.csv", header=HEADER):
        path = tmp_path / name
        path.write_text(header + text, encoding="utf-8")
        return path

    return write


def run_import(run_cli, app, path, *extra):
    with using_locale("en"):
        return run_cli(app, "import", "organisations", str(path), *extra)


def stored(app):
    with app.app_context():
        return {
            organisation.name: organisation
            for organisation in Organisation.select().order_by(Organisation.id)
        }


GOOD = (
    "Collège Jean Moulin,college,0590117G,,bef-59-lille-est,Villeneuve-d'Ascq,59650,50.62,3.14,"
    "non,oui,non,non\n"
    "Boulangerie Martin,company,,73282932000074,59,Lille,59000,,,,,,\n"
    "Mission Locale de Lille,support,,,59,Lille,,,,x,,,\n"
)


def test_hook_register_importers_lets_tremplin_import_organisations(app, run_cli, write):
    importers = {
        importer.name: importer
        for importer in collect(app.extensions["tremplin"].runtime.plugins.hook.register_importers)
    }
    assert {"name", "kind", "territory"} <= set(importers["organisations"].columns)

    result = run_import(run_cli, app, write(GOOD))

    assert result.exit_code == 0, result.output
    assert "Organisations: 3 created, 0 updated, 0 unchanged, 0 rejected" in result.output
    organisations = stored(app)
    school = organisations["Collège Jean Moulin"]
    assert (school.kind, school.uai, school.rep, school.qpv, school.latitude) == (
        "college",
        "0590117G",
        True,
        False,
        50.62,
    )
    assert organisations["Boulangerie Martin"].siret == "73282932000074"
    assert organisations["Mission Locale de Lille"].qpv is True


def test_a_plugin_s_importer_is_offered_beside_the_core_s(make_app, run_cli, write):
    received = []

    class Opendays:
        name = "opendays"

        @hookimpl
        def register_importers(self):
            def load(rows):
                from tremplin.reports import ImportReport

                received.extend(rows)
                return ImportReport(subject="Open days", created=len(received))

            return [Importer("opendays", "Open days", ("host", "day"), load)]

    app = make_app(extra_plugins=[Opendays()])
    path = write("Lycée Baggio,2026-03-14\n", header="host,day\n")
    with using_locale("en"):
        result = run_cli(app, "import", "opendays", str(path))
    assert result.exit_code == 0, result.output
    assert received == [(2, {"host": "Lycée Baggio", "day": "2026-03-14"})]


def test_importing_the_same_file_again_changes_nothing(app, run_cli, write):
    path = write(GOOD)
    run_import(run_cli, app, path)
    before = {name: organisation.__data__ for name, organisation in stored(app).items()}

    again = run_import(run_cli, app, path)

    assert again.exit_code == 0, again.output
    assert "0 created, 0 updated, 3 unchanged, 0 rejected" in again.output
    assert {name: o.__data__ for name, o in stored(app).items()} == before


def test_a_changed_row_updates_its_organisation_found_by_uai_siret_or_name(app, run_cli, write):
    run_import(run_cli, app, write(GOOD))
    changed = write(
        # Same UAI, new name; same SIRET, new city; same kind, name and territory, new flag.
        "Collège Jean-Moulin,college,0590117g,,bef-59-lille-est,Villeneuve-d'Ascq,59650,50.62,"
        "3.14,non,non,oui,non\n"
        "Boulangerie Martin & fils,company,,732 829 320 00074,59,Roubaix,59100,,,,,,\n"
        "MISSION LOCALE DE LILLE,support,,,59,Lille,,,,x,,,oui\n"
    )

    result = run_import(run_cli, app, changed)

    assert "0 created, 3 updated, 0 unchanged, 0 rejected" in result.output
    organisations = stored(app)
    assert set(organisations) == {
        "Collège Jean-Moulin",
        "Boulangerie Martin & fils",
        "MISSION LOCALE DE LILLE",
    }
    assert organisations["Collège Jean-Moulin"].rep_plus is True
    assert organisations["Boulangerie Martin & fils"].city == "Roubaix"
    assert organisations["MISSION LOCALE DE LILLE"].rural is True


def test_a_column_left_out_leaves_that_field_as_it_is(app, run_cli, write):
    run_import(run_cli, app, write(GOOD))
    result = run_import(
        run_cli,
        app,
        write(
            "Boulangerie Martin,company,73282932000074,59\n", header="name,kind,siret,territory\n"
        ),
    )
    assert "0 created, 0 updated, 1 unchanged" in result.output
    assert stored(app)["Boulangerie Martin"].city == "Lille"


def test_bad_rows_are_reported_with_their_line_and_the_good_ones_kept(
    app, run_cli, write, tmp_path
):
    path = write(
        "Collège Jean Moulin,college,0590117G,,bef-59-lille-est,,,,,,,,\n"  # line 2: good
        "Collège A,college,0590117H,,59,,,,,,,,\n"  # 3: check letter
        "Collège B,college,,,59,,,,,,,,\n"  # 4: a collège without UAI
        "Garage C,company,,73282932000079,59,,,,,,,,\n"  # 5: check digit
        "Garage D,company,,,59,,,,,,,,\n"  # 6: a company without SIRET
        "Club E,association,,,99,,,,,,,,\n"  # 7: unknown territory
        "Ferme F,farm,,,59,,,,,,,,\n"  # 8: unknown kind
        "Lycée G,lycee,0590001F,,59,,,,,peut-être,,,\n"  # 9: not a yes or no
        ",association,,,59,,,,,,,,\n"  # 10: no name
        "Collège Jean Moulin bis,college,0590117G,,59,,,,,,,,\n"  # 11: same UAI as line 2
        "Garage H,company,,73282932000074,59,,,,,,,,\n"  # 12: good
        "Garage I,company,,73282932000074,62,,,,,,,,\n"  # 13: same SIRET as line 12
        "Lycée J,lycee,0590001F,73282932000074,59,,,,,,,,\n"  # 14: SIRET of line 12
        "Lycée K,lycee,0590002G,,59,,,50.6,,,,,\n"  # 15: latitude without longitude
    )
    report = tmp_path / "rejected.csv"

    result = run_import(run_cli, app, path, "--report", str(report))

    assert result.exit_code == 1
    assert "Organisations: 2 created, 0 updated, 0 unchanged, 12 rejected" in result.output
    expected = [
        "line 3: uai: this UAI is not valid: its letter does not match its digits",
        "line 4: uai: a collège or a lycée needs its UAI",
        "line 5: siret: this SIRET is not valid: its check digit does not match (a typing error?)",
        "line 6: siret: a company needs the SIRET of its establishment",
        "line 7: territory: no territory has the code 99",
        "line 8: kind: must be one of: college, lycee, lycee_pro, cfa, university, support, "
        "company, public_employer, association, training_body",
        "line 9: qpv: not a valid boolean",
        "line 10: name: this field cannot be empty",
        "line 11: the same organisation as line 2",
        "line 13: the same organisation as line 12",
        "line 14: siret: this SIRET is already on line 12",
        "line 15: longitude: give both the latitude and the longitude, or neither",
    ]
    for line in expected:
        assert line in result.output
    assert set(stored(app)) == {"Collège Jean Moulin", "Garage H"}
    assert report.read_text(encoding="utf-8").splitlines()[1].startswith("3,")


def test_an_identifier_held_by_another_organisation_is_refused(app, run_cli, write):
    run_import(run_cli, app, write(GOOD))
    result = run_import(
        run_cli, app, write("Lycée Neuf,lycee,0590001F,73282932000074,59,,,,,,,,\n")
    )
    assert "line 2: siret: Boulangerie Martin already has this SIRET" in result.output
    assert "Lycée Neuf" not in stored(app)


def test_a_french_spreadsheet_export_is_understood(app, run_cli, write):
    path = write(
        "Collège Jean Moulin;Collège;0590117g;;59;Lille;;;;;OUI;;\n"
        "Lycée professionnel Lavoisier;Lycée professionnel;0590001f;;59;;;;;X;;;\n"
        "Conseil départemental;Employeur public;;;59;;;;;;;;\n",
        header=HEADER.replace(",", ";"),
    )
    result = run_import(run_cli, app, path)
    assert result.exit_code == 0, result.output
    kinds = {name: (o.kind, o.rep, o.qpv) for name, o in stored(app).items()}
    assert kinds == {
        "Collège Jean Moulin": ("college", True, False),
        "Lycée professionnel Lavoisier": ("lycee_pro", False, True),
        "Conseil départemental": ("public_employer", False, False),
    }


def test_a_rejected_row_is_explained_in_the_region_s_language(app, run_cli, write):
    result = run_cli(
        app, "import", "organisations", str(write("Collège A,college,0590117H,,59,,,,,,,,\n"))
    )
    assert "ligne 2 : uai : " in result.output
    assert "Organisations : 0 créé(s), 0 mis à jour, 0 inchangé(s), 1 rejeté(s)" in result.output


def test_a_file_without_the_required_columns_is_refused_in_one_line(app, run_cli, write):
    result = run_import(run_cli, app, write("Lycée,lycee\n", header="name,kind\n"))
    assert result.exit_code == 2
    assert "lacks the column(s) territory" in result.output


def test_ten_thousand_rows_are_imported_in_a_few_seconds(app, run_cli, write):
    rows = "".join(
        f"Établissement {n},college,{uai(n)},,{'59' if n % 2 else 'bef-59-lille-est'},"
        f"Ville {n % 300},{59000 + n % 900},,,{'oui' if n % 7 == 0 else ''},,,\n"
        for n in range(10_000)
    )
    path = write(rows)

    # The import's own work, this process's CPU time: the time on the wall depends on what
    # else the machine runs (the suite's other workers, other jobs).
    started = time.process_time()
    first = run_import(run_cli, app, path)
    first_duration = time.process_time() - started
    started = time.process_time()
    second = run_import(run_cli, app, path)
    second_duration = time.process_time() - started

    assert "10000 created, 0 updated, 0 unchanged, 0 rejected" in first.output, first.output
    assert "0 created, 0 updated, 10000 unchanged, 0 rejected" in second.output
    print(f"10,000 rows: {first_duration:.1f} s, again {second_duration:.1f} s")
    assert first_duration < 10
    assert second_duration < 10


def test_region_load_imports_the_region_s_organisations_after_its_territories(
    tmp_path, make_app, run_cli
):
    region = tmp_path / "region"
    (region / "data").mkdir(parents=True)
    (region / "tremplin.toml").write_text(
        '[region]\ncode = "essai"\nname = "Essai"\n', encoding="utf-8"
    )
    (region / "data" / "territories.csv").write_text(
        "code,name,kind,parent,latitude,longitude\n"
        "hdf,Hauts-de-France,region,,,\n"
        "59,Nord,department,hdf,,\n",
        encoding="utf-8",
    )
    (region / "data" / "organisations.csv").write_text(
        HEADER + GOOD.replace("bef-59-lille-est", "59"), encoding="utf-8"
    )
    app = make_app(region=region)

    with using_locale("en"):
        first = run_cli(app, "region", "load")
        second = run_cli(app, "region", "load")

    assert first.exit_code == 0, first.output
    assert "Organisations: 3 created, 0 updated, 0 unchanged, 0 rejected" in first.output
    assert "Organisations: 0 created, 0 updated, 3 unchanged, 0 rejected" in second.output
    assert len(stored(app)) == 3
