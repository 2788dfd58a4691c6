"""Create the account and role_grant tables."""

import datetime
import secrets

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
        email = peewee.CharField(max_length=254, unique=True)
        password_hash = peewee.CharField(max_length=200, null=True)
        first_name = peewee.CharField(max_length=100)
        last_name = peewee.CharField(max_length=100)
        phone = peewee.CharField(max_length=30, null=True)
        gender = peewee.CharField(max_length=20, null=True)
        locale = peewee.CharField(max_length=5, default="fr")
        status = peewee.CharField(max_length=20, default="pending", index=True)
        token_nonce = peewee.CharField(max_length=32, default=lambda: secrets.token_hex(16))
        pending_email = peewee.CharField(max_length=254, null=True)
        created_at = peewee.DateTimeField(default=datetime.datetime.utcnow)
        activated_at = peewee.DateTimeField(null=True)
        last_login_at = peewee.DateTimeField(null=True)
        deleted_at = peewee.DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "account"

    class RoleGrant(peewee.Model):
        account = peewee.ForeignKeyField(Account, on_delete="CASCADE")
        role = peewee.CharField(max_length=20, index=True)
        territory = peewee.ForeignKeyField(Territory, null=True, on_delete="RESTRICT", index=True)
        organisation = peewee.ForeignKeyField(
            Organisation, null=True, on_delete="CASCADE", index=True
        )
        created_at = peewee.DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            database = db
            table_name = "role_grant"
            indexes = ((("account", "role", "territory", "organisation"), True),)

    db.create_tables([Account, RoleGrant])
