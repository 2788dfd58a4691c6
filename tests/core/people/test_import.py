"""``tremplin import ambassadors FILE``: a region moving from another platform."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tremplin import hookimpl
from tremplin.auth import service as accounts
from tremplin.auth import tokens
from tremplin.auth.models import Account, AccountStatus, Role, RoleGrant
from tremplin.imports import Importer
from tremplin.mail.models import OutboxMessage
from tremplin.people import importer
from tremplin.people.models import Ambassador, AmbassadorOffer, AmbassadorZone
from tremplin.reports import ImportReport
from tremplin.testing import MINIMAL_REGION, has_planner_statistics

HEADER = (
    "email,first_name,last_name,kind,occupation,rome_code,sector,"
    "intervention_types,modes,zones,monthly_capacity"
)


@pytest.fixture
def region(tmp_path) -> Path:
    folder = tmp_path / "region"
    folder.mkdir()
    (folder / "tremplin.toml").write_text(MINIMAL_REGION, encoding="utf-8")
    return folder


@pytest.fixture
def import_app(make_app, make_people, region):
    app = make_app(region=region)
    make_people(app)  # the territory tree
    return app


def write(path: Path, lines: list[str], header: str = HEADER) -> Path:
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def row(number: int, **changes: str) -> str:
    values = {
        "email": f"ambassadeur{number}@example.org",
        "first_name": "Camille",
        "last_name": f"Nom{number}",
        "kind": "professional",
        "occupation": f"Soudeuse {number}",
        "rome_code": "H2913",
        "sector": "Industrie",
        "intervention_types": "class_talk|company_visit",
        "modes": "on_site|remote",
        "zones": "59|bef-62-arras",
        "monthly_capacity": "2",
        **changes,
    }
    return ",".join(values[column] for column in HEADER.split(","))


def counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            "accounts": Account.select().count(),
            "grants": RoleGrant.select().where(RoleGrant.role == Role.AMBASSADOR).count(),
            "ambassadors": Ambassador.select().count(),
            "offers": AmbassadorOffer.select().count(),
            "zones": AmbassadorZone.select().count(),
            "emails": OutboxMessage.select()
            .where(OutboxMessage.template == "auth/email/activate")
            .count(),
        }


def test_ten_thousand_ambassadors_import_and_a_rerun_changes_nothing(
    import_app, run_cli, tmp_path, monkeypatch
):
    # The command sends the queued emails when it ends (command_finished): 10,000 of them take
    # longer than the import itself, and are tested below on a few rows.
    monkeypatch.setattr("tremplin.mail.service.dispatch_queued", lambda: None)
    path = write(tmp_path / "ambassadeurs.csv", [row(number) for number in range(10_000)])

    result = run_cli(import_app, "import", "ambassadors", str(path))

    assert result.exit_code == 0, result.output
    assert "Ambassadeurs : 10000 créé(s), 0 mis à jour, 0 inchangé(s), 0 rejeté(s)" in result.output
    assert counts(import_app) == {
        "accounts": 10_000,
        "grants": 10_000,
        "ambassadors": 10_000,
        "offers": 20_000,
        "zones": 20_000,
        "emails": 10_000,
    }
    with import_app.app_context():
        account = Account.get(Account.email == "ambassadeur9999@example.org")
        ambassador = Ambassador.get(Ambassador.account == account)
        assert account.status == AccountStatus.PENDING
        assert account.password_hash is None
        assert ambassador.search_text == "soudeuse 9999 industrie h2913 soudeur"
        assert (ambassador.on_site, ambassador.remote) == (True, True)

    again = run_cli(import_app, "import", "ambassadors", str(path))
    assert "10000 inchangé(s)" in again.output
    assert counts(import_app)["emails"] == 10_000  # no second activation email


def test_the_command_refreshes_the_planner_s_statistics_after_writing(
    import_app, run_cli, tmp_path
):
    # Without them SQLite plans searches on guesses (see docs/performance.md).
    assert not has_planner_statistics(import_app, "ambassador")
    run_cli(import_app, "import", "ambassadors", str(write(tmp_path / "a.csv", [row(1)])))
    assert has_planner_statistics(import_app, "ambassador")


def test_the_command_sends_the_activation_emails_of_new_accounts_only(
    import_app, run_cli, tmp_path
):
    mailman = import_app.extensions["mailman"]  # the locmem backend keeps sent emails here
    first = write(tmp_path / "v1.csv", [row(1), row(2)])
    run_cli(import_app, "import", "ambassadors", str(first))
    sent = [message.to for message in getattr(mailman, "outbox", [])]
    assert sorted(sent) == [["ambassadeur1@example.org"], ["ambassadeur2@example.org"]]

    second = write(tmp_path / "v2.csv", [row(1), row(2), row(3)])
    run_cli(import_app, "import", "ambassadors", str(second))
    sent = [message.to for message in getattr(mailman, "outbox", [])]
    assert sorted(sent)[-1] == ["ambassadeur3@example.org"]
    assert len(sent) == 3


def test_the_activation_link_of_an_imported_ambassador_activates_their_account(
    import_app, run_cli, tmp_path, monkeypatch
):
    monkeypatch.setattr("tremplin.mail.service.dispatch_queued", lambda: None)
    run_cli(import_app, "import", "ambassadors", str(write(tmp_path / "a.csv", [row(1), row(2)])))
    with import_app.app_context():
        account = Account.get(Account.email == "ambassadeur2@example.org")
        message = OutboxMessage.get(OutboxMessage.recipient == account.email)
        token = json.loads(message.context)["token"]
        claims = tokens.read(tokens.Purpose.ACTIVATION, token)
        assert (claims.account_id, claims.nonce) == (account.id, account.token_nonce)

        activated = accounts.activate(token, "Un mot de passe solide 2026")

        assert activated.id == account.id
        assert activated.status == AccountStatus.ACTIVE


def test_bad_rows_are_reported_with_their_line_and_the_others_imported(
    import_app, run_cli, tmp_path
):
    path = write(
        tmp_path / "ambassadeurs.csv",
        [
            row(1),  # line 2
            row(2, email="pas-une-adresse"),  # line 3
            row(3, rome_code="12345"),  # line 4
            row(4, zones="59|atlantide"),  # line 5
            row(5, intervention_types="class_talk|party"),  # line 6
            row(6, monthly_capacity="-1"),  # line 7
            row(7, kind="pirate"),  # line 8
            row(1, occupation="Doublon"),  # line 9
            row(8, modes=""),  # line 10
            row(9),  # line 11
        ],
    )

    result = run_cli(import_app, "import", "ambassadors", str(path))

    assert result.exit_code == 1
    assert "Ambassadeurs : 2 créé(s), 0 mis à jour, 0 inchangé(s), 8 rejeté(s)" in result.output
    for line, reason in [
        (3, "email : adresse électronique non valide"),
        (4, "rome_code : un code ROME est une lettre suivie de quatre chiffres"),
        (5, "zones : territoire inconnu : atlantide"),
        (6, "intervention_types"),
        (7, "monthly_capacity"),
        (8, "kind"),
        (9, "email : ambassadeur1@example.org figure déjà à la ligne 2"),
        (10, "modes"),
    ]:
        assert f"ligne {line} : {reason}" in result.output, (line, result.output)
    with import_app.app_context():
        assert sorted(account.email for account in Account.select()) == [
            "ambassadeur1@example.org",
            "ambassadeur9@example.org",
        ]


def test_one_bad_row_in_the_middle_of_a_large_import_is_reported_with_its_line(
    import_app, run_cli, tmp_path, monkeypatch
):
    # Rows are written in chunks (COPY on PostgreSQL): the bad row sits in the second one.
    monkeypatch.setattr("tremplin.mail.service.dispatch_queued", lambda: None)
    lines = [row(number) for number in range(2_500)]
    lines[1_400] = row(1_400, zones="59|atlantide")  # line 1,402 (the header is line 1)
    path = write(tmp_path / "ambassadeurs.csv", lines)

    result = run_cli(import_app, "import", "ambassadors", str(path))

    assert result.exit_code == 1
    assert "2499 créé(s), 0 mis à jour, 0 inchangé(s), 1 rejeté(s)" in result.output
    assert "ligne 1402 : zones : territoire inconnu : atlantide" in result.output
    with import_app.app_context():
        assert not Account.select().where(Account.email == "ambassadeur1400@example.org").exists()
        account = Account.get(Account.email == "ambassadeur2000@example.org")
        assert Ambassador.get(Ambassador.account == account).occupation == "Soudeuse 2000"


def test_a_changed_row_updates_the_ambassador_without_a_new_email(import_app, run_cli, tmp_path):
    first = write(tmp_path / "v1.csv", [row(1), row(2)])
    run_cli(import_app, "import", "ambassadors", str(first))
    second = write(
        tmp_path / "v2.csv",
        [row(1, occupation="Chaudronnière", zones="62", intervention_types="forum"), row(2)],
    )

    result = run_cli(import_app, "import", "ambassadors", str(second))

    assert "0 créé(s), 1 mis à jour, 1 inchangé(s), 0 rejeté(s)" in result.output
    with import_app.app_context():
        ambassador = Ambassador.get(Ambassador.occupation == "Chaudronnière")
        assert ambassador.search_text == "chaudronniere industrie h2913 chaudronnier"
        assert [zone.territory.code for zone in ambassador.zones] == ["62"]
        assert [offer.intervention_type for offer in ambassador.offers] == ["forum"]
    assert counts(import_app)["emails"] == 2


def test_columns_absent_from_the_file_are_left_alone(import_app, tmp_path):
    with import_app.app_context():
        importer.load([(2, _parsed(row(1), presentation="Je soude depuis 20 ans."))])
        report = importer.load([(2, _parsed(row(1)))])
        assert (report.updated, report.unchanged) == (0, 1)
        assert Ambassador.get().presentation == "Je soude depuis 20 ans."


def test_an_email_of_another_kind_of_account_is_refused(import_app, make_people, tmp_path):
    make_people(import_app).account(email="ambassadeur1@example.org")
    with import_app.app_context():
        report = importer.load([(2, _parsed(row(1)))])
    assert [(rejection.line, rejection.reason) for rejection in report.rejected] == [
        (2, "email : un compte qui n’est pas celui d’un ambassadeur utilise déjà cette adresse")
    ]


def test_a_file_without_the_columns_is_refused_in_one_line(import_app, run_cli, tmp_path):
    path = write(tmp_path / "bad.csv", ["a@example.org,Camille"], header="email,first_name")
    result = run_cli(import_app, "import", "ambassadors", str(path))
    assert result.exit_code == 2
    assert "occupation" in result.output


def test_hook_register_importers_lets_tremplin_import_read_a_plugin_s_records(
    make_app, run_cli, tmp_path
):
    received = []

    def load(rows):
        report = ImportReport(subject="Forums")
        for line, values in rows:
            received.append((line, values))
            report.created += 1
        return report

    class Forums:
        name = "forums"

        @hookimpl
        def register_importers(self):
            return [Importer("forums", "Forums", ("name", "day"), load)]

    app = make_app(extra_plugins=[Forums()])
    path = write(tmp_path / "forums.csv", ["Forum de Lens,2031-03-01"], header="name,day")

    result = run_cli(app, "import", "forums", str(path))

    assert result.exit_code == 0, result.output
    assert received == [(2, {"name": "Forum de Lens", "day": "2031-03-01"})]
    assert "Forums : 1 créé(s)" in result.output


def _parsed(line: str, **extra: str) -> dict[str, str | None]:
    values = dict(zip(HEADER.split(","), next(csv.reader([line])), strict=True))
    return {**values, **extra}
