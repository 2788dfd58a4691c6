"""Create the stages tables: offers, placements, guardians, conventions, classes."""

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

    class Organisation(peewee.Model):
        class Meta:
            database = db
            table_name = "organisation"

    class Territory(peewee.Model):
        class Meta:
            database = db
            table_name = "territory"

    class Document(peewee.Model):
        class Meta:
            database = db
            table_name = "document"

    class Base(peewee.Model):
        class Meta:
            database = db

    class Offer(Base):
        host = peewee.ForeignKeyField(Organisation, on_delete="CASCADE", index=True)
        territory = peewee.ForeignKeyField(Territory, on_delete="RESTRICT", index=True)
        occupation = peewee.CharField(max_length=200)
        rome_code = peewee.CharField(max_length=5, null=True, index=True)
        place = peewee.CharField(max_length=300)
        levels = peewee.CharField(max_length=40)
        periods = peewee.TextField(default="[]")
        first_day = peewee.DateField()
        last_day = peewee.DateField()
        places = peewee.IntegerField()
        activities = peewee.TextField()
        internal_rules_allow = peewee.BooleanField(default=False)
        safety_rules = peewee.TextField(default="")
        search_text = peewee.CharField(max_length=1000, default="")
        highlighted_at = peewee.DateTimeField(null=True, index=True)
        highlighted_by = peewee.ForeignKeyField(
            Account, null=True, on_delete="SET NULL", backref="+"
        )
        closed_at = peewee.DateTimeField(null=True)
        created_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
        created_at = peewee.DateTimeField(default=utcnow)

        class Meta:
            table_name = "stages_offer"

    class Placement(Base):
        offer = peewee.ForeignKeyField(Offer, on_delete="CASCADE", index=True)
        host = peewee.ForeignKeyField(Organisation, on_delete="CASCADE", index=True, backref="+")
        school = peewee.ForeignKeyField(Organisation, on_delete="CASCADE", index=True, backref="+")
        teacher = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
        level = peewee.CharField(max_length=10, index=True)
        pupil_first_name = peewee.CharField(max_length=100)
        pupil_last_name = peewee.CharField(max_length=100)
        pupil_class = peewee.CharField(max_length=50)
        pupil_birth_date = peewee.DateField()
        pupil_email = peewee.CharField(max_length=254, null=True)
        pupil_gender = peewee.CharField(max_length=20, null=True)
        first_day = peewee.DateField(index=True)
        last_day = peewee.DateField()
        schedule = peewee.TextField(default="{}")
        status = peewee.CharField(max_length=20, default="proposed", index=True)
        answered_at = peewee.DateTimeField(null=True)
        decline_reason = peewee.TextField(default="")
        started_at = peewee.DateTimeField(null=True)
        completed_at = peewee.DateTimeField(null=True)
        cancelled_at = peewee.DateTimeField(null=True)
        cancel_reason = peewee.TextField(default="")
        evaluation = peewee.TextField(default="")
        evaluation_rating = peewee.IntegerField(null=True)
        report = peewee.TextField(default="")
        created_at = peewee.DateTimeField(default=utcnow)

        class Meta:
            table_name = "stages_placement"

    class Guardian(Base):
        placement = peewee.ForeignKeyField(Placement, on_delete="CASCADE")
        position = peewee.IntegerField()
        name = peewee.CharField(max_length=200)
        email = peewee.CharField(max_length=254)
        phone = peewee.CharField(max_length=30, default="")

        class Meta:
            table_name = "stages_guardian"
            indexes = ((("placement", "position"), True),)

    class Convention(Base):
        placement = peewee.ForeignKeyField(Placement, unique=True, on_delete="CASCADE")
        head_name = peewee.CharField(max_length=200)
        head_email = peewee.CharField(max_length=254)
        representative_name = peewee.CharField(max_length=200)
        representative_email = peewee.CharField(max_length=254)
        tutor_name = peewee.CharField(max_length=200)
        tutor_email = peewee.CharField(max_length=254)
        school_insurance = peewee.CharField(max_length=300)
        host_insurance = peewee.CharField(max_length=300)
        emergency_contact = peewee.CharField(max_length=300)
        status = peewee.CharField(max_length=20, default="signing", index=True)
        document = peewee.ForeignKeyField(Document, null=True, on_delete="SET NULL", backref="+")
        amendments = peewee.IntegerField(default=0)
        created_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
        created_at = peewee.DateTimeField(default=utcnow)
        signed_at = peewee.DateTimeField(null=True)

        class Meta:
            table_name = "stages_convention"

    class SchoolClass(Base):
        school = peewee.ForeignKeyField(Organisation, on_delete="CASCADE", index=True)
        name = peewee.CharField(max_length=50)
        level = peewee.CharField(max_length=10, default="3e")
        pupils = peewee.IntegerField()
        first_day = peewee.DateField(index=True)
        last_day = peewee.DateField()

        class Meta:
            table_name = "stages_class"
            indexes = ((("school", "name"), True),)

    db.create_tables([Offer, Placement, Guardian, Convention, SchoolClass])
