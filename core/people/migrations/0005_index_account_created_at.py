"""Index the ambassadors by account and registration date: the key figures join the
active accounts to the ambassadors registered before the end of a period from this index
alone (with ``account (status, gender)``, auth 0004), without reading the profiles."""


def up(migrator, db):
    migrator.migrate(migrator.add_index("ambassador", ("account_id", "created_at"), False))
