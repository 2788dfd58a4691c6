"""The rest of what the plugin contributes through hooks: holds rebuilt and explained,
settings checked, tables and migrations, the task queue, menus, dashboards, start-up."""

from __future__ import annotations

import datetime

import pytest

from tremplin import clock
from tremplin.app import runtime_of
from tremplin.auth.models import Account, AccountStatus
from tremplin.db import database
from tremplin.people.holds import current_holds
from tremplin.people.models import AmbassadorHold
from tremplin.plugins.charter import reminders, requirements
from tremplin.region import ConfigError
from tremplin.testing import client_of


def test_hook_ambassador_holds_rebuilds_holds_removed_by_hand(app, net, run_cli):
    held = net.registered("Soudeuse")
    ready = net.ready("Soudeur")
    net.run(lambda: AmbassadorHold.delete().execute())

    result = run_cli(app, "holds", "rebuild")

    assert result.exit_code == 0, result.output
    assert "2 ajoutée(s), 0 levée(s)" in result.output
    assert net.holds_of(held) == [("charter", "charter"), ("charter", "record-check")]
    assert net.holds_of(ready) == []


def test_hook_ambassador_holds_gives_each_missing_step_with_its_reason(app, net):
    ambassador = net.registered("Soudeuse")
    net.accept(ambassador)
    net.declare(ambassador)
    with app.app_context():
        answer = current_holds(ambassador)["charter"]
    assert [(hold.code, hold.reason) for hold in answer] == [
        ("record-check", "L’extrait de casier judiciaire attend la vérification d’un référent.")
    ]


def test_hook_register_settings_schema_refuses_unknown_keys_and_wrong_values(make_app):
    with pytest.raises(ConfigError) as unknown:
        make_app(plugins=["charter"], settings={"charter": {"colour": "blue"}})
    assert unknown.value.key == "plugins.charter.colour"
    with pytest.raises(ConfigError) as late:
        make_app(
            plugins=["charter"],
            settings={"charter": {"check_valid_days": 60, "renewal_reminder_days": 60}},
        )
    assert late.value.key == "plugins.charter.renewal_reminder_days"
    assert late.value.reason == "doit être inférieur à check_valid_days"


def test_hook_register_models_and_migrations_create_every_table_of_the_plugin(app, run_cli):
    check = run_cli(app, "db", "check")
    assert check.exit_code == 0, check.output
    status = run_cli(app, "db", "status").output
    assert "charter/0001_create_charter\t" in status
    with app.app_context():
        tables = set(runtime_of(app).database.get_tables())
    assert {
        "charter_version",
        "charter_acceptance",
        "charter_record_check",
        "charter_declaration",
        "charter_decision",
    } <= tables


def test_hook_register_tasks_runs_the_hourly_task_at_twenty_past(app, net):
    queue = runtime_of(app).queue
    assert "charter.hourly" in queue.tasks
    ambassador = net.ready("Soudeuse")
    later = (clock.now() + datetime.timedelta(days=1096)).replace(second=0, microsecond=0)
    with clock.travel(datetime.timedelta(days=1096)):  # the check has expired
        queue.run_due(later.replace(minute=21))
        assert net.holds_of(ambassador) == []  # not due at 21 past
        queue.run_due(later.replace(minute=20))
        assert net.holds_of(ambassador) == [("charter", "record-check")]


def test_hook_menu_links_lead_each_person_to_their_part(app, net):
    assert 'href="/charte"' in app.test_client().get("/").text
    ambassador = client_of(app, net.account_of(net.ready("Soudeuse")))
    assert "Ma charte et mes vérifications" in ambassador.get("/").text
    referent = client_of(app, net.referent("59"))
    assert "Vérifications à faire" in referent.get("/").text
    educator = client_of(app, net.educator()).get("/").text
    assert "Vérifications à faire" not in educator
    assert "Ma charte" not in educator


def test_hook_dashboard_panels_say_what_is_missing_and_what_waits(app, net):
    ambassador = net.registered("Soudeuse", zones=["59"])
    net.accept(ambassador)
    net.declare(ambassador)
    own = client_of(app, net.account_of(ambassador)).get("/tableau-de-bord").text
    assert "Avant de recevoir des demandes" in own
    assert "L’extrait de casier judiciaire attend la vérification d’un référent." in own
    referent = client_of(app, net.referent("59")).get("/tableau-de-bord").text
    assert "1 vérification attend dans vos territoires." in referent


def test_hook_startup_brings_the_holds_up_to_date_once_the_tables_exist(make_app, make_network):
    first = make_app(plugins=["charter"])
    net = make_network(first)
    net.publish()
    ambassador = net.ambassador("Soudeuse")  # made without computing holds
    assert net.holds_of(ambassador) == []
    net.app = make_app(plugins=["charter"], migrate=False)
    assert net.holds_of(ambassador) == [("charter", "charter"), ("charter", "record-check")]


def test_holds_are_brought_up_to_date_a_few_ambassadors_at_a_time_with_the_same_result(
    app, net, monkeypatch
):
    # Start-up brings everyone's holds up to date in each web worker: at 100,000
    # ambassadors, reading them all at once took 30 MB of every worker's memory.
    net.registered("Soudeuse")
    left = net.registered("Plombier")  # deleted below: their holds go, between two pages
    net.ready("Soudeur")
    accepted = net.registered("Cuisinier")
    net.accept(accepted)
    declared = net.registered("Infirmière")
    net.declare(declared)
    net.ambassador("Logisticien")  # made without computing holds
    stale = net.registered("Technicienne")
    gone = net.registered("Comptable")  # deleted below: the last page's holds go too
    net.run(
        lambda: (
            AmbassadorHold.update(reason="an old reason")
            .where(AmbassadorHold.ambassador == stale.id)
            .execute()
        )
    )
    net.run(
        lambda: (
            Account.update(status=AccountStatus.DELETED)
            .where(Account.id.in_([left.account_id, gone.account_id]))
            .execute()
        )
    )
    read = []
    standings = requirements.standings

    def counted(*args, **kwargs):
        found = standings(*args, **kwargs)
        read.append(len(found))
        return found

    monkeypatch.setattr(requirements, "standings", counted)

    def synced(batch: int):
        monkeypatch.setattr(requirements, "SYNC_BATCH", batch)
        read.clear()
        with database.atomic() as transaction:
            outcome = requirements.sync()
            rows = sorted(
                (row.ambassador_id, row.code, row.reason) for row in AmbassadorHold.select()
            )
            transaction.rollback()
        return outcome, rows, list(read)

    at_once = net.run(synced, 1000)
    by_two = net.run(synced, 2)
    assert by_two[:2] == at_once[:2]
    assert at_once[0] == requirements.SyncOutcome(added=2, removed=4, updated=2)
    assert at_once[2] == [6]  # every ambassador but the deleted ones
    assert max(by_two[2]) <= 2
    assert sum(by_two[2]) == 6


def test_the_hourly_task_does_nothing_twice(app, net):
    net.ready("Soudeuse")
    with clock.travel(datetime.timedelta(days=1096)):
        first = net.run(reminders.hourly)
        second = net.run(reminders.hourly)
    assert first["holds_added"] == 1
    assert second == {"holds_added": 0, "holds_removed": 0, "reminded": 0}
