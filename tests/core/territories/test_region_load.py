"""Territories: loading a region folder, idempotently, with a report; the territories API."""

import pytest

from tremplin.app import runtime_of
from tremplin.i18n import using_locale
from tremplin.territories.models import Territory

HEADER = "code,name,kind,parent,latitude,longitude\n"


@pytest.fixture
def hdf(reference_region, make_app):
    return make_app(region=reference_region)


def write_territories(region, text):
    (region / "data" / "territories.csv").write_text(HEADER + text, encoding="utf-8")


def territories(app):
    with app.app_context():
        return {
            t.code: (t.name, t.kind, t.parent.code if t.parent else None)
            for t in Territory.select()
        }


def test_the_reference_region_loads_its_territory_tree(hdf, run_cli):
    with using_locale("en"):
        result = run_cli(hdf, "region", "load")
    assert result.exit_code == 0, result.output
    loaded = territories(hdf)
    kinds = [kind for _, kind, _ in loaded.values()]
    assert kinds.count("region") == 1
    assert kinds.count("academy") == 2
    assert sorted(code for code, (_, kind, _) in loaded.items() if kind == "department") == [
        "02",
        "59",
        "60",
        "62",
        "80",
    ]
    assert {loaded[code][2] for code in ("59", "62")} == {"ac-lille"}
    assert {loaded[code][2] for code in ("02", "60", "80")} == {"ac-amiens"}
    nord_areas = {code for code, (_, kind, parent) in loaded.items() if kind == "area"}
    assert {loaded[code][2] for code in nord_areas} == {"59"}
    assert len(nord_areas) == 2
    nord_basins = {
        name for name, kind, parent in loaded.values() if kind == "basin" and parent in nord_areas
    }
    assert {
        "Lille Est",
        "Cambrésis",
        "Douaisis",
        "Valenciennois",
        "Sambre Avesnois",
        "Dunkerque Flandre",
        "Lille Ouest",
        "Lille Centre",
        "Roubaix Tourcoing",
    } == nord_basins
    assert (
        f"Territories: {len(loaded)} created, 0 updated, 0 unchanged, 0 rejected" in result.output
    )


def test_loading_twice_changes_nothing_the_second_time(hdf, run_cli):
    run_cli(hdf, "region", "load")
    before = territories(hdf)
    with using_locale("en"):
        second = run_cli(hdf, "region", "load")
    assert territories(hdf) == before
    assert f"0 created, 0 updated, {len(before)} unchanged, 0 rejected" in second.output


def test_a_changed_row_is_updated(reference_region, make_app, run_cli):
    write_territories(reference_region, "r,Région,region,,,\nd,Départment,department,r,,\n")
    app = make_app(region=reference_region)
    run_cli(app, "region", "load")
    write_territories(reference_region, "r,Région,region,,,\nd,Département,department,r,,\n")
    with using_locale("en"):
        result = run_cli(app, "region", "load")
    assert "0 created, 1 updated, 1 unchanged" in result.output
    assert territories(app)["d"][0] == "Département"


def test_bad_rows_are_reported_with_their_line_and_good_rows_kept(
    reference_region, make_app, run_cli
):
    write_territories(
        reference_region,
        "r,Région,region,,,\n"
        "x,Sans type,,r,,\n"
        "y,Lointain,planet,r,,\n"
        "z,Orphelin,basin,nowhere,,\n"
        "d,Département,department,r,91,\n"
        "e,Bon,department,r,49.5,2.8\n"
        "e,Doublon,department,r,,\n",
    )
    app = make_app(region=reference_region)
    with using_locale("en"):
        result = run_cli(app, "region", "load")
    assert result.exit_code == 1
    assert "2 created, 0 updated, 0 unchanged, 5 rejected" in result.output
    assert "line 3: kind:" in result.output
    assert "line 4: kind:" in result.output
    assert "line 5: parent nowhere is unknown" in result.output
    assert "line 6: latitude:" in result.output
    assert "line 8: code e appears twice" in result.output
    assert set(territories(app)) == {"r", "e"}


def test_a_child_may_come_before_its_parent(reference_region, make_app, run_cli):
    write_territories(
        reference_region, "b,Bassin,basin,d,,\nd,Département,department,r,,\nr,Région,region,,,\n"
    )
    app = make_app(region=reference_region)
    assert run_cli(app, "region", "load").exit_code == 0
    assert territories(app)["b"][2] == "d"


def test_the_api_lists_territories_by_kind_and_parent(hdf, run_cli):
    run_cli(hdf, "region", "load")
    client = hdf.test_client()
    departments = client.get("/api/v1/territories/?kind=department")
    assert [t["code"] for t in departments.json] == ["02", "59", "60", "62", "80"]
    lille = client.get("/api/v1/territories/?parent=ac-lille").json
    assert {t["name"] for t in lille} == {"Nord", "Pas-de-Calais"}


def test_the_api_paginates(hdf, run_cli):
    run_cli(hdf, "region", "load")
    response = hdf.test_client().get("/api/v1/territories/?kind=basin&page=2&page_size=10")
    assert len(response.json) == 10
    pagination = response.headers["X-Pagination"]
    assert '"page": 2' in pagination


def test_the_api_gives_one_territory_or_a_404(hdf, run_cli):
    run_cli(hdf, "region", "load")
    client = hdf.test_client()
    assert client.get("/api/v1/territories/59").json["parent"] == "ac-lille"
    assert client.get("/api/v1/territories/99").status_code == 404


def test_a_bad_filter_gets_a_422_with_the_field(client):
    response = client.get("/api/v1/territories/?kind=planet")
    assert response.status_code == 422
    assert "kind" in response.json["errors"]["query"]


def test_hook_load_region_data_collects_each_plugins_report(make_app, run_cli):
    from tremplin import hookimpl
    from tremplin.reports import ImportReport

    class Schools:
        name = "schools"

        @hookimpl
        def load_region_data(self, region):
            report = ImportReport(subject="Schools", created=2)
            report.reject(7, f"no UAI in {region.code}")
            return report

    with using_locale("en"):
        result = run_cli(make_app(extra_plugins=[Schools()]), "region", "load")
    assert "Schools: 2 created, 0 updated, 0 unchanged, 1 rejected" in result.output
    assert "line 7: no UAI in test-region" in result.output
    assert result.exit_code == 1


def test_territories_sort_by_name_accents_aside_in_the_api_and_the_forms(hdf, run_cli):
    """A Normandy trial listed "Évreux" after "Vernon": a byte order puts "É" after "V"."""
    csv = runtime_of(hdf).region.path / "data" / "territories.csv"
    csv.write_text(
        csv.read_text(encoding="utf-8") + "27,Eure,department,hdf,,\n"
        "bef-27-vernon,Vernon,basin,27,,\n"
        "bef-27-evreux,Évreux,basin,27,,\n"
        "bef-27-andelys,Les Andelys,basin,27,,\n"
        "bef-27-bernay,bernay,basin,27,,\n",
        encoding="utf-8",
    )
    assert run_cli(hdf, "region", "load").exit_code == 0
    basins = hdf.test_client().get("/api/v1/territories/?parent=27").json
    expected = ["bernay", "Évreux", "Les Andelys", "Vernon"]
    assert [t["name"] for t in basins] == expected
    with hdf.app_context():
        from tremplin.organisations.service import territory_choices
        from tremplin.people.service import zone_choices

        for choices in (territory_choices(), zone_choices()):
            names = [t.name for t in choices if t.parent and t.parent.code == "27"]
            assert names == expected
