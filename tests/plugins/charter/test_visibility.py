"""Done when: an ambassador who has not accepted the charter in force, or whose check of the
criminal record is missing, waiting, refused or expired, is in no search and cannot be
requested, seen through the core's own directory and request endpoints."""

from __future__ import annotations

import datetime

import pytest

from tremplin import clock
from tremplin.auth.models import Account, AccountStatus
from tremplin.errors import Invalid
from tremplin.interventions.models import Intervention
from tremplin.people import registration
from tremplin.people import service as people
from tremplin.plugins.charter import reminders
from tremplin.testing import api_client, client_of


def next_year() -> int:
    """Next year by the test's clock: December dates of it are ahead, in winter time."""
    return clock.now().year + 1


def found(client, query: str = "q=soud") -> list[int]:
    """Ids the directory API gives for ``query``."""
    response = client.get(f"/api/v1/ambassadors/?{query}")
    assert response.status_code == 200, response.json
    return sorted(item["id"] for item in response.json)


def class_talk(net, educator, ambassador) -> dict:
    """The JSON body of a class-talk request of ``educator``'s school to ``ambassador``."""
    from tremplin.auth.models import Role, RoleGrant

    school = net.run(
        lambda: (
            RoleGrant.get(
                RoleGrant.account == educator.id, RoleGrant.role == Role.EDUCATOR
            ).organisation_id
        )
    )
    return {
        "ambassador": ambassador.id,
        "organisation": school,
        "intervention_type": "class_talk",
        "mode": "on_site",
        "audience_level": "college_3",
        "group_size": 25,
        "duration_minutes": 45,
        "slots": [f"{next_year()}-12-03T10:00:00", f"{next_year()}-12-05T14:00:00"],
    }


def assert_hidden_and_unrequestable(app, net, ambassador) -> None:
    educator = net.educator()
    school = api_client(app, educator)
    assert ambassador.id not in found(school)
    assert ambassador.id not in found(school, "q=soud&available=false")
    assert school.get(f"/api/v1/ambassadors/{ambassador.id}").status_code == 404
    assert f"/ambassadeurs/{ambassador.id}" not in school.get("/ambassadeurs?q=soud").text
    refused = school.post("/api/v1/interventions/", json=class_talk(net, educator, ambassador))
    assert refused.status_code == 422, refused.json
    assert "ambassador" in refused.json["errors"]["json"]
    assert net.run(Intervention.select().count) == 0


def assert_found_and_requestable(app, net, ambassador) -> None:
    educator = net.educator()
    school = api_client(app, educator)
    assert ambassador.id in found(school)
    created = school.post("/api/v1/interventions/", json=class_talk(net, educator, ambassador))
    assert created.status_code == 201, created.json


def test_an_ambassador_who_accepted_the_charter_and_was_verified_is_found_and_requested(app, net):
    ambassador = net.ready("Soudeuse")
    assert net.holds_of(ambassador) == []
    assert_found_and_requestable(app, net, ambassador)


def test_an_ambassador_who_has_not_accepted_the_charter_is_in_no_search_and_cannot_be_requested(
    app, net
):
    ambassador = net.registered("Soudeuse")
    net.decide(ambassador, net.admin())
    assert net.holds_of(ambassador) == [("charter", "charter")]
    assert_hidden_and_unrequestable(app, net, ambassador)

    net.accept(ambassador)
    assert_found_and_requestable(app, net, ambassador)


def test_an_ambassador_whose_extract_is_missing_or_waiting_is_in_no_search(app, net):
    ambassador = net.registered("Soudeuse")
    net.accept(ambassador)
    assert net.holds_of(ambassador) == [("charter", "record-check")]
    assert_hidden_and_unrequestable(app, net, ambassador)

    net.declare(ambassador)  # sent to the referent: waiting for the check
    assert net.holds_of(ambassador) == [("charter", "record-check")]
    assert_hidden_and_unrequestable(app, net, ambassador)


def test_an_ambassador_whose_check_was_refused_is_in_no_search_and_cannot_be_requested(app, net):
    ambassador = net.registered("Soudeuse")
    net.accept(ambassador)
    net.decide(ambassador, net.referent("59"), outcome="refused")
    assert net.holds_of(ambassador) == [("charter", "record-check")]
    assert_hidden_and_unrequestable(app, net, ambassador)


