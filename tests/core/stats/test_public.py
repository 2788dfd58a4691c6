"""The public key figures: no sign-in, small counts hidden, the reader's language."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tremplin.clock import today
from tremplin.stats.figures import COUNT, HOURS, PERCENT, Figure, school_year_of
from tremplin.stats.service import is_hidden, public_value
from tremplin.testing import in_days

from .conftest import answer, complete


def completed_talks(network, count: int, territory: str = "bef-59-lille-est", pupils: int = 25):
    """``count`` class talks of ``pupils`` each, completed in a school of ``territory``."""
    ambassador = network.ambassador("Soudeuse", zones=("59", "62"), monthly_capacity=20)
    teacher = network.educator(network.school(name="Collège Victor Hugo", territory=territory))
    for _ in range(count):
        request = network.request(teacher, ambassador)
        answer(network, ambassador, request, 1)
        complete(network, teacher, request, {"college_3": pupils})


def year_of_the_talks() -> str:
    return str(school_year_of(in_days(10).date()))


def figure_cell(page: str, label: str) -> str:
    """The text of the cell next to the row headed ``label``."""
    start = page.index(f'<th scope="row">{label}</th>')
    cell = page[start:].split('<td class="number">', 1)[1]
    return cell.split("</td>", 1)[0]


def test_anybody_reads_the_region_s_figures_with_small_counts_hidden(network):
    completed_talks(network, 3)
    page = network.app.test_client().get(f"/chiffres-cles?annee={year_of_the_talks()}")
    assert page.status_code == 200
    assert "Chiffres clés — Hauts-de-France" in page.text
    assert figure_cell(page.text, "Bénéficiaires touchés") == "75"
    assert figure_cell(page.text, "Jeunes sensibilisés") == "75"
    assert figure_cell(page.text, "Interventions réalisées") == "moins de 5"
    assert figure_cell(page.text, "Taux de réponse des ambassadeurs") == (
        "non affiché (moins de 5 cas)"
    )
    assert figure_cell(page.text, "Établissements prioritaires") == "0"


def test_enough_interventions_are_shown_exactly_with_french_numbers(network):
    completed_talks(network, 5, pupils=300)
    page = network.app.test_client().get(f"/chiffres-cles?annee={year_of_the_talks()}").text
    assert figure_cell(page, "Interventions réalisées") == "5"
    assert figure_cell(page, "Bénéficiaires touchés") == "1\u202f500"
    assert figure_cell(page, "Taux de réponse des ambassadeurs") == "100\u00a0%"
    english = network.app.test_client().get(f"/chiffres-cles?annee={year_of_the_talks()}&lang=en")
    assert figure_cell(english.text, "Beneficiaries reached") == "1,500"
    assert figure_cell(english.text, "Response rate of ambassadors") == "100%"


def test_a_department_or_an_academy_is_chosen_with_territoire(network):
    completed_talks(network, 6, territory="bef-62-arras")
    year = year_of_the_talks()
    client = network.app.test_client()
    nord = client.get(f"/chiffres-cles?territoire=59&annee={year}").text
    assert "Chiffres clés — Nord" in nord
    assert figure_cell(nord, "Interventions réalisées") == "0"
    pas_de_calais = client.get(f"/chiffres-cles?territoire=62&annee={year}").text
    assert figure_cell(pas_de_calais, "Interventions réalisées") == "6"
    academy = client.get(f"/chiffres-cles?territoire=ac-lille&annee={year}").text
    assert figure_cell(academy, "Interventions réalisées") == "6"


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("territoire=bef-59-lille-est", "territoire", "Choisissez la région"),
        ("territoire=nulle-part", "territoire", "Territoire inconnu : nulle-part."),
        ("annee=deux-mille", "annee", "Un nombre entier est attendu."),
        ("annee=1850", "annee", "La valeur doit être comprise entre 2000 et 2100."),
        ("debut=2026-09-01", "fin", "Indiquez le début et la fin de la période."),
        ("debut=2026-09-01&fin=2026-01-01", "fin", "La fin ne peut pas précéder le début."),
    ],
)
def test_a_bad_question_is_answered_422_with_the_field_s_message(network, query, field, message):
    page = network.app.test_client().get(f"/chiffres-cles?{query}")
    assert page.status_code == 422
    assert f'href="#field-{field}"' in page.text
    assert message in page.text


def test_the_region_s_threshold_is_a_setting(make_app, make_network):
    network = make_network(make_app(settings={"stats": {"public_threshold": 3}}))
    completed_talks(network, 3)
    page = network.app.test_client().get(f"/chiffres-cles?annee={year_of_the_talks()}").text
    assert figure_cell(page, "Interventions réalisées") == "3"
    assert "inférieurs à 3" in page


def test_a_threshold_that_is_not_a_positive_number_stops_start_up(make_app):
    from tremplin.region import ConfigError

    with pytest.raises(ConfigError) as raised:
        make_app(settings={"stats": {"public_threshold": 0}})
    assert raised.value.key == "plugins.stats.public_threshold"


def test_the_current_school_year_is_shown_by_default(network):
    year = school_year_of(today())
    page = network.app.test_client().get("/chiffres-cles").text
    assert f"Hauts-de-France, {year}-{year + 1}" in page


@given(value=st.integers(min_value=0, max_value=10_000), threshold=st.integers(1, 100))
def test_a_count_is_published_only_from_the_threshold_or_when_zero(value, threshold):
    published = public_value(value, threshold)
    if value == 0 or value >= threshold:
        assert published == value
    else:
        assert published is None
    figure = Figure("count", "Count", value)
    assert is_hidden(figure, threshold) is (published is None)
    assert is_hidden(figure, None) is False


@given(
    part=st.integers(min_value=0, max_value=500),
    extra=st.integers(min_value=0, max_value=500),
    threshold=st.integers(1, 50),
    unit=st.sampled_from([PERCENT, HOURS]),
)
def test_a_rate_is_hidden_whenever_a_count_it_comes_from_is(part, extra, threshold, unit):
    whole = part + extra
    rate = Figure("rate", "Rate", part / whole if whole else None, unit, (part, whole))
    small = [count for count in (part, whole) if 0 < count < threshold]
    assert is_hidden(rate, threshold) is bool(small)


def test_counts_of_a_rate_s_figure_are_not_confused_with_its_value():
    assert not is_hidden(Figure("rate", "Rate", 0.5, PERCENT, (50, 100)), 5)
    assert is_hidden(Figure("count", "Count", 3, COUNT), 5)
