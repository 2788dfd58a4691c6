"""Create the message, contact share and notification tables."""

import datetime

import peewee


def up(migrator, db):
    class Account(peewee.Model):
        class Meta:
            database = db
            table_name = "account"

    class Ambassador(peewee.Model):
        class Meta:
            database = db
            table_name = "ambassador"

    class Intervention(peewee.Model):
        class Meta:
            database = db
            table_name = "intervention"

    class Message(peewee.Model):
        intervention = peewee.ForeignKeyField(Intervention, on_delete="CASCADE")
        author = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
        side = peewee.CharField(max_length=20)
        body = peewee.TextField()
        created_at = peewee.DateTimeField(default=datetime.datetime.utcnow)
        erased_at = peewee.DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "message"
            indexes = ((("intervention", "created_at"), False),)

    class ContactShare(peewee.Model):
        intervention = peewee.ForeignKeyField(Intervention, on_delete="CASCADE")
        ambassador = peewee.ForeignKeyField(Ambassador, on_delete="CASCADE")
        email = peewee.BooleanField(default=False)
        phone = peewee.BooleanField(default=False)
        created_at = peewee.DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            database = db
            table_name = "contact_share"
            indexes = ((("intervention", "ambassador"), True),)

    class Notification(peewee.Model):
        account = peewee.ForeignKeyField(Account, on_delete="CASCADE", backref="+")
        kind = peewee.CharField(max_length=30)
        intervention = peewee.ForeignKeyField(Intervention, null=True, on_delete="CASCADE")
        actor = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
        created_at = peewee.DateTimeField(default=datetime.datetime.utcnow)
        read_at = peewee.DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "notification"
            indexes = (
                (("account", "read_at"), False),
                (("account", "created_at"), False),
            )

    db.create_tables([Message, ContactShare, Notification])
