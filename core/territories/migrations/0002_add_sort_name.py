"""Add ``territory.sort_name``: the name without accents nor case, to sort by."""

import peewee

from tremplin.text import normalise


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("territory", "sort_name", peewee.CharField(max_length=200, default="")),
        migrator.add_index("territory", ("sort_name",)),
    )
    rows = db.execute_sql("SELECT id, name FROM territory")
    for identifier, name in list(rows):
        db.execute_sql(
            f"UPDATE territory SET sort_name = {db.param} WHERE id = {db.param}",
            (normalise(name)[:200], identifier),
        )
