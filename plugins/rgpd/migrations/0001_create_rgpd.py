"""Create the rgpd tables: officers, requests, their steps, export links, limits."""

import datetime

import peewee


def up(migrator, db):
    # Migrations describe the tables as they were then: never import models.py here.
    def utcnow():
        return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)

    class Account(peewee.Model):
        class Meta:
            database = db
            table_name = "account"

    class Base(peewee.Model):
        class Meta:
            database = db

    class Officer(Base):
        account = peewee.ForeignKeyField(Account, unique=True, on_delete="CASCADE", backref="+")
        added_at = peewee.DateTimeField(default=utcnow)

        class Meta:
            table_name = "rgpd_officer"

    class Request(Base):
        kind = peewee.CharField(max_length=20)
        status = peewee.CharField(max_length=20, index=True)
        channel = peewee.CharField(max_length=10)
        account = peewee.ForeignKeyField(
            Account, null=True, on_delete="SET NULL", index=True, backref="+"
        )
        name = peewee.CharField(max_length=200)
        email = peewee.CharField(max_length=254)
        details = peewee.TextField(default="")
        created_at = peewee.DateTimeField(default=utcnow)
        confirm_token = peewee.CharField(max_length=64, null=True, unique=True)
        received_on = peewee.DateField(null=True)
        identity_requested_on = peewee.DateField(null=True)
        identity_received_on = peewee.DateField(null=True)
        identity_checked = peewee.BooleanField(null=True)
        identity_checked_by = peewee.ForeignKeyField(
            Account, null=True, on_delete="SET NULL", backref="+"
        )
        identity_method = peewee.CharField(max_length=200, null=True)
        extended_on = peewee.DateField(null=True)
        extension_reason = peewee.TextField(null=True)
        closed_on = peewee.DateField(null=True)
        answer = peewee.TextField(null=True)
        calendar_due = peewee.DateField(null=True)
        legal_due = peewee.DateField(null=True, index=True)
        reminded_on = peewee.DateField(null=True)

        class Meta:
            table_name = "rgpd_request"

    class Step(Base):
        request = peewee.ForeignKeyField(Request, on_delete="CASCADE")
        at = peewee.DateTimeField(default=utcnow)
        action = peewee.CharField(max_length=30)
        actor = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
        note = peewee.TextField(default="")

        class Meta:
            table_name = "rgpd_step"

    class ExportLink(Base):
        request = peewee.ForeignKeyField(Request, on_delete="CASCADE", index=True)
        token = peewee.CharField(max_length=64, unique=True)
        file_key = peewee.CharField(max_length=100, null=True)
        created_at = peewee.DateTimeField(default=utcnow)
        expires_at = peewee.DateTimeField()
        used_at = peewee.DateTimeField(null=True)

        class Meta:
            table_name = "rgpd_export_link"

    class Limit(Base):
        account = peewee.ForeignKeyField(Account, on_delete="CASCADE", backref="+")
        kind = peewee.CharField(max_length=20)
        since = peewee.DateTimeField(default=utcnow)
        request = peewee.ForeignKeyField(Request, null=True, on_delete="SET NULL")

        class Meta:
            table_name = "rgpd_limit"
            indexes = ((("account", "kind"), True),)

    db.create_tables([Officer, Request, Step, ExportLink, Limit])
