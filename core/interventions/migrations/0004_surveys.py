"""Create ``survey_invitation`` (the satisfaction surveys sent after an intervention, their
links used once) and ``survey_refusal`` (people who asked for no surveys)."""

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

    class SurveyInvitation(peewee.Model):
        intervention = peewee.ForeignKeyField(Intervention, on_delete="CASCADE")
        account = peewee.ForeignKeyField(Account, on_delete="CASCADE")
        sent_at = peewee.DateTimeField(default=datetime.datetime.utcnow)
        expires_at = peewee.DateTimeField()
        used_at = peewee.DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "survey_invitation"
            indexes = ((("intervention", "account"), True),)

    class SurveyRefusal(peewee.Model):
        account = peewee.ForeignKeyField(Account, unique=True, on_delete="CASCADE")
        refused_at = peewee.DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            database = db
            table_name = "survey_refusal"

    db.create_tables([SurveyInvitation, SurveyRefusal])
