"""Let a sender reserve a message of the outbox while it sends it."""

import peewee


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("outbox_message", "claimed_until", peewee.DateTimeField(null=True))
    )
