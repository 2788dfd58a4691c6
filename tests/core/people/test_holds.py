"""Holds keep ambassadors out of the directory; plugins rebuild them and referents see why."""

from __future__ import annotations

import pytest

from tremplin import hookimpl
from tremplin.auth.models import Account, AccountStatus
from tremplin.people import holds, registration, service
from tremplin.people.holds import Hold
from tremplin.people.models import AmbassadorHold
from tremplin.testing import client_of


class RecordCheck:
    """A plugin holding back the ambassadors whose criminal-record check is missing."""

    name = "recordcheck"

    def __init__(self):
        self.checked: set[int] = set()
        self.batches: list[int] = []  # how many ambassadors each call was asked about

    @hookimpl
    def ambassador_holds(self, ambassadors):
        self.batches.append(len(ambassadors))
        reason = "L’extrait de casier judiciaire n’a pas été vérifié."
        return {
            ambassador.id: [Hold("record-check", reason)]
            for ambassador in ambassadors
            if ambassador.id not in self.checked
        }


def directory_ids(client, query: str = "q=soud") -> list[int]:
    response = client.get(f"/api/v1/ambassadors/?{query}")
    assert response.status_code == 200
    return sorted(item["id"] for item in response.json)


def test_hook_ambassador_holds_hides_the_ambassador_from_the_directory_after_rebuild(
    make_app, make_people, run_cli
):
    plugin = RecordCheck()
    app = make_app(extra_plugins=[plugin])
    people = make_people(app)
    checked = people.ambassador("Soudeuse")
    unchecked = people.ambassador("Soudeur")
    plugin.checked.add(checked.id)
    client = client_of(app, people.educator())
    assert directory_ids(client) == sorted([checked.id, unchecked.id])  # nothing stored yet

    result = run_cli(app, "holds", "rebuild")

    assert result.exit_code == 0, result.output
    assert plugin.batches == [2]
    assert "2 ambassadeur(s) : 1 ajoutée(s), 0 levée(s), 0 conservée(s)" in result.output
    assert directory_ids(client) == [checked.id]
    with app.app_context():
        [hold] = holds.holds_of(unchecked)
    assert (hold.source, hold.code) == ("recordcheck", "record-check")

    plugin.checked.add(unchecked.id)
    result = run_cli(app, "holds", "rebuild")
    assert "0 ajoutée(s), 1 levée(s)" in result.output
    assert directory_ids(client) == sorted([checked.id, unchecked.id])


def test_rebuilding_twice_changes_nothing(make_app, make_people, run_cli):
    plugin = RecordCheck()
    app = make_app(extra_plugins=[plugin])
    people = make_people(app)
    people.ambassador("Soudeur")
    run_cli(app, "holds", "rebuild")
    result = run_cli(app, "holds", "rebuild")
    assert "0 ajoutée(s), 0 levée(s), 1 conservée(s)" in result.output


def test_a_rebuild_keeps_holds_set_through_the_service_and_drops_those_of_gone_plugins(
    make_app, make_people
):
    app = make_app(extra_plugins=[RecordCheck()])
    people = make_people(app)
    ambassador = people.ambassador("Soudeur")
    with app.app_context():
        # tremplin.people is registered but does not answer the hook: its holds stay.
        holds.set_hold(ambassador, "tremplin.people", "referent", "Suspendu par le référent")
        holds.set_hold(ambassador, "uninstalled", "old", "Une extension désactivée")
        outcome = holds.rebuild()
        remaining = {(hold.source, hold.code) for hold in holds.holds_of(ambassador)}
    assert remaining == {("tremplin.people", "referent"), ("recordcheck", "record-check")}
    assert (outcome.ambassadors, outcome.added, outcome.removed, outcome.kept) == (1, 1, 1, 1)


def test_set_hold_twice_updates_the_reason(app, people):
    ambassador = people.ambassador("Soudeur")
    with app.app_context():
        holds.set_hold(ambassador, "tremplin.people", "unsigned", "Première raison")
        holds.set_hold(ambassador, "tremplin.people", "unsigned", "Seconde raison")
        assert [hold.reason for hold in holds.holds_of(ambassador)] == ["Seconde raison"]
        assert holds.release_hold(ambassador, "tremplin.people", "unsigned") is True
        assert holds.release_hold(ambassador, "tremplin.people", "unsigned") is False
        assert AmbassadorHold.select().count() == 0


