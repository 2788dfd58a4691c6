"""The check of the criminal record: the ambassador sends, shows or uploads the extract; a
referent of their territory records the outcome; no copy of the extract is kept."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest

from tremplin import clock
from tremplin.app import runtime_of
from tremplin.mail import delivery
from tremplin.mail.models import OutboxMessage
from tremplin.plugins.charter import reminders
from tremplin.plugins.charter.hooks import register_models
from tremplin.plugins.charter.models import CheckStatus, Decision, RecordCheck
from tremplin.testing import client_of, csrf_token_from

from .conftest import PDF

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def extracts_folder(app) -> Path:
    return runtime_of(app).region.files_folder / "charter"


def files_on_disk(app) -> list[Path]:
    folder = extracts_folder(app)
    return sorted(folder.iterdir()) if folder.is_dir() else []


def upload(client, content: bytes, filename: str = "casier.pdf"):
    token = csrf_token_from(client, "/charte/mon-dossier")
    return client.post(
        "/charte/mon-dossier/extrait",
        data={"action": "upload", "csrf_token": token, "extract": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def decide_on_page(client, check_id: int, **fields):
    url = f"/charte/verifications/{check_id}"
    return client.post(url, data={**fields, "csrf_token": csrf_token_from(client, url)})


def plugin_rows_contain(app, marker: bytes) -> bool:
    """Whether any value of any of the plugin's tables holds ``marker``."""
    with app.app_context():
        for model in register_models():
            for row in model.select().dicts():
                for value in row.values():
                    if isinstance(value, bytes | memoryview) and marker in bytes(value):
                        return True
                    if isinstance(value, str) and marker.decode("latin-1") in value:
                        return True
    return False


def sqlite_files_contain(app, marker: bytes) -> bool:
    url = runtime_of(app).region.database_url
    if not url.startswith("sqlite:"):
        return False
    database = Path(url.removeprefix("sqlite:///"))
    candidates = [database, database.with_name(database.name + "-wal")]
    return any(path.is_file() and marker in path.read_bytes() for path in candidates)


@pytest.fixture
def uploaded(app, net):
    """An ambassador of the Nord who accepted the charter and uploaded their extract."""
    ambassador = net.registered("Soudeuse", zones=["59"])
    net.accept(ambassador)
    client = client_of(app, net.account_of(ambassador))
    response = upload(client, PDF)
    assert response.status_code == 302
    check = net.run(lambda: RecordCheck.get(RecordCheck.ambassador == ambassador.id))
    return ambassador, check


def test_an_uploaded_extract_is_stored_encrypted_on_disk_and_never_in_the_database(
    app, net, uploaded
):
    ambassador, check = uploaded
    [stored] = files_on_disk(app)
    assert stored.name == check.file_name
    assert PDF not in stored.read_bytes()
    assert b"%PDF" not in stored.read_bytes()
    assert stored.stat().st_mode & 0o077 == 0  # readable by the instance's user only
    assert (check.status, check.delivery, check.file_type) == (
        "pending",
        "uploaded",
        "application/pdf",
    )
    assert not plugin_rows_contain(app, b"/Type /Catalog")
    assert not sqlite_files_contain(app, b"/Type /Catalog")
    assert net.holds_of(ambassador) == [("charter", "record-check")]


def test_a_referent_of_the_territory_views_the_extract_and_nobody_keeps_it_cached(
    app, net, uploaded
):
    _ambassador, check = uploaded
    referent = client_of(app, net.referent("59"))
    response = referent.get(f"/charte/verifications/{check.id}/extrait")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("outcome", ["verified", "refused"])
def test_no_file_of_the_extract_remains_on_disk_or_in_the_database_after_a_decision(
    app, net, uploaded, outcome
):
    ambassador, check = uploaded
    referent = client_of(app, net.referent("59"))
    response = decide_on_page(
        referent, check.id, outcome=outcome, extract_issued_on=clock.today().isoformat()
    )
    assert response.status_code == 302, response.text
    assert files_on_disk(app) == []
    decided = net.run(RecordCheck.get_by_id, check.id)
    assert decided.status == outcome
    assert (decided.file_name, decided.file_type, decided.file_size, decided.uploaded_at) == (
        None,
        None,
        None,
        None,
    )
    assert not plugin_rows_contain(app, b"/Type /Catalog")
    assert not sqlite_files_contain(app, b"/Type /Catalog")
    assert referent.get(f"/charte/verifications/{check.id}/extrait").status_code == 404
    expected = [] if outcome == "verified" else [("charter", "record-check")]
    assert net.holds_of(ambassador) == expected


