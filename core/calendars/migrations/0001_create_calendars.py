"""Create the calendar invitation and calendar feed tables."""

import datetime

import peewee


def up(migrator, db):
    class Account(peewee.Model):
        class Meta:
            database = db
            table_name = "account"

    class Intervention(peewee.Model):
        class Meta:
            database = db
            table_name = "intervention"

    class Invitation(peewee.Model):
        intervention = peewee.ForeignKeyField(Intervention, unique=True, on_delete="CASCADE")
        sequence = peewee.IntegerField(default=0)
        starts_at = peewee.DateTimeField()
        ends_at = peewee.DateTimeField()
        sent_at = peewee.DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            database = db
            table_name = "calendar_invitation"

    class CalendarFeed(peewee.Model):
        account = peewee.ForeignKeyField(Account, on_delete="CASCADE")
        token = peewee.CharField(max_length=64, unique=True)
        created_at = peewee.DateTimeField(default=datetime.datetime.utcnow)
        revoked_at = peewee.DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "calendar_feed"

    db.create_tables([Invitation, CalendarFeed])
