"""Create the document, document_series, signature_circuit, signatory and signature tables."""

import datetime

import peewee


def up(migrator, db):
    class Account(peewee.Model):
        class Meta:
            database = db
            table_name = "account"

    class Document(peewee.Model):
        kind = peewee.CharField(max_length=100, index=True)
        owner = peewee.CharField(max_length=100)
        subject = peewee.CharField(max_length=200)
        title = peewee.CharField(max_length=300)
        locale = peewee.CharField(max_length=5, default="fr")
        template = peewee.CharField(max_length=200)
        context = peewee.TextField(default="{}")
        status = peewee.CharField(max_length=10, default="draft", index=True)
        version = peewee.IntegerField(default=1)
        file_key = peewee.CharField(max_length=80)
        sha256 = peewee.CharField(max_length=64)
        size = peewee.IntegerField()
        series = peewee.CharField(max_length=140, null=True)
        sequence = peewee.IntegerField(null=True)
        number = peewee.CharField(max_length=40, null=True)
        corrects = peewee.ForeignKeyField("self", null=True, on_delete="SET NULL", backref="+")
        corrected_by = peewee.ForeignKeyField("self", null=True, on_delete="SET NULL", backref="+")
        cancellation_reason = peewee.TextField(null=True)
        created_at = peewee.DateTimeField(default=datetime.datetime.utcnow)
        updated_at = peewee.DateTimeField(default=datetime.datetime.utcnow)
        issued_at = peewee.DateTimeField(null=True)
        cancelled_at = peewee.DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "document"
            indexes = (
                (("owner", "subject"), False),
                (("series", "sequence"), True),
            )

    class DocumentSeries(peewee.Model):
        name = peewee.CharField(max_length=140, primary_key=True)
        last = peewee.IntegerField(default=0)

        class Meta:
            database = db
            table_name = "document_series"

    class Circuit(peewee.Model):
        document = peewee.ForeignKeyField(Document, on_delete="CASCADE")
        ordered = peewee.BooleanField(default=False)
        status = peewee.CharField(max_length=10, default="open", index=True)
        round = peewee.IntegerField(default=1)
        created_at = peewee.DateTimeField(default=datetime.datetime.utcnow)
        completed_at = peewee.DateTimeField(null=True)
        cancelled_at = peewee.DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "signature_circuit"

    class Signatory(peewee.Model):
        circuit = peewee.ForeignKeyField(Circuit, on_delete="CASCADE")
        position = peewee.IntegerField()
        role = peewee.CharField(max_length=100)
        name = peewee.CharField(max_length=200)
        email = peewee.CharField(max_length=254, index=True)
        account = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
        locale = peewee.CharField(max_length=5, default="fr")
        nonce = peewee.CharField(max_length=32)
        signed_at = peewee.DateTimeField(null=True)
        emailed_at = peewee.DateTimeField(null=True)
        reminders = peewee.IntegerField(default=0)

        class Meta:
            database = db
            table_name = "signatory"
            indexes = ((("circuit", "position"), True),)

    class Signature(peewee.Model):
        signatory = peewee.ForeignKeyField(Signatory, on_delete="CASCADE")
        round = peewee.IntegerField()
        document_version = peewee.IntegerField()
        sha256 = peewee.CharField(max_length=64)
        method = peewee.CharField(max_length=10)
        typed_name = peewee.CharField(max_length=200, null=True)
        consent = peewee.BooleanField(default=False)
        signed_at = peewee.DateTimeField(default=datetime.datetime.utcnow)
        address = peewee.CharField(max_length=45, null=True)
        signed_on = peewee.DateField(null=True)
        recorded_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
        recorded_by_name = peewee.CharField(max_length=200, null=True)
        scan_key = peewee.CharField(max_length=80, null=True)
        scan_type = peewee.CharField(max_length=30, null=True)
        scan_expires_at = peewee.DateTimeField(null=True, index=True)
        voided_at = peewee.DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "signature"

    db.create_tables([Document, DocumentSeries, Circuit, Signatory, Signature])
