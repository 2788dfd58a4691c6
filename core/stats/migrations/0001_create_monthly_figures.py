"""Create the monthly aggregates of the key figures, and fill them from the interventions."""

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

    db.create_tables([MonthlyFigures])
    if db.execute_sql("SELECT 1 FROM intervention LIMIT 1").fetchone():
        # Existing interventions: counted as ``tremplin stats rebuild`` counts them (the
        # months are the region's, which only the running instance knows).
        from tremplin.stats import monthly

        monthly.rebuild()
