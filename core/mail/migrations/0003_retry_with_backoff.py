"""Outbox messages get a status, a time for their next attempt after a failure, and
attachments."""

import peewee


def up(migrator, db):
    migrator.migrate(
        migrator.add_column(
            "outbox_message", "status", peewee.CharField(max_length=10, default="pending")
        ),
        migrator.add_column("outbox_message", "next_attempt_at", peewee.DateTimeField(null=True)),
        migrator.add_column("outbox_message", "attachments", peewee.TextField(null=True)),
        migrator.add_index("outbox_message", ("status", "next_attempt_at"), False),
    )
    db.execute_sql("UPDATE outbox_message SET status = 'sent' WHERE sent_at IS NOT NULL")