def test_a_referent_sees_why_an_ambassador_of_their_territory_is_hidden(make_app, make_people):
    app = make_app(extra_plugins=[RecordCheck()])
    people = make_people(app)
    ambassador = people.ambassador("Soudeur", zones=["bef-59-lille-est"])
    with app.app_context():
        holds.set_hold(ambassador, "tremplin.people", "unsigned", "La charte n’est pas signée.")
    referent = client_of(app, people.referent("59"))

    page = referent.get(f"/ambassadeurs/{ambassador.id}/retenues")
    assert page.status_code == 200
    assert "La charte n’est pas signée." in page.text
    assert "L’extrait de casier judiciaire n’a pas été vérifié." in page.text  # asked now
    assert "tremplin holds rebuild" in page.text

    listing = referent.get("/ambassadeurs/masques")
    assert f"/ambassadeurs/{ambassador.id}/retenues" in listing.text
    assert "La charte n’est pas signée." in listing.text

    # The referent still reaches the hidden ambassador's profile.
    assert referent.get(f"/ambassadeurs/{ambassador.id}").status_code == 200
    assert referent.get(f"/api/v1/ambassadors/{ambassador.id}").status_code == 200


def test_a_pending_account_is_explained_too(app, people):
    ambassador = people.ambassador("Soudeur", status=AccountStatus.PENDING)
    admin = client_of(app, people.admin())
    page = admin.get(f"/ambassadeurs/{ambassador.id}/retenues").text
    assert "pas encore activé" in page
    assert "Compte non activé" in admin.get("/ambassadeurs/masques").text


def test_only_the_ambassador_s_referents_and_admins_see_why(app, people):
    ambassador = people.ambassador("Soudeur", zones=["59"])
    other_referent = client_of(app, people.referent("62"))
    educator = client_of(app, people.educator())
    with app.app_context():
        own = client_of(app, Account.get_by_id(ambassador.account_id))
    for client in (other_referent, educator, own):
        assert client.get(f"/ambassadeurs/{ambassador.id}/retenues").status_code == 403
    assert educator.get("/ambassadeurs/masques").status_code == 403
    assert "Soudeur" not in other_referent.get("/ambassadeurs/masques").text


def test_a_failing_plugin_is_named_and_stored_holds_stay(make_app, make_people, run_cli):
    class Broken:
        name = "broken"

        @hookimpl
        def ambassador_holds(self, ambassadors):
            raise RuntimeError("the record-check service does not answer")

    app = make_app(extra_plugins=[Broken()])
    people = make_people(app)
    ambassador = people.ambassador("Soudeur")
    with app.app_context():
        holds.set_hold(ambassador, "broken", "record-check", "Casier à vérifier")

    result = run_cli(app, "holds", "rebuild")

    assert result.exit_code == 1
    assert "l’extension 'broken' a échoué sur un lot de 1 ambassadeur(s)" in result.output
    assert "Traceback" not in result.output
    with app.app_context():
        assert [hold.code for hold in holds.holds_of(ambassador)] == ["record-check"]


def test_holds_of_a_plugin_no_longer_enabled_hide_nobody_until_it_is_enabled_again(
    make_app, make_people
):
    app = make_app(extra_plugins=[RecordCheck()])
    people = make_people(app)
    ambassador = people.ambassador("Soudeur")
    educator = people.educator()
    with app.app_context():
        holds.set_hold(ambassador, "recordcheck", "record-check", "Casier à vérifier")
    assert directory_ids(client_of(app, educator)) == []

    without = make_app()  # the same database; the plugin is disabled
    assert directory_ids(client_of(without, educator)) == [ambassador.id]
    with without.app_context():
        assert holds.holds_of(ambassador) == []
        assert AmbassadorHold.select().count() == 1  # kept, for when it comes back

    again = make_app(extra_plugins=[RecordCheck()])
    assert directory_ids(client_of(again, educator)) == []


