"""Create the table of reminders sent, so that none is sent twice."""

import datetime

import peewee


def up(migrator, db):
    class Intervention(peewee.Model):
        class Meta:
            database = db
            table_name = "intervention"

    class ReminderSent(peewee.Model):
        intervention = peewee.ForeignKeyField(Intervention, on_delete="CASCADE")
        kind = peewee.CharField(max_length=20)
        about = peewee.DateTimeField()
        sent_at = peewee.DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            database = db
            table_name = "reminder_sent"
            indexes = ((("intervention", "kind", "about"), True),)

    db.create_tables([ReminderSent])
