"""Creating, changing and finding organisations (the service, without the web)."""

import pytest

from tremplin.errors import Invalid, NotAllowed, NotFound
from tremplin.i18n import using_locale
from tremplin.organisations import service

from .conftest import add_organisation

COMPANY = {"name": "Boulangerie Martin", "kind": "company", "territory": "59"}


@pytest.fixture
def context(network):
    with network.app.app_context(), using_locale("en"):
        yield network


def names(query):
    return [organisation.name for organisation in query]


def test_a_company_is_created_with_its_siret_cleaned(context):
    created = service.create({**COMPANY, "siret": "732 829 320 00074", "city": "Lille"})
    assert created.siret == "73282932000074"
    assert created.territory.code == "59"
    assert created.search_name == "boulangerie martin"


def test_a_uai_typed_in_lower_case_is_stored_in_upper_case(context):
    created = service.create(
        {"name": "Lycée Faidherbe", "kind": "lycee", "uai": "0590001f", "territory": "59"}
    )
    # 590001 = 23 x 25652 + 5: the 6th letter of the UAI alphabet is F.
    assert created.uai == "0590001F"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "college", "name": "Collège sans UAI"}, "uai", "needs its UAI"),
        ({"kind": "company", "uai": "0590001F"}, "uai", "Only schools"),
        ({"kind": "company", "siret": None}, "siret", "needs the SIRET"),
        ({"siret": "73282932000079"}, "siret", "check digit"),
        ({"territory": "99"}, "territory", "No territory has the code 99."),
        ({"latitude": 50.6}, "longitude", "both the latitude and the longitude"),
        ({"name": "  "}, "name", "cannot be empty"),
        ({"postcode": "590"}, "postcode", "5 digits"),
    ],
)
def test_bad_input_is_refused_field_by_field(context, data, field, message):
    with pytest.raises(Invalid) as raised:
        service.create({**COMPANY, "siret": "73282932000074", **data})
    assert message in " ".join(raised.value.errors[field])


def test_a_uai_or_siret_belongs_to_one_organisation(context):
    service.create({**COMPANY, "siret": "73282932000074"})
    with pytest.raises(Invalid) as raised:
        service.create({**COMPANY, "name": "Autre", "siret": "73282932000074"})
    assert raised.value.errors["siret"] == ["Boulangerie Martin already has this number."]
    with pytest.raises(Invalid) as raised:
        service.create({"name": "Copie", "kind": "college", "uai": "0590117G", "territory": "59"})
    assert raised.value.errors["uai"] == ["Collège Jean Moulin already has this number."]


def test_a_change_keeps_the_fields_it_does_not_give(context):
    changed = service.update(context.school.id, {"rep_plus": True, "city": "Lille"})
    assert (changed.name, changed.uai, changed.rep, changed.rep_plus, changed.city) == (
        "Collège Jean Moulin",
        "0590117G",
        True,
        True,
        "Lille",
    )
    assert changed.territory.code == "bef-59-lille-est"


def test_a_change_is_checked_against_the_whole_organisation(context):
    with pytest.raises(Invalid) as raised:
        service.update(context.school.id, {"kind": "company"})
    assert set(raised.value.errors) == {"uai", "siret"}


def test_an_unknown_organisation_is_not_found(context):
    with pytest.raises(NotFound):
        service.get(999_999)


def test_a_referent_works_within_their_territories(context):
    nord = {context.territories[code].id for code in ("59", "bef-59-lille-est")}
    created = service.create({**COMPANY, "siret": "73282932000074"}, within=nord)
    assert created.territory.code == "59"
    with pytest.raises(NotAllowed):
        service.create({**COMPANY, "territory": "62", "siret": "35600000000048"}, within=nord)
    with pytest.raises(NotAllowed):
        service.update(context.other_school.id, {"rep": True}, within=nord)
    with pytest.raises(NotAllowed):
        service.update(context.school.id, {"territory": "62"}, within=nord)
    assert service.update(context.school.id, {"territory": "59"}, within=nord).territory.code == (
        "59"
    )


def test_search_ignores_accents_and_case_in_names_and_cities(context):
    add_organisation(
        name="Lycée Édouard Branly", kind="lycee", uai="0620002R", city="Boulogne-sur-Mer"
    )
    assert names(service.search(q="EDOUARD")) == ["Lycée Édouard Branly"]
    assert names(service.search(q="lycee branly")) == ["Lycée Édouard Branly"]
    assert names(service.search(q="boulogne")) == ["Lycée Édouard Branly"]
    assert names(service.search(q="villeneuve d'ascq")) == ["Collège Jean Moulin"]
    assert names(service.search(q="0590117g")) == ["Collège Jean Moulin"]
    assert names(service.search(q="collège")) == ["Collège Jean Moulin", "Collège Jules Ferry"]
    assert names(service.search(q="50%")) == []


def test_a_territory_filter_includes_everything_inside_it(context):
    add_organisation(name="Entreprise du Nord", territory=context.territories["59"])
    assert names(service.search(territory="59")) == ["Collège Jean Moulin", "Entreprise du Nord"]
    assert names(service.search(territory="bef-59-lille-est")) == ["Collège Jean Moulin"]
    assert names(service.search(territory="62")) == ["Collège Jules Ferry"]
    assert len(names(service.search(territory="hdf"))) == 3
    with pytest.raises(Invalid):
        service.search(territory="nowhere")


def test_kind_and_priority_filters(context):
    add_organisation(name="Ferme pédagogique", kind="association", rural=True)
    assert names(service.search(kind=["association"])) == ["Ferme pédagogique"]
    assert names(service.search(kind=["association", "college"], territory="62")) == [
        "Collège Jules Ferry"
    ]
    assert names(service.search(priority="any")) == ["Collège Jean Moulin", "Ferme pédagogique"]
    assert names(service.search(priority="rep")) == ["Collège Jean Moulin"]
    assert names(service.search(priority="qpv")) == []
