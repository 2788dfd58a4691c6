"""Documents: PDFs from the pages' templates, numbered when issued, immutable, corrected."""

from __future__ import annotations

import datetime
import hashlib
import subprocess
import sys

import pytest

from tremplin import clock, storage
from tremplin.documents import numbering, rendering, service
from tremplin.documents.models import Document, DocumentStatus
from tremplin.errors import Conflict, Invalid
from tremplin.i18n import using_locale
from tremplin.testing import pdf_text

from .conftest import receipt_context


def test_a_draft_is_a_pdf_made_from_the_plugins_template_with_the_site_layout(run, draft):
    document = draft()
    text = pdf_text(run(service.pdf_of, document))

    assert "Région de test" in text  # the layout of documents/base.html, the region's name
    assert "Reçu de mécénat" in text
    assert "Donateur : Ateliers Vasseur" in text
    assert "Montant : 1 250,00 euros" in text
    assert "Projet, version 1" in text
    assert document.status == DocumentStatus.DRAFT
    assert document.number is None


def test_the_stored_bytes_are_those_of_the_recorded_sha256(run, draft):
    document = draft()
    data = run(service.pdf_of, document)
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == document.sha256
    assert len(data) == document.size


def test_issuing_gives_the_first_number_of_the_year_and_prints_it(run, draft):
    document = draft()
    with clock.travel(_until(datetime.datetime(2026, 6, 1, 10, 0))):
        issued = run(service.issue, document)

    assert issued.status == DocumentStatus.ISSUED
    assert issued.number == "2026-000001"
    text = pdf_text(run(service.pdf_of, issued))
    assert "Reçu numéro 2026-000001" in text
    assert "N° 2026-000001" in text  # documents/base.html, in French
    assert run(service.file_name, issued) == "receipts.receipt-2026-000001.pdf"


def test_numbers_follow_each_other_per_kind_and_start_again_each_year(run, draft):
    with clock.travel(_until(datetime.datetime(2026, 12, 31, 22, 0))):  # 23:00 in Paris
        first = run(service.issue, draft())
        second = run(service.issue, draft())
        other_kind = run(service.issue, draft(kind="receipts.attestation"))
    with clock.travel(_until(datetime.datetime(2026, 12, 31, 23, 30))):  # 00:30 in Paris
        new_year = run(service.issue, draft())

    assert [first.number, second.number] == ["2026-000001", "2026-000002"]
    assert other_kind.number == "2026-000001"
    assert new_year.number == "2027-000001"


def test_a_document_issued_at_once_is_numbered_and_rendered_once(run):
    with clock.travel(_until(datetime.datetime(2026, 2, 2, 9, 0))):
        document = run(
            service.issue_new,
            "receipts.receipt",
            "receipts",
            "donation:9",
            "Reçu de mécénat",
            "receipts/receipt.html",
            receipt_context(donor="Boulangerie Lemaire"),
        )
    assert document.number == "2026-000001"
    assert "Reçu numéro 2026-000001" in pdf_text(run(service.pdf_of, document))
    assert "Boulangerie Lemaire" in pdf_text(run(service.pdf_of, document))


def test_an_issued_document_cannot_be_revised_nor_issued_again(run, draft):
    issued = run(service.issue, draft())
    bytes_before = run(service.pdf_of, issued)

    with pytest.raises(Conflict):
        run(service.revise_draft, issued, context=receipt_context(amount="9 999,00"))
    with pytest.raises(Conflict):
        run(service.issue, issued)

    again = run(Document.get_by_id, issued.id)
    assert run(service.pdf_of, again) == bytes_before
    assert again.sha256 == issued.sha256


def test_a_draft_can_be_revised_into_a_new_version(run, draft):
    document = draft()
    revised = run(service.revise_draft, document, context=receipt_context(amount="980,00"))

    assert revised.version == 2
    assert revised.sha256 != document.sha256
    text = pdf_text(run(service.pdf_of, revised))
    assert "Montant : 980,00 euros" in text
    assert "Projet, version 2" in text


def test_revising_an_old_copy_of_a_draft_is_refused(run, draft):
    document = draft()
    run(service.revise_draft, document, context=receipt_context(amount="980,00"))
    with pytest.raises(Conflict):
        run(service.revise_draft, document, context=receipt_context(amount="12,00"))


def test_a_correction_is_a_new_document_that_cancels_the_old_one(run, draft):
    old = run(service.issue, draft())
    new = run(service.correct, old, context=receipt_context(amount="1 300,00"))
    old = run(Document.get_by_id, old.id)

    assert new.status == DocumentStatus.ISSUED
    assert new.number.endswith("-000002")
    assert old.status == DocumentStatus.CANCELLED
    assert (new.corrects_id, old.corrected_by_id) == (old.id, new.id)
    assert "Montant : 1 300,00 euros" in pdf_text(run(service.pdf_of, new))
    assert "Montant : 1 250,00 euros" in pdf_text(run(service.pdf_of, old))  # kept as it was
    assert [d.id for d in run(service.documents_of, "receipts", "donation:7")] == [old.id, new.id]


