"""Index the accounts by status and gender: the key figures count the active ambassadors
by declared gender from the index alone, without reading the accounts' rows."""


def up(migrator, db):
    migrator.migrate(migrator.add_index("account", ("status", "gender"), False))
