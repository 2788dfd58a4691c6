"""Create the sign_in_session and access_token tables (sessions ended on the server,
personal access tokens of the API)."""

import datetime

import peewee


def up(migrator, db):
    class Account(peewee.Model):
        class Meta:
            database = db
            table_name = "account"

    class SignInSession(peewee.Model):
        account = peewee.ForeignKeyField(Account, on_delete="CASCADE")
        key_hash = peewee.CharField(max_length=64, unique=True)
        created_at = peewee.DateTimeField(default=datetime.datetime.utcnow)
        last_seen_at = peewee.DateTimeField(default=datetime.datetime.utcnow, index=True)

        class Meta:
            database = db
            table_name = "sign_in_session"

    class AccessToken(peewee.Model):
        account = peewee.ForeignKeyField(Account, on_delete="CASCADE")
        name = peewee.CharField(max_length=100)
        scope = peewee.CharField(max_length=20)
        token_hash = peewee.CharField(max_length=64, unique=True)
        hint = peewee.CharField(max_length=16)
        created_at = peewee.DateTimeField(default=datetime.datetime.utcnow)
        expires_at = peewee.DateTimeField(index=True)
        last_used_at = peewee.DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "access_token"

    db.create_tables([SignInSession, AccessToken])
