"""The charter: versions published from the region's folder or the command line, read and
accepted by ambassadors, who are taken to it when they sign in until they accept it."""

from __future__ import annotations

import datetime

from tremplin import clock
from tremplin.plugins.charter.models import Acceptance, CharterVersion, Decision
from tremplin.testing import client_of, csrf_token_from

from .conftest import CHARTER_TEXT


def accept_on_page(client, page: str, **fields):
    """Send the acceptance form of ``page`` with ``fields``."""
    return client.post(
        "/charte/accepter", data={**fields, "csrf_token": csrf_token_from(client, page)}
    )


def test_an_ambassador_who_must_accept_is_taken_to_the_charter_when_signing_in(app, net):
    ambassador = net.registered("Soudeuse")
    client = client_of(app, net.account_of(ambassador))

    response = client.get("/tableau-de-bord")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/charte?next=/tableau-de-bord")
    page = client.get(response.headers["Location"]).text
    assert "Lisez la charte du réseau et acceptez-la" in page
    assert "<h2>Article 1 — Objet</h2>" in page
    assert (
        '<label for="field-accepted">'
        "J’ai pris connaissance des conditions ci-dessus et les accepte</label>"
    ) in page
    # Their account, the charter and the API stay reachable meanwhile.
    assert client.get("/mon-compte").status_code == 200
    assert client.get("/charte/mon-dossier").status_code == 200

    accepted = accept_on_page(
        client,
        "/charte?next=/tableau-de-bord",
        version="2025-1",
        accepted="yes",
        next="/tableau-de-bord",
    )
    assert accepted.status_code == 302
    assert accepted.headers["Location"] == "/tableau-de-bord"
    assert client.get("/tableau-de-bord").status_code == 200
    assert net.holds_of(ambassador) == [("charter", "record-check")]
    assert net.run(Acceptance.select().count) == 1


def test_accepting_needs_the_box_ticked(app, net):
    ambassador = net.registered("Soudeuse")
    client = client_of(app, net.account_of(ambassador))
    response = accept_on_page(client, "/charte", version="2025-1")
    assert response.status_code == 422
    assert "Cochez la case pour indiquer que vous acceptez la charte." in response.text
    assert net.run(Acceptance.select().count) == 0


def test_a_next_address_elsewhere_is_never_followed(app, net):
    ambassador = net.registered("Soudeuse")
    client = client_of(app, net.account_of(ambassador))
    response = accept_on_page(
        client, "/charte", version="2025-1", accepted="yes", next="https://evil.example/"
    )
    assert response.headers["Location"] == "/charte/mon-dossier"


def test_people_who_are_not_held_for_the_charter_are_never_redirected(app, net):
    ready = net.ready("Soudeuse")
    assert client_of(app, net.account_of(ready)).get("/tableau-de-bord").status_code == 200
    assert client_of(app, net.educator()).get("/tableau-de-bord").status_code == 200
    assert app.test_client().get("/").status_code == 200


def test_an_ambassador_accepting_a_replaced_version_is_told_to_read_the_one_in_force(app, net):
    ambassador = net.registered("Soudeuse")
    client = client_of(app, net.account_of(ambassador))
    token = csrf_token_from(client, "/charte")  # the page showed version 2025-1...
    net.publish("2026-1")  # ...then a new one came
    response = client.post(
        "/charte/accepter", data={"version": "2025-1", "accepted": "yes", "csrf_token": token}
    )
    assert response.status_code == 409
    assert "La version 2025-1 de la charte a été remplacée" in response.text


def test_the_text_of_the_charter_is_shown_without_any_html_it_contains(app, make_network):
    net = make_network(app)
    net.publish(text="## Article 1\n\n<script>alert('x')</script> [lien](javascript:alert(1))")
    page = app.test_client().get("/charte").text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in page
    assert 'href="javascript:' not in page


def test_the_charter_page_says_when_none_is_in_force(app):
    page = app.test_client().get("/charte").text
    assert "Aucune charte n’est encore en vigueur." in page


def test_hook_load_region_data_publishes_the_versions_of_the_region_s_folder_once(
    make_app, run_cli, reference_region
):
    app = make_app(plugins=["charter"], region=reference_region)
    first = run_cli(app, "region", "load")
    assert first.exit_code == 0, first.output
    assert "Versions de la charte : 1 créé(s), 0 mis à jour, 0 inchangé(s), 0 rejeté(s)" in (
        first.output
    )
    again = run_cli(app, "region", "load")
    assert "Versions de la charte : 0 créé(s), 0 mis à jour, 1 inchangé(s), 0 rejeté(s)" in (
        again.output
    )
    with app.app_context():
        [version] = CharterVersion.select()
    assert (version.version, version.effective_on) == ("2025-1", datetime.date(2025, 9, 1))
    assert version.title == "Charte des ambassadeurs et ambassadrices des métiers"
    assert version.text.count("## Article ") == 8


