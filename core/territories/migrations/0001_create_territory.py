"""Create the territory table."""

import peewee


def up(migrator, db):
    class Territory(peewee.Model):
        code = peewee.CharField(max_length=50, unique=True)
        name = peewee.CharField(max_length=200)
        kind = peewee.CharField(max_length=20, index=True)
        parent = peewee.ForeignKeyField(
            "self", null=True, backref="children", on_delete="RESTRICT", index=True
        )
        latitude = peewee.FloatField(null=True)
        longitude = peewee.FloatField(null=True)

        class Meta:
            database = db
            table_name = "territory"

    db.create_tables([Territory])
