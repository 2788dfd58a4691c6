"""The GDPR hooks: what a person can read of the plugin's data, what their erasure removes,
the register of processing activities, and retention periods applied."""

from __future__ import annotations

import datetime

from tremplin import clock
from tremplin.app import runtime_of
from tremplin.auth import service as accounts
from tremplin.plugins.charter import declarations
from tremplin.plugins.charter.models import (
    Acceptance,
    CharterVersion,
    Decision,
    Declaration,
    RecordCheck,
)
from tremplin.runtime import hooks

from .conftest import PDF


def plugin_answer(net, hook: str, person) -> dict | None:
    """What the charter plugin answers to ``hook`` for ``person``."""
    answers = net.run(lambda: getattr(hooks(), hook)(person=person))
    return next((answer for answer in answers if "Charte acceptée" in answer), None)


def test_hook_personal_data_gives_acceptances_checks_declarations_and_decisions(app, net):
    ambassador = net.ready("Soudeuse")
    referent = net.referent("59")
    with app.app_context():
        declarations.declare(
            net.account_of(ambassador), {"salaried": "no", "insurance_on": "2025-01-15"}
        )
    answer = plugin_answer(net, "personal_data", net.account_of(ambassador))
    assert [row["version"] for row in answer["Charte acceptée"]] == ["2025-1"]
    [check] = answer["Vérifications du casier judiciaire"]
    assert check["status"] == "verified"
    assert check["extract_issued_on"] == clock.today().isoformat()
    assert answer["Accord de l’employeur et assurance"][0]["insurance_on"] == "2025-01-15"

    other = net.registered("Soudeur", zones=["59"])
    net.decide(other, referent, outcome="refused")
    decided = net.run(lambda: hooks().personal_data(person=referent))
    assert {"Décisions prises en tant que référent"} <= {
        key for answer in decided for key in answer
    }


def test_hook_personal_data_answers_nothing_for_someone_the_plugin_knows_nothing_about(app, net):
    educator = net.educator()
    answers = net.run(lambda: hooks().personal_data(person=educator))
    assert not any("Charte acceptée" in answer for answer in answers)


def test_hook_erase_personal_data_removes_acceptances_checks_files_and_names_in_the_log(app, net):
    ambassador = net.registered("Soudeuse", zones=["59"])
    net.accept(ambassador)
    net.decide(ambassador, net.referent("59"), outcome="refused")
    net.declare(ambassador, PDF)  # a new extract, uploaded, waiting
    folder = runtime_of(app).region.files_folder / "charter"
    assert len(list(folder.iterdir())) == 1

    with app.app_context():
        accounts.erase_account(net.account_of(ambassador))
        assert Acceptance.select().count() == 0
        assert RecordCheck.select().count() == 0
        assert Declaration.select().count() == 0
        refused = Decision.get(Decision.kind == "check_refused")
        assert refused.ambassador_id is None
        assert refused.actor_id is not None
        assert CharterVersion.select().count() == 1
    assert list(folder.iterdir()) == []


def test_hook_erase_personal_data_of_a_referent_keeps_their_decisions_without_their_name(app, net):
    referent = net.referent("59")
    ambassador = net.registered("Soudeuse", zones=["59"])
    net.decide(ambassador, referent)
    with app.app_context():
        accounts.erase_account(referent)
        decided = Decision.get(Decision.kind == "check_verified")
        assert decided.actor_id is None
        assert decided.ambassador_id == ambassador.id
        assert RecordCheck.get().decided_by_id == referent.id  # the account row stays, anonymised


def test_hook_processing_activities_lists_the_charter_the_checks_and_the_declarations(app):
    rows = app.test_client().get("/api/v1/privacy/processing-activities").json
    names = [row["name"] for row in rows]
    assert "Charte des ambassadeurs" in names
    assert "Vérifications du casier judiciaire" in names
    assert "Accord de l’employeur et assurance" in names
    checks = next(row for row in rows if row["name"] == "Vérifications du casier judiciaire")
    assert "1095 jours" in checks["retention"]
    assert "7 jours au plus" in checks["retention"]
    assert "6.1.f" in checks["legal_basis"]
    english = (
        app.test_client()
        .get("/api/v1/privacy/processing-activities", headers={"Accept-Language": "en"})
        .json
    )
    assert "Checks of the criminal record" in [row["name"] for row in english]


def test_hook_purge_expired_deletes_old_checks_and_decisions_but_keeps_each_latest_check(
    app, net, run_cli
):
    ambassador = net.registered("Soudeuse")
    referent = net.admin()
    net.decide(ambassador, referent, outcome="refused")
    with clock.travel(datetime.timedelta(days=10)):
        net.decide(ambassador, referent)  # verified: the latest check
    with clock.travel(datetime.timedelta(days=1096)):
        result = run_cli(app, "purge")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert [check.status for check in RecordCheck.select()] == ["verified"]
        assert [row.kind for row in Decision.select()] == ["check_verified"]
