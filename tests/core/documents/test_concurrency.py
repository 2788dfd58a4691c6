"""Documents issued and signed at the same moment, on real separate connections.

Threads meet at a barrier, then act together, each in its own app context and database
connection (SQLite, or PostgreSQL with TREMPLIN_TEST_DATABASE_URL).
"""

from __future__ import annotations

import threading

from tremplin.documents import circuits, service
from tremplin.documents.circuits import Signer
from tremplin.documents.models import CircuitStatus, Document, DocumentStatus, Signatory
from tremplin.runtime import current

from .conftest import receipt_context

THREADS = 6
EACH = 2


def together(app, count, action):
    """Run ``action(index)`` in ``count`` threads released at once; return their errors."""
    barrier = threading.Barrier(count, timeout=30)
    errors = []

    def run(index):
        with app.app_context():
            try:
                barrier.wait()
                action(index)
            except Exception as error:  # reported by the test, which fails on any
                errors.append(error)
            finally:
                current().database.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_documents_issued_at_the_same_moment_get_unique_numbers_without_a_gap(app, run):
    def issue_some(index):
        for turn in range(EACH):
            service.issue_new(
                "receipts.receipt",
                "receipts",
                f"donation:{index}-{turn}",
                "Reçu de mécénat",
                "receipts/receipt.html",
                receipt_context(),
            )

    assert together(app, THREADS, issue_some) == []

    numbers = run(
        lambda: sorted(
            (d.sequence, d.number)
            for d in Document.select().where(Document.status == DocumentStatus.ISSUED)
        )
    )
    year = numbers[0][1][:4]
    expected = [(n, f"{year}-{n:06d}") for n in range(1, THREADS * EACH + 1)]
    assert numbers == expected


def test_drafts_issued_at_the_same_moment_get_unique_numbers_without_a_gap(app, run, draft):
    drafts = [draft(subject=f"donation:{index}") for index in range(THREADS)]

    assert together(app, THREADS, lambda index: service.issue(drafts[index])) == []

    sequences = run(lambda: sorted(d.sequence for d in Document.select()))
    assert sequences == list(range(1, THREADS + 1))


def test_the_last_two_signatories_signing_together_complete_the_circuit(app, run, convention):
    document = convention()
    signers = [
        Signer(role="Entreprise", name="Claire Dufresne", email="claire@example.org"),
        Signer(role="Région", name="Marc Lefebvre", email="marc@example.org"),
    ]
    circuit = run(circuits.start_circuit, document, signers)
    recorder = run(_recorder)
    signatories = run(lambda: list(Signatory.select().order_by(Signatory.position)))

    def sign_on_paper(index):
        circuits.record_paper_signature(signatories[index], recorder)

    assert together(app, 2, sign_on_paper) == []
    assert run(lambda: circuits.get_circuit(circuit.id).status) == CircuitStatus.COMPLETE


def _recorder():
    from tremplin.auth import service as accounts

    return accounts.create_account("agent@example.org", "Inès", "Morel")