def test_only_pdf_png_or_jpeg_files_are_taken(app, net):
    ambassador = net.registered("Soudeuse")
    client = client_of(app, net.account_of(ambassador))
    refused = upload(client, b"#!/bin/sh\necho hello\n", "casier.pdf")
    assert refused.status_code == 422
    assert "Envoyez un fichier PDF ou une photo (PNG ou JPEG)." in refused.text
    assert files_on_disk(app) == []
    assert net.run(RecordCheck.select().count) == 0
    assert upload(client, PNG, "casier.png").status_code == 302


def test_a_file_larger_than_the_region_s_limit_is_refused_and_not_kept(
    make_charter_app, make_network
):
    app = make_charter_app(upload_max_mb=1)
    net = make_network(app)
    ambassador = net.registered("Soudeuse")
    client = client_of(app, net.account_of(ambassador))
    refused = upload(client, PDF + b"0" * (1024 * 1024))
    assert refused.status_code == 422
    assert "Le fichier dépasse 1 Mo." in refused.text
    assert files_on_disk(app) == []


def test_an_extract_nobody_decided_on_is_deleted_after_the_set_number_of_days(
    app, net, uploaded, run_cli
):
    _ambassador, check = uploaded
    with clock.travel(datetime.timedelta(days=6)):
        assert run_cli(app, "purge").exit_code == 0
    assert len(files_on_disk(app)) == 1
    with clock.travel(datetime.timedelta(days=7, hours=1)):
        assert run_cli(app, "purge").exit_code == 0
    assert files_on_disk(app) == []
    kept = net.run(RecordCheck.get_by_id, check.id)
    assert (kept.status, kept.file_name) == ("pending", None)  # still waiting for a look
    assert net.run(lambda: [row.kind for row in Decision.select().order_by(Decision.id)]) == [
        "version_published",
        "extract_deleted",
    ]
    referent = client_of(app, net.referent("59"))
    page = referent.get(f"/charte/verifications/{check.id}").text
    assert "Le fichier déposé a été supprimé" in page


def test_a_file_left_behind_by_a_crash_is_swept_by_the_purge(app, net, uploaded, run_cli):
    folder = extracts_folder(app)
    (folder / "0123456789abcdef0123456789abcdef").write_bytes(b"orphan")
    (folder / ".half-written.part").write_bytes(b"partial")
    assert run_cli(app, "purge").exit_code == 0
    _ambassador, check = uploaded
    assert [path.name for path in files_on_disk(app)] == [check.file_name]


def test_a_referent_sees_the_waiting_checks_of_their_territories_only(app, net):
    nord = net.registered("Soudeuse", first_name="Lina", last_name="Dufour", zones=["59"])
    pas_de_calais = net.registered("Soudeur", first_name="Yanis", last_name="Caron", zones=["62"])
    net.declare(nord)
    net.declare(pas_de_calais)

    referent = client_of(app, net.referent("59"))
    queue = referent.get("/charte/verifications").text
    assert "Lina Dufour" in queue  # the full name, to compare with the extract
    assert "Yanis Caron" not in queue
    admin = client_of(app, net.admin())
    assert "Yanis Caron" in admin.get("/charte/verifications").text
    educator = client_of(app, net.educator())
    assert educator.get("/charte/verifications").status_code == 403


def test_a_referent_of_another_territory_can_neither_see_nor_decide_a_check(app, net, uploaded):
    _ambassador, check = uploaded
    stranger = client_of(app, net.referent("62"))
    assert stranger.get(f"/charte/verifications/{check.id}").status_code == 404
    assert stranger.get(f"/charte/verifications/{check.id}/extrait").status_code == 404
    own = client_of(app, net.referent("59"))
    token = csrf_token_from(own, f"/charte/verifications/{check.id}")
    response = stranger.post(
        f"/charte/verifications/{check.id}",
        data={
            "outcome": "verified",
            "extract_issued_on": clock.today().isoformat(),
            "csrf_token": token,
        },
    )
    assert response.status_code in (400, 404)  # another session's token, or not theirs
    assert net.run(RecordCheck.get_by_id, check.id).status == "pending"
    assert len(files_on_disk(app)) == 1


@pytest.mark.parametrize(
    ("issued_days_ago", "message"),
    [
        (91, "L’extrait a été délivré il y a plus de 90 jours : demandez-en un récent."),
        (-1, "La date de délivrance ne peut pas être dans le futur."),
        (None, "Indiquez la date de délivrance imprimée sur l’extrait."),
    ],
)
def test_verifying_needs_the_date_of_a_recent_extract(app, net, uploaded, issued_days_ago, message):
    _ambassador, check = uploaded
    referent = client_of(app, net.referent("59"))
    fields = {"outcome": "verified"}
    if issued_days_ago is not None:
        issued = clock.today() - datetime.timedelta(days=issued_days_ago)
        fields["extract_issued_on"] = issued.isoformat()
    response = decide_on_page(referent, check.id, **fields)
    assert response.status_code == 422
    assert message in response.text
    assert net.run(RecordCheck.get_by_id, check.id).status == "pending"
    assert len(files_on_disk(app)) == 1  # nothing decided, the file is still to be seen


