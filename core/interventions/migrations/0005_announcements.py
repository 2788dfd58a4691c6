"""Create ``intervention_announcement``: transitions committed and not announced yet (the
worker tells the people concerned, by notification, email and calendar invitation)."""

import datetime

import peewee


def up(migrator, db):
    class Intervention(peewee.Model):
        class Meta:
            database = db
            table_name = "intervention"

    class Announcement(peewee.Model):
        intervention = peewee.ForeignKeyField(Intervention, on_delete="CASCADE", index=True)
        old_status = peewee.CharField(max_length=20, null=True)
        new_status = peewee.CharField(max_length=20)
        created_at = peewee.DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            database = db
            table_name = "intervention_announcement"

    db.create_tables([Announcement])
