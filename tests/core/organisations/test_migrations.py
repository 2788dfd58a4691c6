"""The organisations' migrations bring an existing database up to date, search included."""

import shutil
from pathlib import Path

from tremplin import migrations
from tremplin.app import runtime_of
from tremplin.organisations import service

AREAS = Path(service.__file__).resolve().parent.parent


def test_organisations_stored_before_search_text_are_found_after_the_upgrade(make_app, tmp_path):
    app = make_app(migrate=False)
    database = runtime_of(app).database
    first_only = tmp_path / "organisations"
    first_only.mkdir()
    shutil.copy(AREAS / "organisations" / "migrations" / "0001_create_organisation.py", first_only)
    territories = ("territories", AREAS / "territories" / "migrations")
    with database.connection_context():
        migrations.upgrade(database, [territories, ("organisations", first_only)])
        database.execute_sql(
            "INSERT INTO organisation (name, search_name, kind, city, created_at, qpv, rep, "
            "rep_plus, rural) VALUES ('Lycée Édouard Branly', 'lycee edouard branly', 'lycee', "
            "'Boulogne-sur-Mer', '2024-01-01 00:00:00', false, false, false, false)"
        )
        migrations.upgrade(
            database, [territories, ("organisations", AREAS / "organisations" / "migrations")]
        )

    with app.app_context():
        assert [o.name for o in service.search(q="boulogne edouard")] == ["Lycée Édouard Branly"]
