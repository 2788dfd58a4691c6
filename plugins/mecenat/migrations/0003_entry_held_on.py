"""``mecenat_entry.held_on``: the day an intervention took place when it counts for a later
period, because its own was locked (its receipt issued) when it was reported."""

import peewee


def up(migrator, db):
    migrator.migrate(migrator.add_column("mecenat_entry", "held_on", peewee.DateField(null=True)))
