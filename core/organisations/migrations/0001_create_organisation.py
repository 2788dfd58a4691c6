"""Create the organisation table."""

import datetime

import peewee


def up(migrator, db):
    class Territory(peewee.Model):
        class Meta:
            database = db
            table_name = "territory"

    class Organisation(peewee.Model):
        name = peewee.CharField(max_length=200)
        search_name = peewee.CharField(max_length=200, index=True)
        kind = peewee.CharField(max_length=30, index=True)
        uai = peewee.CharField(max_length=8, null=True, unique=True)
        siret = peewee.CharField(max_length=14, null=True, unique=True)
        territory = peewee.ForeignKeyField(Territory, null=True, on_delete="RESTRICT", index=True)
        city = peewee.CharField(max_length=100, null=True)
        postcode = peewee.CharField(max_length=10, null=True)
        latitude = peewee.FloatField(null=True)
        longitude = peewee.FloatField(null=True)
        qpv = peewee.BooleanField(default=False)
        rep = peewee.BooleanField(default=False)
        rep_plus = peewee.BooleanField(default=False)
        rural = peewee.BooleanField(default=False)
        created_at = peewee.DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            database = db
            table_name = "organisation"

    db.create_tables([Organisation])
