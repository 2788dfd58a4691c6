"""Create the ambassador profile, offers, zones and holds tables."""

import datetime

import peewee


def up(migrator, db):
    class Territory(peewee.Model):
        class Meta:
            database = db
            table_name = "territory"

    class Organisation(peewee.Model):
        class Meta:
            database = db
            table_name = "organisation"

    class Account(peewee.Model):
        class Meta:
            database = db
            table_name = "account"

    class Ambassador(peewee.Model):
        account = peewee.ForeignKeyField(Account, unique=True, on_delete="CASCADE")
        kind = peewee.CharField(max_length=20, index=True)
        occupation = peewee.CharField(max_length=200)
        rome_code = peewee.CharField(max_length=5, null=True, index=True)
        sector = peewee.CharField(max_length=100, null=True, index=True)
        organisation = peewee.ForeignKeyField(Organisation, null=True, on_delete="SET NULL")
        organisation_name = peewee.CharField(max_length=200, null=True)
        search_text = peewee.CharField(max_length=500, index=True)
        on_site = peewee.BooleanField(default=True)
        remote = peewee.BooleanField(default=False)
        home_territory = peewee.ForeignKeyField(Territory, null=True, on_delete="SET NULL")
        latitude = peewee.FloatField(null=True)
        longitude = peewee.FloatField(null=True)
        max_distance_km = peewee.IntegerField(null=True)
        monthly_capacity = peewee.IntegerField(default=2)
        paused_until = peewee.DateField(null=True)
        presentation = peewee.TextField(default="")
        created_at = peewee.DateTimeField(default=datetime.datetime.utcnow)
        last_solicited_at = peewee.DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "ambassador"

    class AmbassadorOffer(peewee.Model):
        ambassador = peewee.ForeignKeyField(Ambassador, on_delete="CASCADE")
        intervention_type = peewee.CharField(max_length=30)

        class Meta:
            database = db
            table_name = "ambassador_offer"
            indexes = (
                (("ambassador", "intervention_type"), True),
                (("intervention_type", "ambassador"), False),
            )

    class AmbassadorZone(peewee.Model):
        ambassador = peewee.ForeignKeyField(Ambassador, on_delete="CASCADE")
        territory = peewee.ForeignKeyField(Territory, on_delete="CASCADE")

        class Meta:
            database = db
            table_name = "ambassador_zone"
            indexes = (
                (("ambassador", "territory"), True),
                (("territory", "ambassador"), False),
            )

    class AmbassadorHold(peewee.Model):
        ambassador = peewee.ForeignKeyField(Ambassador, on_delete="CASCADE")
        source = peewee.CharField(max_length=100)
        code = peewee.CharField(max_length=100)
        reason = peewee.CharField(max_length=300)
        since = peewee.DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            database = db
            table_name = "ambassador_hold"
            indexes = ((("ambassador", "source", "code"), True),)

    db.create_tables([Ambassador, AmbassadorOffer, AmbassadorZone, AmbassadorHold])
