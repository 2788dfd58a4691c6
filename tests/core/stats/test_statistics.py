"""Referents' and admins' statistics: exact figures, charts, CSV export, dashboard panel."""

from __future__ import annotations

import csv
import io
import re

import pytest

from tremplin.stats.figures import school_year_of
from tremplin.testing import client_of, in_days

from .conftest import answer, complete


def one_talk(network, territory: str = "bef-59-lille-est", pupils: int = 25):
    """One class talk completed in a school of ``territory``, and one request left waiting."""
    ambassador = network.ambassador("Soudeuse", zones=("59", "62"))
    teacher = network.educator(network.school(name="Collège Jules Ferry", territory=territory))
    request = network.request(teacher, ambassador)
    answer(network, ambassador, request, 3)
    complete(network, teacher, request, {"college_3": pupils})
    network.request(teacher, ambassador)


def year() -> str:
    return str(school_year_of(in_days(10).date()))


def test_a_referent_sees_the_exact_figures_of_their_department_with_charts(network):
    one_talk(network)
    page = client_of(network.app, network.referent("59")).get(f"/statistiques?annee={year()}")
    assert page.status_code == 200
    assert "Statistiques — Nord" in page.text
    assert '<th scope="row">Interventions réalisées</th><td class="number">1</td>' in page.text
    assert '<th scope="row">Taux de réponse des ambassadeurs</th><td class="number">50\u00a0%' in (
        page.text
    )
    assert '<th scope="row">Délai médian de réponse</th><td class="number">3 h</td>' in (page.text)
    # Three charts, each an image with its title and description, and the same numbers.
    charts = re.findall(r'<svg[^>]*role="img"[^>]*aria-labelledby="([^"]+)"', page.text)
    assert charts == [
        "chart-type-title chart-type-desc",
        "chart-mode-title chart-mode-desc",
        "chart-month-title chart-month-desc",
    ]
    assert '<title id="chart-type-title">Interventions réalisées par type</title>' in page.text
    assert "Intervention en classe (45 minutes au plus): 1;" in page.text
    assert '<tr><th scope="row">Sur place</th><td>1</td></tr>' in page.text
    assert f'href="/statistiques/export.csv?annee={year()}&amp;territoire=59"' in page.text


def test_the_referent_chooses_among_their_territories_and_not_beyond(network):
    one_talk(network, territory="bef-62-arras")
    referent = client_of(network.app, network.referent("59"))
    basin = referent.get(f"/statistiques?territoire=bef-59-dunkerque&annee={year()}")
    assert basin.status_code == 200
    assert 'value="bef-59-dunkerque" selected' in basin.text
    assert 'value="62"' not in basin.text
    assert referent.get(f"/statistiques?territoire=62&annee={year()}").status_code == 403
    assert referent.get("/statistiques/export.csv?territoire=62").status_code == 403


def test_an_admin_sees_the_region_and_any_territory(network):
    one_talk(network, territory="bef-62-arras")
    admin = client_of(network.app, network.admin())
    region = admin.get(f"/statistiques?annee={year()}").text
    assert "Statistiques — Hauts-de-France" in region
    assert '<th scope="row">Interventions réalisées</th><td class="number">1</td>' in region
    arras = admin.get(f"/statistiques?territoire=bef-62-arras&annee={year()}")
    assert "Statistiques — Arras" in arras.text


def test_a_period_of_dates_may_replace_the_school_year(network):
    one_talk(network)
    referent = client_of(network.app, network.referent("59"))
    start, end = in_days(-1).date(), in_days(20).date()
    page = referent.get(f"/statistiques?debut={start}&fin={end}")
    assert '<th scope="row">Interventions réalisées</th><td class="number">1</td>' in page.text
    earlier = referent.get(f"/statistiques?debut={in_days(-30).date()}&fin={start}")
    assert '<th scope="row">Interventions réalisées</th><td class="number">0</td>' in earlier.text
    refused = referent.get(f"/statistiques?debut={end}&fin={start}")
    assert refused.status_code == 422
    assert "La fin ne peut pas précéder le début." in refused.text


def test_a_csv_asked_with_a_wrong_period_shows_the_form_again_with_its_error(network):
    referent = client_of(network.app, network.referent("59"))
    refused = referent.get("/statistiques/export.csv?annee=deux-mille&territoire=59")
    assert refused.status_code == 422
    assert refused.content_type.startswith("text/html")
    assert 'name="annee"' in refused.text
    assert "year:" not in refused.text


