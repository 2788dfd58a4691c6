"""Create ``image_rights_decision``: ambassadors' consents to photos and videos, and
their withdrawals (charter article 7)."""

import datetime

import peewee


def up(migrator, db):
    class Ambassador(peewee.Model):
        class Meta:
            database = db
            table_name = "ambassador"

    class ImageRightsDecision(peewee.Model):
        ambassador = peewee.ForeignKeyField(Ambassador, on_delete="CASCADE")
        consented = peewee.BooleanField()
        text_version = peewee.CharField(max_length=20)
        decided_at = peewee.DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            database = db
            table_name = "image_rights_decision"
            indexes = ((("ambassador", "decided_at"), False),)

    db.create_tables([ImageRightsDecision])
