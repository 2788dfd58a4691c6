"""Create ``meeting_link``: the video meeting address of a remote intervention or webinar."""

import datetime

import peewee


def up(migrator, db):
    class Account(peewee.Model):
        class Meta:
            database = db
            table_name = "account"

    class Event(peewee.Model):
        class Meta:
            database = db
            table_name = "event"

    class Intervention(peewee.Model):
        class Meta:
            database = db
            table_name = "intervention"

    class MeetingLink(peewee.Model):
        intervention = peewee.ForeignKeyField(
            Intervention, null=True, unique=True, on_delete="CASCADE"
        )
        event = peewee.ForeignKeyField(Event, null=True, unique=True, on_delete="CASCADE")
        url = peewee.CharField(max_length=500)
        set_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
        set_at = peewee.DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            database = db
            table_name = "meeting_link"

    db.create_tables([MeetingLink])
