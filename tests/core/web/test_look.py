"""The common look as the pages render it: the menu's groups, the home page's calls to
action, the directory's cards and the status badges (docs/look.md)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from tremplin import hookimpl
from tremplin.testing import client_of
from tremplin.web.navigation import Group, Link, grouped


class MenuReader(HTMLParser):
    """The main menu of a page as a person finds it: links on their own, and for each
    menu button its label, its aria-expanded state and the texts of the links it opens."""

    def __init__(self):
        super().__init__()
        self.main: list[str] = []
        self.groups: dict[str, list[str]] = {}
        self.expanded: dict[str, str | None] = {}
        self._in_nav = self._in_list = False
        self._reading: str | None = None  # "button" or "a" while reading its text
        self._group = ""
        self._text = ""

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "nav" and "site-nav" in classes:
            self._in_nav = True
        elif self._in_nav and tag == "button" and "nav-group-button" in classes:
            self._reading, self._text = "button", ""
            self._expanded = dict(attrs).get("aria-expanded")
        elif self._in_nav and tag == "ul" and "nav-group-links" in classes:
            self._in_list = True
        elif self._in_nav and tag == "a":
            self._reading, self._text = "a", ""

    def handle_data(self, data):
        if self._reading:
            self._text += data

    def handle_endtag(self, tag):
        if not self._in_nav:
            return
        if tag == "nav":
            self._in_nav = False
        elif tag == "button" and self._reading == "button":
            self._group = self._text.strip()
            self.groups[self._group], self.expanded[self._group] = [], self._expanded
        elif tag == "a" and self._reading == "a":
            (self.groups[self._group] if self._in_list else self.main).append(self._text.strip())
        elif tag == "ul" and self._in_list:
            self._in_list = False
        if tag in ("a", "button"):
            self._reading = None


def menu_of(page: str) -> MenuReader:
    reader = MenuReader()
    reader.feed(page)
    return reader


def test_links_are_sorted_into_the_groups_in_the_menu_order_each_in_the_order_given():
    links = [
        Link("Statistiques", "/s", Group.STEERING),
        Link("Mon compte", "/a", Group.ACCOUNT),
        Link("Tableau de bord", "/d", Group.MAIN),
        Link("Alertes", "/al", Group.STEERING),
        Link("Agenda", "/ag", Group.INTERVENTIONS),
    ]
    menu = grouped(links)
    assert [link.label for link in menu.main] == ["Tableau de bord"]
    assert [(group.key, [link.label for link in group.links]) for group in menu.groups] == [
        ("interventions", ["Agenda"]),
        ("steering", ["Statistiques", "Alertes"]),
        ("account", ["Mon compte"]),
    ]


def test_a_link_without_a_group_or_with_an_unknown_one_goes_under_more():
    menu = grouped([Link("Forums", "/forums"), Link("Salon", "/salon", group="salons")])
    assert [(group.key, [link.label for link in group.links]) for group in menu.groups] == [
        ("more", ["Forums", "Salon"])
    ]


def test_a_plugin_s_link_is_shown_under_its_group_s_menu_button_closed_at_first(make_app):
    class Forums:
        name = "forums"

        @hookimpl
        def menu_links(self, user):
            return [
                Link(label="Forums des métiers", href="/forums", group=Group.NETWORK),
                Link(label="Salon", href="/salon"),
            ]

    page = make_app(extra_plugins=[Forums()]).test_client().get("/").text
    menu = menu_of(page)
    assert "Forums des métiers" in menu.groups["Le réseau"]
    assert menu.groups["Plus"] == ["Salon"]
    assert menu.main == ["Se connecter"]
    assert set(menu.expanded.values()) == {"false"}
    assert 'aria-controls="menu-network"' in page
    assert 'id="menu-network"' in page


def test_a_visitor_s_menu_has_few_groups_and_sign_in_on_its_own(client):
    menu = menu_of(client.get("/").text)
    assert menu.main == ["Se connecter"]
    assert menu.groups["Nous rejoindre"] == [
        "Devenir ambassadeur ou ambassadrice",
        "Équipes éducatives : s’inscrire",
    ]
    assert "Chiffres clés" in menu.groups["Le réseau"]
    assert "Pilotage" not in menu.groups


def test_a_referent_finds_the_steering_pages_under_steering(app, network):
    referent = client_of(app, network.referent("59"))
    menu = menu_of(referent.get("/tableau-de-bord").text)
    assert menu.main[0] == "Mon tableau de bord"
    assert {"Statistiques", "Alertes", "Ambassadeurs masqués"} <= set(menu.groups["Pilotage"])
    assert "Mon compte" in menu.groups["Mon espace"]
    assert "Mes interventions" in menu.groups["Interventions"]


def test_the_page_shown_is_marked_current_in_the_menu(app, network):
    referent = client_of(app, network.referent("59"))
    page = referent.get("/statistiques").text
    assert '<a href="/statistiques" aria-current="page">Statistiques</a>' in page
    assert re.search(r'class="nav-group-button nav-current"[^>]*>Pilotage<', page)


def test_visitors_get_a_call_to_action_for_each_audience(client):
    page = client.get("/").text
    for button in (
        '<a class="button" href="/inscription/equipe-educative">Demander une intervention</a>',
        '<a class="button" href="/inscription/ambassadeur">Devenir ambassadeur ou ambassadrice</a>',
        '<a class="button" href="/inscription/ambassadeur">Rejoindre le réseau</a>',
        '<a class="button secondary" href="/evenements/agenda">Voir l’agenda des événements</a>',
    ):
        assert button in page
    assert "Aller à mon tableau de bord" not in page


def test_a_signed_in_person_gets_their_dashboard_not_the_sign_up_calls(app, network):
    page = client_of(app, network.referent("59")).get("/").text
    assert '<a class="button" href="/tableau-de-bord">Aller à mon tableau de bord</a>' in page
    assert "Devenir ambassadeur" not in page


def test_the_directory_shows_cards_with_tags_and_no_contact_details(app, network):
    network.ambassador(
        "Soudeuse",
        first_name="Zoé",
        last_name="Zola",
        email="zoe.zola@example.org",
        phone="0612345678",
        intervention_types=("class_talk", "company_visit"),
        modes=("on_site", "remote"),
        zones=("59",),
    )
    teacher = client_of(app, network.educator())
    page = teacher.get("/ambassadeurs?q=soudeuse").text
    card = re.search(r'<li class="card ambassador-card">(.*?)</li>\s*</ol>', page, re.S).group(1)
    assert "Zoé Z." in card
    assert '<li class="tag">Intervention en classe (45 minutes au plus)</li>' in card
    assert '<li class="tag">Visite d’entreprise</li>' in card
    assert '<li class="tag tag-mode">Sur place</li>' in card
    assert '<li class="tag tag-mode">À distance</li>' in card
    assert '<li class="tag tag-zone">Nord</li>' in card
    assert "Zola" not in card
    assert "zoe.zola" not in page
    assert "0612345678" not in page
    assert "06 12 34 56 78" not in page
    assert 'class="button"' in card  # requesting from this ambassador is an action


def test_an_intervention_s_status_is_a_badge_that_writes_it(app, network):
    teacher = network.educator()
    scheduled = network.intervention(teacher, network.ambassador(), "scheduled")
    network.request(teacher, network.ambassador("Boulanger"))
    client = client_of(app, teacher)
    agenda = client.get("/interventions").text
    assert '<span class="badge badge-info">Planifiée</span>' in agenda
    assert '<span class="badge badge-waiting">Demandée</span>' in agenda
    page = client.get(f"/interventions/{scheduled.id}").text
    assert re.search(
        r'<p class="status">Statut :\s*<span class="badge badge-info">Planifiée</span></p>', page
    )


def test_a_cancelled_intervention_s_badge_is_red_and_says_so(app, network):
    teacher = network.educator()
    cancelled = network.intervention(teacher, network.ambassador(), "cancelled")
    page = client_of(app, teacher).get(f"/interventions/{cancelled.id}").text
    assert '<span class="badge badge-error">Annulée</span>' in page
    assert 'class="button danger secondary"' not in page  # nothing left to cancel