def test_a_check_is_decided_once(app, net, uploaded):
    _ambassador, check = uploaded
    first = client_of(app, net.referent("59"))
    second = client_of(app, net.admin())
    url = f"/charte/verifications/{check.id}"
    token = csrf_token_from(second, url)
    assert decide_on_page(first, check.id, outcome="refused").status_code == 302
    late = second.post(
        url,
        data={
            "outcome": "verified",
            "extract_issued_on": clock.today().isoformat(),
            "csrf_token": token,
        },
    )
    assert late.status_code == 409
    assert "Cette vérification a déjà été décidée." in late.text
    assert net.run(RecordCheck.get_by_id, check.id).status == "refused"


def test_every_decision_is_in_the_log_with_who_what_when_and_the_outcome(app, net, uploaded):
    ambassador, check = uploaded
    referent_account = net.referent("59", first_name="Maëlle", last_name="Bertin")
    referent = client_of(app, referent_account)
    issued = clock.today() - datetime.timedelta(days=10)
    decide_on_page(referent, check.id, outcome="verified", extract_issued_on=issued.isoformat())

    with app.app_context():
        [line] = Decision.select().where(Decision.kind == "check_verified")
    assert (line.actor_id, line.ambassador_id, line.extract_issued_on) == (
        referent_account.id,
        ambassador.id,
        issued,
    )
    log = referent.get("/charte/journal").text
    assert "Maëlle Bertin" in log
    assert "Casier judiciaire vérifié" in log
    assert "Charte publiée" in log
    other = client_of(app, net.referent("62")).get("/charte/journal").text
    assert "Casier judiciaire vérifié" not in other  # not an ambassador of theirs
    assert "Charte publiée" in other
    assert client_of(app, net.educator()).get("/charte/journal").status_code == 403


def test_the_ambassador_is_told_of_the_decision_by_email(app, net, uploaded):
    ambassador, check = uploaded
    referent = client_of(app, net.referent("59"))
    decide_on_page(
        referent, check.id, outcome="verified", extract_issued_on=clock.today().isoformat()
    )
    [email] = net.emails()
    assert email.recipient == net.account_of(ambassador).email
    assert email.template == "charter/email/check_verified"
    valid_until = clock.today() + datetime.timedelta(days=1095)
    assert email.context["valid_until"] == valid_until.isoformat()


def test_declaring_twice_keeps_one_waiting_check(app, net):
    ambassador = net.registered("Soudeuse")
    first = net.declare(ambassador)
    second = net.declare(ambassador, PDF)
    assert second.id == first.id
    assert net.run(RecordCheck.select().count) == 1
    assert len(files_on_disk(app)) == 1
    net.declare(ambassador, PNG)  # a new upload replaces the file
    [stored] = files_on_disk(app)
    assert stored.name == net.run(RecordCheck.get_by_id, first.id).file_name


def test_a_renewal_keeps_the_ambassador_found_until_the_old_check_ends(app, net):
    ambassador = net.ready("Soudeuse", zones=["59"])
    net.declare(ambassador)  # a new extract, sent before the old check ends
    assert net.holds_of(ambassador) == []
    referent = client_of(app, net.referent("59"))
    assert "(renouvellement)" in referent.get("/charte/verifications").text


def test_the_ambassador_is_reminded_once_before_the_check_must_be_renewed(app, net):
    ambassador = net.ready("Soudeuse")
    net.run(lambda: OutboxMessage.delete().execute())  # the decision's email
    with clock.travel(datetime.timedelta(days=1095 - 31)):
        assert net.run(reminders.hourly)["reminded"] == 0
    with clock.travel(datetime.timedelta(days=1095 - 30)):
        assert net.run(reminders.hourly)["reminded"] == 1
        assert net.run(reminders.hourly)["reminded"] == 0
    [email] = net.emails()
    assert email.template == "charter/email/renewal"
    assert email.context["days"] == 30
    assert net.account_of(ambassador).email == email.recipient
    with app.app_context():
        rendered = delivery.render(OutboxMessage.get(OutboxMessage.template == email.template))
    assert rendered.subject == "Votre extrait de casier judiciaire doit être renouvelé"
    ends = clock.today() + datetime.timedelta(days=1095)
    assert f"prend fin dans 30 jours, le {ends.day} " in rendered.body
    assert "/charte/mon-dossier" in rendered.body


def test_no_reminder_once_a_new_extract_is_provided(app, net):
    ambassador = net.ready("Soudeuse")
    net.declare(ambassador)
    with clock.travel(datetime.timedelta(days=1095 - 10)):
        assert net.run(reminders.hourly)["reminded"] == 0


def test_the_decision_status_values_are_the_ones_the_holds_know(app):
    assert {status.value for status in CheckStatus} == {"pending", "verified", "refused"}