def test_an_ambassador_who_registers_or_is_imported_is_held_from_the_start(
    make_app, make_people, run_cli, tmp_path
):
    app = make_app(extra_plugins=[RecordCheck()])
    make_people(app)
    with app.app_context():
        registered = registration.register_ambassador(
            {
                "kind": "professional",
                "first_name": "Inès",
                "last_name": "Vasseur",
                "email": "ines@example.org",
                "occupation": "Soudeuse",
                "intervention_types": ["class_talk"],
                "modes": ["on_site"],
                "zones": ["59"],
            }
        )
        assert [hold.code for hold in holds.holds_of(registered)] == ["record-check"]
    rows = tmp_path / "ambassadors.csv"
    rows.write_text(
        "email,first_name,last_name,kind,occupation,rome_code,sector,intervention_types,"
        "modes,zones,monthly_capacity\n"
        "noe@example.org,Noé,Lefebvre,professional,Soudeur,,,class_talk,on_site,59,2\n",
        encoding="utf-8",
    )
    assert run_cli(app, "import", "ambassadors", str(rows)).exit_code == 0
    with app.app_context():
        imported = service.ambassador_of(Account.get(Account.email == "noe@example.org"))
        assert [hold.code for hold in holds.holds_of(imported)] == ["record-check"]


def test_a_rebuild_asks_each_plugin_once_per_batch_not_once_per_ambassador(
    make_app, make_people, monkeypatch
):
    monkeypatch.setattr(holds, "BATCH_SIZE", 2)
    plugin = RecordCheck()
    app = make_app(extra_plugins=[plugin])
    people = make_people(app)
    ambassadors = [people.ambassador(f"Soudeur {n}") for n in range(5)]
    plugin.checked.add(ambassadors[0].id)
    with app.app_context():
        outcome = holds.rebuild()
        held = {hold.ambassador_id for hold in AmbassadorHold.select()}
    assert plugin.batches == [2, 2, 1]
    assert (outcome.ambassadors, outcome.added) == (5, 4)
    assert held == {ambassador.id for ambassador in ambassadors[1:]}


@pytest.mark.parametrize(
    "answer",
    [
        [Hold("record-check", "Casier à vérifier")],  # the list of the hook's first form
        {"1": [Hold("record-check", "Casier à vérifier")]},  # not an id
        {1: Hold("record-check", "Casier à vérifier")},  # not a list
        {1: [("record-check", "Casier à vérifier")]},  # not a Hold
    ],
)
def test_a_plugin_answering_something_else_than_holds_by_id_is_named(make_app, make_people, answer):
    class Confused:
        name = "confused"

        @hookimpl
        def ambassador_holds(self, ambassadors):
            return answer

    app = make_app(extra_plugins=[Confused()])
    people = make_people(app)
    ambassador = people.ambassador("Soudeur")
    with app.app_context():
        holds.set_hold(ambassador, "confused", "record-check", "Casier à vérifier")
        with pytest.raises(holds.HookFailed) as failed:
            holds.rebuild()
        assert "l’extension 'confused' a répondu à ambassador_holds par" in str(failed.value)
        with pytest.raises(holds.HookFailed):
            holds.current_holds(ambassador)
        assert [hold.code for hold in holds.holds_of(ambassador)] == ["record-check"]


class FirstFormRecordCheck:
    """A plugin written for the hook's first form, ``ambassador_holds(ambassador)``."""

    name = "oldrecordcheck"

    def __init__(self):
        self.checked: set[int] = set()

    @hookimpl
    def ambassador_holds(self, ambassador):
        if ambassador.id in self.checked:
            return []
        return [Hold("record-check", "L’extrait de casier judiciaire n’a pas été vérifié.")]


def test_a_plugin_written_for_the_first_form_of_the_hook_still_holds_and_is_warned(
    make_app, make_people, run_cli
):
    plugin = FirstFormRecordCheck()
    with pytest.warns(DeprecationWarning, match="ambassador_holds\\(ambassador\\) is deprecated"):
        app = make_app(extra_plugins=[plugin])
    people = make_people(app)
    checked = people.ambassador("Soudeuse")
    unchecked = people.ambassador("Soudeur")
    plugin.checked.add(checked.id)

    result = run_cli(app, "holds", "rebuild")

    assert result.exit_code == 0, result.output
    client = client_of(app, people.educator())
    assert directory_ids(client) == [checked.id]
    with app.app_context():
        assert holds.current_holds(unchecked)["oldrecordcheck"][0].code == "record-check"
        assert holds.current_holds(checked)["oldrecordcheck"] == []
