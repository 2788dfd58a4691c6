"""Create the monthly aggregates of the key figures (0002 fills them)."""

import peewee


def up(migrator, db):
    class MonthlyFigures(peewee.Model):
        month = peewee.CharField(max_length=7)
        territory = peewee.IntegerField(null=True)
        organisation = peewee.IntegerField()
        intervention_type = peewee.CharField(max_length=30)
        mode = peewee.CharField(max_length=20)
        event = peewee.IntegerField(null=True)
        completed = peewee.IntegerField(default=0)
        pupils = peewee.IntegerField(default=0)
        event_public = peewee.IntegerField(default=0)
        young_people = peewee.IntegerField(default=0)
        requested = peewee.IntegerField(default=0)
        addressed = peewee.IntegerField(default=0)
        answered = peewee.IntegerField(default=0)

        class Meta:
            database = db
            table_name = "stats_monthly_figures"
            indexes = ((("month", "territory"), False), (("organisation", "month"), False))

    # Filled by 0002, which adds the columns today's ``tremplin stats rebuild`` writes.
    db.create_tables([MonthlyFigures])
