"""Create the charter's tables: versions, acceptances, record checks, declarations, decisions."""

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

    class CharterVersion(peewee.Model):
        version = peewee.CharField(max_length=50, unique=True)
        title = peewee.CharField(max_length=200)
        text = peewee.TextField()
        effective_on = peewee.DateField(index=True)
        published_at = peewee.DateTimeField(default=utcnow)

        class Meta:
            database = db
            table_name = "charter_version"

    class Acceptance(peewee.Model):
        account = peewee.ForeignKeyField(Account, on_delete="CASCADE")
        version = peewee.ForeignKeyField(CharterVersion, on_delete="CASCADE")
        accepted_at = peewee.DateTimeField(default=utcnow)

        class Meta:
            database = db
            table_name = "charter_acceptance"
            indexes = ((("account", "version"), True),)

    class RecordCheck(peewee.Model):
        ambassador = peewee.ForeignKeyField(Ambassador, on_delete="CASCADE", index=True)
        status = peewee.CharField(max_length=20, default="pending", index=True)
        delivery = peewee.CharField(max_length=20, default="sent")
        declared_at = peewee.DateTimeField(default=utcnow)
        extract_issued_on = peewee.DateField(null=True)
        decided_at = peewee.DateTimeField(null=True)
        decided_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
        valid_until = peewee.DateField(null=True, index=True)
        reminded_at = peewee.DateTimeField(null=True)
        file_name = peewee.CharField(max_length=64, null=True)
        file_type = peewee.CharField(max_length=50, null=True)
        file_size = peewee.IntegerField(null=True)
        uploaded_at = peewee.DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "charter_record_check"

    class Declaration(peewee.Model):
        ambassador = peewee.ForeignKeyField(Ambassador, unique=True, on_delete="CASCADE")
        salaried = peewee.BooleanField(null=True)
        employer_agreement_on = peewee.DateField(null=True)
        insurance_on = peewee.DateField(null=True)
        updated_at = peewee.DateTimeField(default=utcnow)

        class Meta:
            database = db
            table_name = "charter_declaration"

    class Decision(peewee.Model):
        at = peewee.DateTimeField(default=utcnow, index=True)
        actor = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
        ambassador = peewee.ForeignKeyField(Ambassador, null=True, on_delete="SET NULL")
        kind = peewee.CharField(max_length=30)
        version = peewee.CharField(max_length=50, null=True)
        extract_issued_on = peewee.DateField(null=True)

        class Meta:
            database = db
            table_name = "charter_decision"

    db.create_tables([CharterVersion, Acceptance, RecordCheck, Declaration, Decision])
