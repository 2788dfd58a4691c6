"""Create the table of referents' choices about emails for each message of a thread."""

import peewee


def up(migrator, db):
    class Account(peewee.Model):
        class Meta:
            database = db
            table_name = "account"

    class ThreadEmails(peewee.Model):
        account = peewee.ForeignKeyField(Account, unique=True, on_delete="CASCADE")
        each_message = peewee.BooleanField(default=True)

        class Meta:
            database = db
            table_name = "thread_emails"

    db.create_tables([ThreadEmails])