def test_a_correction_to_sign_leaves_the_old_document_in_force_until_it_is_issued(run, draft):
    old = run(service.issue, draft())
    new = run(service.correct, old, context=receipt_context(amount="1 300,00"), issue_now=False)
    assert new.status == DocumentStatus.DRAFT
    assert run(Document.get_by_id, old.id).status == DocumentStatus.ISSUED

    run(service.issue, new)
    assert run(Document.get_by_id, old.id).status == DocumentStatus.CANCELLED


def test_a_cancelled_document_cannot_be_corrected_or_cancelled_again(run, draft):
    document = run(service.issue, draft())
    cancelled = run(service.cancel, document, "Don annulé par l'entreprise")
    assert cancelled.status == DocumentStatus.CANCELLED
    assert cancelled.cancellation_reason == "Don annulé par l'entreprise"
    assert cancelled.number == document.number  # its number stays taken

    with pytest.raises(Conflict):
        run(service.correct, cancelled)
    with pytest.raises(Conflict):
        run(service.cancel, cancelled, "encore")
    with pytest.raises(Invalid) as refused:
        run(service.cancel, run(service.issue, draft()), "  ")
    assert "reason" in refused.value.errors


def test_bad_arguments_are_refused_by_field(run):
    with pytest.raises(Invalid) as refused:
        run(service.create_draft, "Reçu fiscal", "receipts", "", "Reçu", "receipts/receipt.html")
    assert set(refused.value.errors) == {"kind", "subject"}


def test_a_file_changed_on_disk_is_detected(run, draft):
    document = draft()
    path = run(storage._path, document.file_key)
    path.write_bytes(path.read_bytes() + b"\n% changed")
    with pytest.raises(service.DamagedFile):
        run(service.pdf_of, document)


def test_documents_are_rendered_in_their_own_language(run):
    with using_locale("fr"):
        document = run(
            service.issue_new,
            "receipts.receipt",
            "receipts",
            "donation:8",
            "Donation receipt",
            "receipts/receipt.html",
            receipt_context(),
            "en",
        )
    assert f"No. {document.number}" in pdf_text(run(service.pdf_of, document))


def test_files_are_kept_under_random_names_in_the_configured_folder(make_app, tmp_path, receipts):
    folder = tmp_path / "elsewhere"
    app = make_app(extra_plugins=[receipts])
    with app.app_context():
        assert storage.folder() == app.extensions["tremplin"].runtime.region.files_folder
    from tremplin.region import load_region

    region = load_region(
        app.extensions["tremplin"].runtime.region.path, env={"TREMPLIN_FILES_DIR": str(folder)}
    )
    assert region.files_folder == folder
    with app.app_context():
        key = storage.put("documents", b"%PDF-1.7 test")
        assert key.startswith("documents/")
        assert len(key) == len("documents/") + 32
        assert storage.get(key) == b"%PDF-1.7 test"
        storage.delete(key)
        with pytest.raises(storage.MissingFile):
            storage.get(key)
        with pytest.raises(storage.MissingFile):
            storage.get("documents/../../secret_key")


def test_the_number_of_a_year_is_the_year_in_the_regions_time_zone():
    # 31 Dec 2026, 23:30 UTC is already 1 Jan 2027 in Paris; 22:59 UTC is still 2026.
    assert numbering.year_of(datetime.datetime(2026, 12, 31, 23, 30), "Europe/Paris") == 2027
    assert numbering.year_of(datetime.datetime(2026, 12, 31, 22, 59), "Europe/Paris") == 2026
    assert numbering.number(2026, 42) == "2026-000042"
    with pytest.raises(ValueError, match="starts at 1"):
        numbering.number(2026, 0)


def test_making_no_pdf_needs_no_weasyprint():
    # The command line, the app and the documents' modules import without WeasyPrint: a
    # machine without Pango runs everything but the making of PDFs.
    code = (
        "import sys; sys.modules['weasyprint'] = None\n"
        "import tremplin.cli, tremplin.app, tremplin.documents.hooks\n"
        "import tremplin.documents.service, tremplin.documents.views\n"
        "assert 'weasyprint' not in [m for m in sys.modules if sys.modules[m] is not None]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_without_pango_making_a_pdf_says_which_system_package_to_install(run, monkeypatch):
    class NoPango:
        def find_spec(self, name, path=None, target=None):
            if name == "weasyprint":
                raise OSError("cannot load library 'libgobject-2.0-0'")
            return

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.delitem(sys.modules, "weasyprint.urls", raising=False)
    monkeypatch.setattr(sys, "meta_path", [NoPango(), *sys.meta_path])
    with pytest.raises(rendering.PdfUnavailable) as refused, using_locale("en"):
        run(rendering.html_to_pdf, "<p>Bonjour</p>")
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in str(refused.value)


def _until(moment: datetime.datetime) -> datetime.timedelta:
    """How far to travel from now to reach ``moment`` (naive UTC)."""
    return moment - clock.now()