def test_the_reference_charter_has_its_eight_articles(make_app, reference_region, run_cli):
    app = make_app(plugins=["charter"], region=reference_region)
    run_cli(app, "region", "load")
    page = app.test_client().get("/charte").text
    for title in (
        "Objet",
        "Statut et rôle de l’ambassadeur",
        "Cadre des interventions",
        "Engagements de l’ambassadeur",
        "Responsabilité et assurance",
        "Protection des données personnelles",
        "Enquêtes et droit à l’image",
        "Durée et fin de l’engagement",
    ):
        assert title.replace("’", "'") in page or title in page, title
    assert "bulletin n°3" in page


def test_a_charter_file_with_a_broken_header_is_rejected_by_the_region_load(
    make_app, run_cli, reference_region
):
    (reference_region / "charter" / "2026-1.md").write_text(
        '+++\nversion = "2026-1"\neffective = "soon"\n+++\nTexte\n', encoding="utf-8"
    )
    app = make_app(plugins=["charter"], region=reference_region)
    result = run_cli(app, "region", "load")
    assert result.exit_code == 1
    assert (
        "ligne 2 : 2026-1.md : effective_on : effective doit être une date, par exemple 2025-09-01"
        in result.output
    )
    assert "Versions de la charte : 1 créé(s), 0 mis à jour, 0 inchangé(s), 1 rejeté(s)" in (
        result.output
    )


def test_hook_register_commands_publishes_a_version_that_everyone_must_accept(
    app, net, run_cli, tmp_path
):
    net.ready("Soudeuse")
    net.registered("Soudeur")
    text = tmp_path / "charte.md"
    text.write_text(
        CHARTER_TEXT.format(version="ignored", effective=clock.today().isoformat()),
        encoding="utf-8",
    )
    result = run_cli(app, "charter", "publish", str(text), "--version", "2026-1")
    assert result.exit_code == 0, result.output
    today = clock.today().isoformat()
    assert (
        f"Version 2026-1 de la charte publiée, en vigueur à partir du {today} ; "
        "2 ambassadeur(s) doivent l’accepter." in result.output
    )
    again = run_cli(app, "charter", "publish", str(text), "--version", "2026-1")
    assert "La version 2026-1 est déjà publiée : rien n’a changé." in again.output

    text.write_text("Un autre texte", encoding="utf-8")
    refused = run_cli(
        app, "charter", "publish", str(text), "--version", "2026-1", "--effective", today
    )
    assert refused.exit_code == 2
    assert refused.output == (
        "Erreur : version : la version 2026-1 est déjà publiée avec un autre texte : donnez une "
        "nouvelle version au nouveau texte\n"
    )

    listing = run_cli(app, "charter", "versions").output
    assert "2026-1\ten vigueur à partir du" in listing
    assert "2025-1\ten vigueur à partir du" in listing
    assert "1 acceptation(s)" in listing
    with app.app_context():
        assert [
            row.version for row in Decision.select().where(Decision.kind == "version_published")
        ] == [
            "2025-1",
            "2026-1",
        ]


def test_publishing_without_a_date_or_a_version_says_what_is_missing(app, run_cli, tmp_path):
    text = tmp_path / "charte.md"
    text.write_text("## Article 1\n\nTexte", encoding="utf-8")
    result = run_cli(app, "charter", "publish", str(text))
    assert result.exit_code == 2
    assert result.output == (
        "Erreur : version : ce champ est obligatoire ; effective_on : ce champ est obligatoire\n"
    )
    missing = run_cli(app, "charter", "publish", str(tmp_path / "absent.md"))
    assert missing.exit_code == 2


def test_an_upcoming_version_can_be_read_and_accepted_early(app, net):
    ambassador = net.ready("Soudeuse")
    later = clock.today() + datetime.timedelta(days=30)
    net.publish("2026-1", effective_on=later)
    client = client_of(app, net.account_of(ambassador))
    page = client.get("/charte/mon-dossier").text
    assert "La version 2026-1 entre en vigueur le" in page
    assert client.get("/charte/version/2026-1").status_code == 200
    response = accept_on_page(client, "/charte/version/2026-1", version="2026-1", accepted="yes")
    assert response.status_code == 302
    assert (
        client.get("/charte/version/2026-1").text.count("Vous avez accepté cette version le") == 1
    )
    assert client.get("/charte/version/nope").status_code == 404
