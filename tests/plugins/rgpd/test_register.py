"""The register of processing activities (art. 30) completed with the region's data, as CSV
and as a numbered PDF read back; the public page naming the officer; the retention page."""

from __future__ import annotations

import csv
import io

from pypdf import PdfReader

from .network import Network, post_form, sign_in


def officer_client(app, net, run_cli):
    """A signed-in client of the region's data protection officer."""
    account = net.account(email="dpo@example.org")
    assert run_cli(app, "rgpd", "officer", "add", "dpo@example.org").exit_code == 0
    return sign_in(app.test_client(), account)


def test_the_register_as_csv_has_every_column_of_the_cnil_model(app, net, run_cli):
    client = officer_client(app, net, run_cli)
    response = client.get("/rgpd/registre.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][:2] == ["Responsable du traitement", "Région de test"]
    assert rows[1][2] == "dpo@region.example.org"
    assert rows[2] == [
        "Activité",
        "Finalité",
        "Base légale",
        "Catégories de personnes",
        "Catégories de données",
        "Destinataires",
        "Transferts hors UE",
        "Durée de conservation",
        "Mesures de sécurité",
    ]
    names = [row[0] for row in rows[3:]]
    assert "Demandes d'exercice des droits sur les données" in names  # this plugin
    assert len(names) > 3  # and the core's areas
    assert all(len(row) == 9 and all(row) for row in rows[3:])


def test_the_region_fills_what_code_cannot_know(make_rgpd_app, run_cli):
    app = make_rgpd_app(transfers="Hébergement en France, aucun transfert.")
    client = officer_client(app, Network(app), run_cli)
    rows = list(csv.reader(io.StringIO(client.get("/rgpd/registre.csv").text)))
    assert {row[6] for row in rows[3:]} == {"Hébergement en France, aucun transfert."}


def test_the_register_is_issued_as_a_numbered_pdf(app, net, run_cli):
    client = officer_client(app, net, run_cli)
    response = post_form(client, "/rgpd/registre/pdf", {}, page="/rgpd/registre")
    assert response.status_code == 302
    pdf = client.get(response.headers["Location"])
    assert pdf.status_code == 200
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages).split()
    )
    assert "Registre des activités de traitement" in text
    assert "dpo@region.example.org" in text
    assert "Demandes d'exercice des droits sur les données" in text.replace("’", "'")
    assert (
        sign_in(app.test_client(), net.account()).get(response.headers["Location"]).status_code
        == 403
    )


def test_the_public_page_names_the_officer_and_explains_each_right(app):
    page = app.test_client().get("/vos-droits").text
    assert "dpo@region.example.org" in page
    for right in (
        "Accès",
        "Rectification",
        "Effacement",
        "Limitation",
        "Portabilité",
        "Opposition",
    ):
        assert right in page
    assert "CNIL" in page


def test_the_retention_page_shows_each_activity(app):
    page = app.test_client().get("/rgpd/conservation").text
    assert "Demandes d'exercice des droits sur les données" in page.replace("&#39;", "'")
    assert "5 ans après la réponse" in page
