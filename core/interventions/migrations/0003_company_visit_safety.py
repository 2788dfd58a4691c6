"""Create ``company_visit_safety``: what the ambassador confirms when accepting a company visit."""

import datetime

import peewee


def up(migrator, db):
    class Account(peewee.Model):
        class Meta:
            database = db
            table_name = "account"

    class Intervention(peewee.Model):
        class Meta:
            database = db
            table_name = "intervention"

    class VisitSafety(peewee.Model):
        intervention = peewee.ForeignKeyField(Intervention, unique=True, on_delete="CASCADE")
        rules_allow = peewee.BooleanField(default=False)
        safety_rules = peewee.TextField()
        confirmed_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
        confirmed_at = peewee.DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            database = db
            table_name = "company_visit_safety"

    db.create_tables([VisitSafety])
