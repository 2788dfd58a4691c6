"""The plugin's later migrations on a database that already holds its rows: a year issued
twice keeps its first receipt; costs entered before apply from their convention's first year."""

from __future__ import annotations

import shutil

from tremplin import migrations
from tremplin.runtime import current

from .conftest import Network

# Dropped children first.
TABLES = (
    "receipt",
    "correction",
    "entry",
    "costing",
    "convention",
    "charter",
    "charter_version",
    "consent",
    "partner",
)


def test_the_later_migrations_keep_what_was_there(make_mecenat_app, tmp_path):
    app = make_mecenat_app()
    net = Network(app)
    company = net.organisation("Forges de l'Escaut", siret="12345678900017")
    ines = net.ambassador("Inès", "Boulanger")
    with app.app_context():
        db = current().database
        components = migrations.components_of(current().plugins)
        first_only = tmp_path / "mecenat"
        first_only.mkdir()
        shutil.copy(dict(components)["mecenat"] / "0001_create_mecenat.py", first_only)
        with db.atomic():  # back to the plugin's first migration
            for table in TABLES:
                db.execute_sql(f"DROP TABLE mecenat_{table}")
            db.execute_sql("DELETE FROM tremplin_migration WHERE component = 'mecenat'")
        migrations.upgrade(
            db, [(name, first_only if name == "mecenat" else path) for name, path in components]
        )
        _write_rows(db, company.id, ines.id)

        migrations.upgrade(db, components)

        receipts = db.execute_sql("SELECT id, status FROM mecenat_receipt ORDER BY id")
        assert list(receipts) == [(1, "issued"), (2, "cancelled"), (3, "issued")]
        costs = db.execute_sql(
            "SELECT convention_id, ambassador_id, year FROM mecenat_costing ORDER BY id"
        )
        assert list(costs) == [(1, ines.id, 2025), (2, ines.id, 2026)]


def _write_rows(db, organisation_id: int, ambassador_id: int) -> None:
    """Two conventions with a cost each; a year issued twice, another once."""
    p = db.param
    for number, start, end in ((1, "2025-01-01", "2025-12-31"), (2, "2026-03-01", "2027-02-28")):
        db.execute_sql(
            "INSERT INTO mecenat_convention (id, organisation_id, starts_on, ends_on,"
            " committed_interventions, timetable, status, created_at)"
            f" VALUES ({p}, {p}, {p}, {p}, 10, '', 'signed', '2025-01-01 00:00:00')",
            (number, organisation_id, start, end),
        )
        db.execute_sql(
            "INSERT INTO mecenat_costing (id, convention_id, ambassador_id, monthly_salary,"
            f" monthly_charges, monthly_hours, updated_at) VALUES ({p}, {p}, {p}, 2600, 1100,"
            " 151.67, '2025-01-01 00:00:00')",
            (number, number, ambassador_id),
        )
    for number, year in ((1, 2025), (2, 2025), (3, 2024)):
        db.execute_sql(
            "INSERT INTO mecenat_receipt (id, organisation_id, financial_year, period_start,"
            f" period_end, minutes, amount, status, issued_at) VALUES ({p}, {p}, {p},"
            " '2025-01-01', '2025-12-31', 60, 10, 'issued', '2026-01-10 00:00:00')",
            (number, organisation_id, year),
        )
