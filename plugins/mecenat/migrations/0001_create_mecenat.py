"""Create the mecenat tables: partners, consents, charters, conventions, costs, hours, receipts."""

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

    class Ambassador(peewee.Model):
        class Meta:
            database = db
            table_name = "ambassador"

    class Organisation(peewee.Model):
        class Meta:
            database = db
            table_name = "organisation"

    class Intervention(peewee.Model):
        class Meta:
            database = db
            table_name = "intervention"

    class Document(peewee.Model):
        class Meta:
            database = db
            table_name = "document"

    def money():
        return peewee.DecimalField(max_digits=14, decimal_places=2, auto_round=True)

    class Base(peewee.Model):
        class Meta:
            database = db

    class Partner(Base):
        organisation = peewee.ForeignKeyField(Organisation, unique=True, on_delete="CASCADE")
        legal_form = peewee.CharField(max_length=100)
        address = peewee.CharField(max_length=300)
        closing_month = peewee.IntegerField(default=12)
        updated_at = peewee.DateTimeField(default=utcnow)

        class Meta:
            table_name = "mecenat_partner"

    class Consent(Base):
        ambassador = peewee.ForeignKeyField(Ambassador, on_delete="CASCADE")
        organisation = peewee.ForeignKeyField(Organisation, on_delete="CASCADE", index=True)
        given_at = peewee.DateTimeField(default=utcnow)
        revoked_at = peewee.DateTimeField(null=True)

        class Meta:
            table_name = "mecenat_consent"
            indexes = ((("ambassador", "organisation"), True),)

    class CharterVersion(Base):
        version = peewee.CharField(max_length=50, unique=True)
        title = peewee.CharField(max_length=200)
        text = peewee.TextField()
        effective_on = peewee.DateField(index=True)
        published_at = peewee.DateTimeField(default=utcnow)

        class Meta:
            table_name = "mecenat_charter_version"

    class PartnershipCharter(Base):
        organisation = peewee.ForeignKeyField(Organisation, on_delete="CASCADE", index=True)
        version = peewee.ForeignKeyField(CharterVersion, on_delete="RESTRICT")
        year = peewee.IntegerField()
        employees = peewee.IntegerField()
        hours = peewee.IntegerField()
        visits = peewee.IntegerField()
        internships = peewee.IntegerField()
        status = peewee.CharField(max_length=20, default="signing", index=True)
        document = peewee.ForeignKeyField(Document, null=True, on_delete="SET NULL", backref="+")
        created_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
        created_at = peewee.DateTimeField(default=utcnow)
        signed_at = peewee.DateTimeField(null=True)

        class Meta:
            table_name = "mecenat_charter"

    class Convention(Base):
        organisation = peewee.ForeignKeyField(Organisation, on_delete="CASCADE", index=True)
        starts_on = peewee.DateField()
        ends_on = peewee.DateField()
        committed_interventions = peewee.IntegerField()
        timetable = peewee.TextField(default="")
        status = peewee.CharField(max_length=20, default="draft", index=True)
        document = peewee.ForeignKeyField(Document, null=True, on_delete="SET NULL", backref="+")
        created_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
        created_at = peewee.DateTimeField(default=utcnow)
        signed_at = peewee.DateTimeField(null=True)

        class Meta:
            table_name = "mecenat_convention"

    class Costing(Base):
        convention = peewee.ForeignKeyField(Convention, on_delete="CASCADE")
        ambassador = peewee.ForeignKeyField(Ambassador, on_delete="CASCADE")
        monthly_salary = money()
        monthly_charges = money()
        monthly_hours = peewee.DecimalField(max_digits=6, decimal_places=2, auto_round=True)
        updated_at = peewee.DateTimeField(default=utcnow)

        class Meta:
            table_name = "mecenat_costing"
            indexes = ((("convention", "ambassador"), True),)

    class Entry(Base):
        intervention = peewee.ForeignKeyField(Intervention, unique=True, on_delete="CASCADE")
        ambassador = peewee.ForeignKeyField(Ambassador, null=True, on_delete="SET NULL")
        organisation = peewee.ForeignKeyField(Organisation, on_delete="CASCADE", index=True)
        convention = peewee.ForeignKeyField(Convention, on_delete="CASCADE")
        day = peewee.DateField(index=True)
        intervention_type = peewee.CharField(max_length=30)
        minutes = peewee.IntegerField()
        preparation_minutes = peewee.IntegerField()
        created_at = peewee.DateTimeField(default=utcnow)

        class Meta:
            table_name = "mecenat_entry"

    class Correction(Base):
        organisation = peewee.ForeignKeyField(Organisation, on_delete="CASCADE", index=True)
        convention = peewee.ForeignKeyField(Convention, on_delete="CASCADE")
        ambassador = peewee.ForeignKeyField(Ambassador, null=True, on_delete="SET NULL")
        day = peewee.DateField()
        minutes = peewee.IntegerField()
        reason = peewee.TextField()
        status = peewee.CharField(max_length=20, default="proposed", index=True)
        proposed_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
        proposed_at = peewee.DateTimeField(default=utcnow)
        decided_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
        decided_at = peewee.DateTimeField(null=True)

        class Meta:
            table_name = "mecenat_correction"

    class Receipt(Base):
        organisation = peewee.ForeignKeyField(Organisation, on_delete="CASCADE", index=True)
        financial_year = peewee.IntegerField()
        period_start = peewee.DateField()
        period_end = peewee.DateField()
        minutes = peewee.IntegerField()
        amount = money()
        status = peewee.CharField(max_length=20, default="issued", index=True)
        document = peewee.ForeignKeyField(Document, null=True, on_delete="SET NULL", backref="+")
        issued_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
        issued_at = peewee.DateTimeField(default=utcnow)

        class Meta:
            table_name = "mecenat_receipt"

    db.create_tables(
        [
            Partner,
            Consent,
            CharterVersion,
            PartnershipCharter,
            Convention,
            Costing,
            Entry,
            Correction,
            Receipt,
        ]
    )
