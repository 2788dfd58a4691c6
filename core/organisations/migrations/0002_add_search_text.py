"""Add ``organisation.search_text``: name, city, postcode and identifiers for search."""

import peewee

from tremplin.text import normalise


def up(migrator, db):
    migrator.migrate(
        migrator.add_column(
            "organisation", "search_text", peewee.CharField(max_length=400, default="")
        )
    )
    rows = db.execute_sql("SELECT id, name, city, postcode, uai, siret FROM organisation")
    for identifier, *parts in list(rows):
        text = normalise(" ".join(part for part in parts if part))[:400]
        db.execute_sql(
            f"UPDATE organisation SET search_text = {db.param} WHERE id = {db.param}",
            (text, identifier),
        )
