"""The web shell with a region's texts and branding (texts/, static/), and without them."""

import pytest

from tremplin.testing import minimal_region


@pytest.fixture
def folder(tmp_path):
    return minimal_region(tmp_path / "region")


def write(folder, relative, content):
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")


def test_without_texts_the_home_page_says_the_generic_sentence(client):
    page = client.get("/").text
    assert "<h1>Région de test</h1>" in page
    assert "présenter leur métier aux jeunes de la région Région de test" in page
    assert 'class="region-text"' not in page


def test_without_static_there_is_no_region_stylesheet_nor_logo(client):
    page = client.get("/").text
    assert "/region/" not in page
    assert '<p class="site-name"><a href="/">Région de test</a></p>' in page
    assert client.get("/region/region.css").status_code == 404


def test_without_texts_the_accessibility_statement_gives_the_status(client):
    page = client.get("/accessibilite").text
    assert "partiellement conforme" in page
    assert 'class="region-text"' not in page


def test_the_home_text_is_markdown_in_the_visitors_language(folder, make_app):
    write(folder, "texts/home.fr.md", "## Le réseau\n\nDes **métiers** près de chez vous.\n")
    write(folder, "texts/home.en.md", "## The network\n\nOccupations near you.\n")
    client = make_app(region=folder).test_client()
    french = client.get("/").text
    assert "<h2>Le réseau</h2>" in french
    assert "<strong>métiers</strong>" in french
    assert "présenter leur métier" not in french
    assert "Accessibilité : partiellement conforme" in french
    english = client.get("/?lang=en").text
    assert "<h2>The network</h2>" in english


def test_a_text_in_the_default_language_serves_every_visitor(folder, make_app):
    write(folder, "texts/home.fr.md", "Texte d'accueil.\n")
    english = make_app(region=folder).test_client().get("/?lang=en").text
    assert "<p>Texte d'accueil.</p>" in english


def test_html_in_a_text_is_shown_as_text(folder, make_app):
    write(
        folder, "texts/home.fr.md", '<script>alert("x")</script>\n\n[lien](javascript:alert(1))\n'
    )
    page = make_app(region=folder).test_client().get("/").text
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert 'href="javascript:' not in page


def test_the_accessibility_text_follows_the_status(folder, make_app):
    write(folder, "texts/accessibility.fr.md", "## Signaler un problème\n\nÉcrivez-nous.\n")
    page = make_app(region=folder).test_client().get("/accessibilite").text
    assert page.index("partiellement conforme") < page.index("<h2>Signaler un problème</h2>")


def test_the_regions_stylesheet_comes_after_tremplins(folder, make_app):
    write(folder, "static/region.css", ":root { --brand: #00666e; }\n")
    client = make_app(region=folder).test_client()
    page = client.get("/").text
    link = '<link rel="stylesheet" href="/region/region.css">'
    assert page.index("/static/web/tremplin.css") < page.index(link)
    assert "site-logo" not in page
    assert client.get("/region/region.css").text == ":root { --brand: #00666e; }\n"


def test_the_logo_replaces_the_name_with_it_as_alternative(folder, make_app):
    write(folder, "static/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>')
    page = make_app(region=folder).test_client().get("/").text
    assert '<img class="site-logo" src="/region/logo.svg" alt="Région de test">' in page


@pytest.mark.parametrize(
    "path", ["/region/%2e%2e/tremplin.toml", "/region/..%2ftremplin.toml", "/region/missing.png"]
)
def test_only_files_of_static_are_served(folder, make_app, path):
    write(folder, "static/region.css", "")
    assert make_app(region=folder).test_client().get(path).status_code == 404


def test_the_stylesheet_lets_regions_change_its_colours(client):
    css = client.get("/static/web/tremplin.css").text
    for prop in ("--brand:", "--brand-contrast:", "--header-background:", "--focus:"):
        assert prop in css
    assert "var(--brand)" in css


def test_the_register_of_processing_names_the_controller_and_the_dpo(folder, make_app):
    """GDPR art. 30(1)(a): the register gives the controller's and the DPO's contact details."""
    toml = folder / "tremplin.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8")
        + "\n[privacy]\n"
        + 'controller = "Région Normandie, 1 place de la Reine, 14000 Caen"\n'
        + 'dpo = "dpo@normandie.example"\n',
        encoding="utf-8",
    )
    client = make_app(region=folder).test_client()
    page = client.get("/donnees-personnelles").text
    assert "Responsable du traitement : Région Normandie, 1 place de la Reine, 14000 Caen" in page
    assert "Délégué à la protection des données : dpo@normandie.example" in page
    english = client.get("/donnees-personnelles?lang=en").text
    assert "Controller: Région Normandie" in english


def test_a_register_without_a_controller_says_it_is_missing(client):
    page = client.get("/donnees-personnelles").text
    assert "[privacy] controller" in page