def test_only_referents_and_admins_see_statistics(network):
    assert network.app.test_client().get("/statistiques").status_code == 302
    educator = client_of(network.app, network.educator())
    assert educator.get("/statistiques").status_code == 403
    assert educator.get("/statistiques/export.csv").status_code == 403
    ambassador = client_of(network.app, network.ambassador("Soudeuse"))
    assert ambassador.get("/statistiques").status_code == 403


def test_the_csv_export_has_one_row_per_figure_for_excel(network):
    one_talk(network, pupils=24)
    response = client_of(network.app, network.referent("59")).get(
        f"/statistiques/export.csv?annee={year()}"
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    start = f"{year()}-09-01"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="chiffres-cles-59-{start}-{int(year()) + 1}-08-31.csv"'
    )
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Territoire", "Début", "Fin", "Code", "Chiffre", "Valeur", "Unité"]
    by_key = {row[3]: row for row in rows[1:]}
    assert by_key["beneficiaries"][4:] == ["Bénéficiaires touchés", "24", ""]
    assert by_key["interventions.completed"][:3] == ["59", start, f"{int(year()) + 1}-08-31"]
    assert by_key["response_rate"][5:] == ["50", "%"]
    assert by_key["schools.priority_coverage"][5:] == ["", ""]
    assert len(rows) - 1 == len(by_key)


def test_the_csv_export_in_english_uses_commas_and_decimal_points(network):
    one_talk(network)
    referent = client_of(network.app, network.referent("59"))
    referent.get("/?lang=en")
    text = referent.get(f"/statistiques/export.csv?annee={year()}").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Territory", "Start", "End", "Code", "Figure", "Value", "Unit"]
    by_key = {row[3]: row[4:] for row in rows[1:]}
    assert by_key["response_rate"] == ["Response rate of ambassadors", "50", "%"]
    assert by_key["response_time_median"] == ["Median response time", "3", "h"]


def test_a_referent_s_dashboard_shows_the_main_figures_a_chart_and_the_alerts(network):
    one_talk(network)
    page = client_of(network.app, network.referent("59")).get("/tableau-de-bord").text
    assert "Chiffres clés : Nord</h2>" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in page
    assert "Interventions réalisées par mois</title>" in page
    assert 'href="/statistiques?territoire=59"' in page
    assert 'href="/alertes"' in page
    assert "1 demande sans réponse" not in page  # it was sent today: not late yet


def test_other_people_s_dashboards_have_no_figures(network):
    page = client_of(network.app, network.educator()).get("/tableau-de-bord").text
    assert "Chiffres clés :" not in page


@pytest.mark.parametrize(
    ("who", "links"),
    [
        ("visitor", ['<a href="/chiffres-cles">Chiffres clés</a>']),
        (
            "referent",
            [
                '<a href="/chiffres-cles">Chiffres clés</a>',
                '<a href="/statistiques">Statistiques</a>',
                '<a href="/alertes">Alertes</a>',
            ],
        ),
    ],
)
def test_the_menu_leads_to_the_figures(network, who, links):
    if who == "visitor":
        client = network.app.test_client()
    else:
        client = client_of(network.app, network.referent("59"))
    page = client.get("/").text
    for link in links:
        assert link in page
    if who == "visitor":
        assert "/statistiques" not in page


def test_csv_decimals_follow_the_reader_s_language():
    from tremplin.i18n import using_locale
    from tremplin.stats.figures import HOURS, PERCENT, Figure, Figures, Period
    from tremplin.stats.service import csv_text
    from tremplin.territories.models import Territory

    figures = Figures(
        territory=Territory(code="59", name="Nord", kind="department"),
        period=Period.school_year(2026),
        rows=(
            Figure("response_rate", "Rate", 2 / 3, PERCENT, (2, 3)),
            Figure("response_time_median", "Median", 6.5, HOURS, (4,)),
        ),
    )
    with using_locale("fr"):
        french = csv_text(figures).splitlines()
    with using_locale("en"):
        english = csv_text(figures).splitlines()
    assert french[1:] == [
        "59;2026-09-01;2027-08-31;response_rate;Rate;66,7;%",
        "59;2026-09-01;2027-08-31;response_time_median;Median;6,5;h",
    ]
    assert english[1:] == [
        "59,2026-09-01,2027-08-31,response_rate,Rate,66.7,%",
        "59,2026-09-01,2027-08-31,response_time_median,Median,6.5,h",
    ]
