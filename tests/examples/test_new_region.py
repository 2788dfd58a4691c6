"""A new region starts from a copy of the reference one (docs/new-region.md): renamed, with
its own territories and texts, prepared by the command line, it serves its own pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tremplin import create_app
from tremplin.app import runtime_of
from tremplin.cli import cli

REFERENCE_REGION = Path(__file__).resolve().parents[2] / "examples" / "hauts-de-france"

BRETAGNE_TERRITORIES = """\
code,name,kind,parent,latitude,longitude
bzh,Bretagne,region,,48.2,-2.9
22,Côtes-d'Armor,department,bzh,48.51,-2.76
29,Finistère,department,bzh,48.0,-4.1
35,Ille-et-Vilaine,department,bzh,48.11,-1.68
56,Morbihan,department,bzh,47.75,-2.75
"""

BRETAGNE_HOME = """\
## Des métiers à portée de main

Le réseau Cap Avenir fait venir des professionnels bretons dans les classes, du Trégor au
pays de Vannes.
"""


@pytest.fixture
def bretagne(tmp_path, monkeypatch, tremplin_database_url) -> Path:
    """The reference region copied and made into Bretagne's, on the test's database."""
    folder = tmp_path / "bretagne"
    shutil.copytree(REFERENCE_REGION, folder, ignore=shutil.ignore_patterns("instance"))
    config = folder / "tremplin.toml"
    text = config.read_text(encoding="utf-8")
    for old, new in (
        ('code = "hauts-de-france"', 'code = "bretagne"'),
        ('name = "Hauts-de-France"', 'name = "Bretagne"'),
        ('programme = "Proch\'Orientation"', 'programme = "Cap Avenir"'),
    ):
        assert old in text
        text = text.replace(old, new)
    config.write_text(text, encoding="utf-8")
    (folder / "data" / "territories.csv").write_text(BRETAGNE_TERRITORIES, encoding="utf-8")
    texts = folder / "texts"
    for old_text in texts.glob("*.md"):
        old_text.unlink()  # the new region writes its own; until then pages say the generic
    (texts / "home.fr.md").write_text(BRETAGNE_HOME, encoding="utf-8")
    # As in production, the database comes from the environment, not from tremplin.toml.
    monkeypatch.setenv("TREMPLIN_DATABASE_URL", tremplin_database_url)
    monkeypatch.setenv("TREMPLIN_SECRET_KEY", "test-secret-key")
    for variable in ("TREMPLIN_REGION", "TREMPLIN_PLUGINS", "TREMPLIN_QUEUE_URL"):
        monkeypatch.delenv(variable, raising=False)
    return folder


@pytest.fixture
def serve():
    """Build the app of a region folder as ``tremplin serve`` does; close it afterwards."""
    apps = []

    def build(folder: Path):
        app = create_app(str(folder))
        apps.append(app)
        return app

    yield build
    for app in apps:
        database = runtime_of(app).database
        if not database.is_closed():
            database.close()


def tremplin(folder: Path, *args: str):
    result = CliRunner().invoke(cli, ["--region", str(folder), *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize(
    "commands",
    [[("init",)], [("db", "upgrade"), ("region", "load")]],
    ids=["init", "upgrade-then-load"],
)
def test_a_copied_region_serves_its_own_name_texts_and_territories(bretagne, serve, commands):
    output = "".join(tremplin(bretagne, *command) for command in commands)
    assert "Territoires : 5 créé(s), 0 mis à jour, 0 inchangé(s), 0 rejeté(s)" in output
    assert "Versions de la charte : 1 créé(s)" in output

    client = serve(bretagne).test_client()
    assert client.get("/healthz?ignore=worker").status_code == 200
    home = client.get("/").text
    assert "<h1>Cap Avenir</h1>" in home
    assert "Bretagne" in home
    assert "<h2>Des métiers à portée de main</h2>" in home
    english_home = client.get("/?lang=en").text
    assert "Des métiers à portée de main" in english_home  # no English text: the French one
    for page in (home, english_home, client.get("/accessibilite").text):
        assert "Hauts-de-France" not in page
        assert "Proch" not in page
    territories = client.get("/api/v1/territories/").json
    assert {territory["code"] for territory in territories} == {"bzh", "22", "29", "35", "56"}
    charter = client.get("/charte")
    assert charter.status_code == 200
    assert "Charte des ambassadeurs et ambassadrices des métiers" in charter.text


def test_loading_the_copied_region_again_changes_nothing(bretagne):
    tremplin(bretagne, "init")
    again = tremplin(bretagne, "init")
    assert "Territoires : 0 créé(s), 0 mis à jour, 5 inchangé(s), 0 rejeté(s)" in again
    assert "La base de données est à jour." in again
