"""The organisation pages and API as their users meet them: search, forms, errors, pages."""

import re

from tremplin.organisations.models import Organisation

from .conftest import add_organisation, csrf_headers, form_token


def stored(network, organisation_id):
    with network.app.app_context():
        return Organisation.get_by_id(organisation_id)


def test_the_list_is_french_and_searchable_without_accents(network):
    client = network.client("educator_elsewhere")
    page = client.get("/organisations?q=JEAN+moulin").text
    assert "<h1>Organisations</h1>" in page
    assert "1 organisation trouvée" in page
    assert "Collège Jean Moulin" in page
    assert "Collège Jules Ferry" not in page
    assert 'value="JEAN moulin"' in page  # the search is kept in its field


def test_the_list_filters_by_territory_kind_and_priority(network):
    client = network.client("admin")
    nord = client.get("/organisations?territory=59").text
    assert "Collège Jean Moulin" in nord
    assert "Collège Jules Ferry" not in nord
    assert '<option value="59" selected>' in nord
    assert "Collège Jules Ferry" not in client.get("/organisations?priority=rep").text
    assert "Collège" not in client.get("/organisations?kind=company").text.split("</form>")[1]


def test_a_wrong_filter_is_explained_by_its_field(network):
    client = network.client("admin")
    page = client.get("/organisations?priority=everything").text
    assert re.search(r'id="priority-error">La valeur doit être l’une des suivantes : any', page)
    page = client.get("/organisations?kind=farm").text
    assert re.search(r'id="kind-error">La valeur doit être l’une des suivantes : college', page)


def test_the_list_is_paginated_and_pages_keep_the_search(network):
    with network.app.app_context():
        for number in range(25):
            add_organisation(name=f"Entreprise {number:02d}", territory=network.territories["59"])
    client = network.client("admin")
    first = client.get("/organisations?q=entreprise").text
    assert "25 organisations trouvées" in first
    assert "Entreprise 19" in first
    assert "Entreprise 20" not in first
    next_link = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    assert "q=entreprise" in next_link
    second = client.get(next_link).text
    assert "Entreprise 20" in second
    assert "Page 2 sur 2" in second


def test_the_menu_links_to_the_list_for_those_who_may_see_it(network):
    assert 'href="/organisations"' in network.client("referent_of_its_department").get("/").text
    assert 'href="/organisations"' not in network.client("ambassador").get("/").text
    assert 'href="/organisations"' not in network.app.test_client().get("/").text


def test_a_form_with_mistakes_is_shown_again_with_messages_and_what_was_typed(network):
    client = network.client("referent_of_its_department")
    url = f"/organisations/{network.school.id}/modifier"
    form = {
        "csrf_token": form_token(client.get(url).text),
        "name": "Collège Jean Moulin rénové",
        "kind": "college",
        "uai": "0590117h",
        "siret": "",
        "territory": "bef-59-lille-est",
        "postcode": "5965",
        "city": "Villeneuve-d'Ascq",
        "latitude": "nord",
        "longitude": "",
        "rep_plus": "oui",
    }

    response = client.post(url, data=form)

    assert response.status_code == 422
    page = response.text
    assert 'id="uai-error"' in page
    assert "Ce code UAI n’est pas valide" in page
    assert 'aria-describedby="uai-error"' in page
    assert 'id="postcode-error"' in page
    assert 'id="latitude-error"' in page
    assert 'value="Collège Jean Moulin rénové"' in page
    assert 'value="0590117h"' in page
    assert 'value="nord"' in page
    assert re.search(r'id="rep_plus" name="rep_plus" value="oui" checked', page)
    assert not re.search(r'id="rep" name="rep" value="oui" checked', page)
    assert stored(network, network.school.id).name == "Collège Jean Moulin"


def test_a_saved_form_shows_the_organisation(network):
    client = network.client("admin")
    url = f"/organisations/{network.school.id}/modifier"
    form = {
        "csrf_token": form_token(client.get(url).text),
        "name": "Collège Jean Moulin",
        "kind": "college",
        "uai": "0590117g",
        "territory": "59",
        "postcode": "59650",
        "city": "Villeneuve-d'Ascq",
        "latitude": "50.62",
        "longitude": "3.14",
        "qpv": "oui",
    }
    response = client.post(url, data=form, follow_redirects=True)
    assert response.status_code == 200
    assert "L’organisation a été enregistrée." in response.text
    school = stored(network, network.school.id)
    assert (school.territory_id, school.qpv, school.rep, school.latitude) == (
        network.territories["59"].id,
        True,
        False,
        50.62,
    )


def test_a_referent_adds_an_organisation_in_their_territory(network):
    client = network.client("referent_of_its_department")
    page = client.get("/organisations/nouvelle").text
    assert '<option value="62"' not in page  # only their territories are offered
    form = {
        "csrf_token": form_token(page),
        "name": "Garage Dupont",
        "kind": "company",
        "siret": "732 829 320 00074",
        "territory": "59",
    }
    response = client.post("/organisations/nouvelle", data=form)
    assert response.status_code == 302
    assert "Garage Dupont" in client.get(response.headers["Location"]).text

    outside = client.post("/organisations/nouvelle", data={**form, "territory": "62"})
    assert outside.status_code == 403
    assert 'id="territory-error"' in outside.text


def test_the_api_answers_422_with_the_fields_at_fault(network):
    client = network.client("admin")
    response = client.patch(
        f"/api/v1/organisations/{network.school.id}",
        json={"uai": "0590117H", "postcode": "5965"},
        headers=csrf_headers(network.app, client),
    )
    assert response.status_code == 422
    errors = response.json["errors"]["json"]
    assert errors["uai"] == [
        "Ce code UAI n’est pas valide : sa lettre ne correspond pas à ses chiffres."
    ]
    assert errors["postcode"] == ["Un code postal compte 5 chiffres, par exemple 59000."]

    rules = client.patch(
        f"/api/v1/organisations/{network.school.id}",
        json={"kind": "company"},
        headers=csrf_headers(network.app, client),
    )
    assert rules.status_code == 422
    assert set(rules.json["errors"]["json"]) == {"uai", "siret"}


def test_the_api_filters_and_paginates(network):
    with network.app.app_context():
        add_organisation(name="Ferme pédagogique", kind="association", rural=True)
    client = network.client("educator_of_it")
    listing = client.get("/api/v1/organisations/?page_size=2")
    assert [item["name"] for item in listing.json] == ["Collège Jean Moulin", "Collège Jules Ferry"]
    assert '"total": 3' in listing.headers["X-Pagination"]
    assert [o["name"] for o in client.get("/api/v1/organisations/?q=PEDAGOGIQUE").json] == [
        "Ferme pédagogique"
    ]
    assert [o["name"] for o in client.get("/api/v1/organisations/?priority=rural").json] == [
        "Ferme pédagogique"
    ]
    both = client.get("/api/v1/organisations/?kind=association&kind=college&territory=59").json
    assert [o["name"] for o in both] == ["Collège Jean Moulin"]
    unknown = client.get("/api/v1/organisations/?territory=75")
    assert unknown.status_code == 422
    assert "territory" in unknown.json["errors"]["json"]
    assert client.get("/api/v1/organisations/999999").status_code == 404