def test_an_ambassador_whose_check_expired_is_hidden_by_the_hourly_task(app, net):
    ambassador = net.ready("Soudeuse")
    with clock.travel(datetime.timedelta(days=1096)):
        net.run(reminders.hourly)
        assert net.holds_of(ambassador) == [("charter", "record-check")]
        assert_hidden_and_unrequestable(app, net, ambassador)


def test_a_new_version_hides_everyone_until_they_accept_it_again(app, net):
    ambassador = net.ready("Soudeuse")
    net.publish("2026-1")
    assert net.holds_of(ambassador) == [("charter", "charter")]
    assert_hidden_and_unrequestable(app, net, ambassador)

    net.accept(ambassador, "2026-1")
    assert_found_and_requestable(app, net, ambassador)


def test_a_version_taking_effect_later_hides_nobody_before_its_day(app, net):
    ambassador = net.ready("Soudeuse")
    net.publish("2026-1", effective_on=clock.today() + datetime.timedelta(days=10))
    assert net.holds_of(ambassador) == []

    with clock.travel(datetime.timedelta(days=10)):
        net.run(reminders.hourly)
        assert net.holds_of(ambassador) == [("charter", "charter")]
        assert_hidden_and_unrequestable(app, net, ambassador)


def test_accepting_the_next_version_early_keeps_the_ambassador_found_when_it_takes_effect(app, net):
    ambassador = net.ready("Soudeuse")
    net.publish("2026-1", effective_on=clock.today() + datetime.timedelta(days=10))
    net.accept(ambassador, "2026-1")
    with clock.travel(datetime.timedelta(days=10)):
        net.run(reminders.hourly)
        assert net.holds_of(ambassador) == []


def test_an_ambassador_who_registers_is_held_until_their_record_is_checked(app, net):
    with app.app_context():
        ambassador = registration.register_ambassador(
            {
                "kind": "professional",
                "first_name": "Inès",
                "last_name": "Vasseur",
                "email": "ines@example.org",
                "occupation": "Soudeuse",
                "intervention_types": ["class_talk"],
                "modes": ["on_site"],
                "zones": ["59"],
            },
            accepted={"accept_charter": "2025-1"},
        )
        Account.update(status=AccountStatus.ACTIVE).where(
            Account.id == ambassador.account_id
        ).execute()
    # The charter was accepted while registering; the extract is still to send.
    assert net.holds_of(ambassador) == [("charter", "record-check")]
    assert_hidden_and_unrequestable(app, net, ambassador)


def test_registering_without_accepting_the_charter_is_refused(app, net):
    with app.app_context():
        with pytest.raises(Invalid) as refused:
            registration.register_ambassador(
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
        assert list(refused.value.errors) == ["accept_charter"]
        assert Account.select().count() == 0


def test_ambassadors_imported_from_a_file_are_held_from_the_start(app, net, run_cli, tmp_path):
    rows = tmp_path / "ambassadors.csv"
    rows.write_text(
        "email,first_name,last_name,kind,occupation,rome_code,sector,intervention_types,"
        "modes,zones,monthly_capacity\n"
        "noe@example.org,Noé,Lefebvre,professional,Soudeur,,,class_talk,on_site,59,2\n",
        encoding="utf-8",
    )
    result = run_cli(app, "import", "ambassadors", str(rows))
    assert result.exit_code == 0, result.output
    with app.app_context():
        account = Account.get(Account.email == "noe@example.org")
        account.status = AccountStatus.ACTIVE
        account.save()
        ambassador = people.ambassador_of(account)
    assert net.holds_of(ambassador) == [("charter", "charter"), ("charter", "record-check")]
    assert_hidden_and_unrequestable(app, net, ambassador)


def test_a_referent_sees_the_plugin_s_reasons_on_the_core_s_hidden_page(app, net):
    ambassador = net.registered("Soudeuse", zones=["59"])
    referent = client_of(app, net.referent("59"))
    page = referent.get(f"/ambassadeurs/{ambassador.id}/retenues").text
    assert "La charte (version 2025-1) n’est pas encore acceptée." in page
    assert "Aucun extrait de casier judiciaire n’a encore été fourni." in page
    assert "tremplin holds rebuild" not in page  # stored holds are what the plugin says
