"""Create the outbox table."""

import datetime

import peewee


def up(migrator, db):
    class OutboxMessage(peewee.Model):
        recipient = peewee.CharField(max_length=254)
        locale = peewee.CharField(max_length=5, default="fr")
        template = peewee.CharField(max_length=200)
        context = peewee.TextField(default="{}")
        created_at = peewee.DateTimeField(default=datetime.datetime.utcnow, index=True)
        sent_at = peewee.DateTimeField(null=True, index=True)
        attempts = peewee.IntegerField(default=0)
        last_error = peewee.TextField(null=True)

        class Meta:
            database = db
            table_name = "outbox_message"

    db.create_tables([OutboxMessage])
