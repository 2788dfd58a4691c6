"""Joining an organisation needs someone's yes: ``role_grant.pending``, who approved and
when, and the ``membership_decision`` log. Every grant that exists is in force (approved)."""

import datetime

import peewee


def up(migrator, db):
    class Account(peewee.Model):
        class Meta:
            database = db
            table_name = "account"

    class Organisation(peewee.Model):
        class Meta:
            database = db
            table_name = "organisation"

    class MembershipDecision(peewee.Model):
        organisation = peewee.ForeignKeyField(Organisation, on_delete="CASCADE", index=True)
        role = peewee.CharField(max_length=20)
        member = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
        decided_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
        decision = peewee.CharField(max_length=20)
        decided_at = peewee.DateTimeField(default=datetime.datetime.utcnow, index=True)

        class Meta:
            database = db
            table_name = "membership_decision"

    approved_by = peewee.ForeignKeyField(
        Account, null=True, on_delete="SET NULL", field=Account._meta.primary_key
    )
    migrator.migrate(
        migrator.add_column("role_grant", "pending", peewee.BooleanField(default=False)),
        migrator.add_column("role_grant", "approved_at", peewee.DateTimeField(null=True)),
        migrator.add_column("role_grant", "approved_by_id", approved_by),
    )
    db.execute_sql("UPDATE role_grant SET approved_at = created_at")
    db.create_tables([MembershipDecision])
