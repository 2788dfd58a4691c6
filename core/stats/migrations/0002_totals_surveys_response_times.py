"""The aggregates the key figures read without counting interventions or answers.

- ``stats_monthly_figures`` gets the satisfaction survey answers (``surveys``, and the sum
  of their marks, ``ratings``), an index of the rows of events (their public is the
  largest reported, read per event) and its school index covers ``completed``.
- ``stats_monthly_totals``: the school rows summed by month, territory, type and mode.
- ``stats_response_times``: the response time of each answered request, in hours, with
  the 4-hour bucket it falls in; ``stats_monthly_response_times`` counts them by month,
  territory and bucket: the median reads the counts, then one bucket's answers in order.

Then every aggregate is recounted from the interventions, as ``tremplin stats rebuild``
does (the months are the region's, which only the running instance knows).
"""

import peewee


def up(migrator, db):
    class MonthlyTotals(peewee.Model):
        month = peewee.CharField(max_length=7)
        territory = peewee.IntegerField()
        intervention_type = peewee.CharField(max_length=30)
        mode = peewee.CharField(max_length=20)
        completed = peewee.IntegerField(default=0)
        pupils = peewee.IntegerField(default=0)
        young_people = peewee.IntegerField(default=0)
        requested = peewee.IntegerField(default=0)
        addressed = peewee.IntegerField(default=0)
        answered = peewee.IntegerField(default=0)
        surveys = peewee.IntegerField(default=0)
        ratings = peewee.IntegerField(default=0)

        class Meta:
            database = db
            table_name = "stats_monthly_totals"
            indexes = ((("month", "territory", "intervention_type", "mode"), True),)

    class ResponseTime(peewee.Model):
        intervention = peewee.IntegerField()
        organisation = peewee.IntegerField()
        month = peewee.CharField(max_length=7)
        territory = peewee.IntegerField(null=True)
        hours = peewee.DoubleField()
        bucket = peewee.IntegerField()

        class Meta:
            database = db
            table_name = "stats_response_times"
            indexes = (
                (("organisation",), False),
                (("bucket", "hours", "intervention", "month", "territory"), False),
            )

    class MonthlyResponseTimes(peewee.Model):
        month = peewee.CharField(max_length=7)
        territory = peewee.IntegerField()
        bucket = peewee.IntegerField()
        answered = peewee.IntegerField(default=0)

        class Meta:
            database = db
            table_name = "stats_monthly_response_times"
            indexes = ((("month", "territory", "bucket"), True),)

    # Emptied first (recounted below): adding a column with a default updates every row,
    # and an index created after such updates on PostgreSQL is not used by any transaction
    # older than it until they all end (``indcheckxmin``), a long while on a busy server.
    db.execute_sql("DELETE FROM stats_monthly_figures")
    # Covering indexes: each event's public, and whether a school was reached, are read
    # from the index alone.
    db.execute_sql(
        "CREATE INDEX stats_monthly_figures_events ON stats_monthly_figures"
        " (month, territory, event, completed, event_public) WHERE event IS NOT NULL"
    )
    db.execute_sql("DROP INDEX monthlyfigures_organisation_month")
    db.execute_sql(
        "CREATE INDEX stats_monthly_figures_reached ON stats_monthly_figures"
        " (organisation, month, completed)"
    )
    migrator.migrate(
        migrator.add_column("stats_monthly_figures", "surveys", peewee.IntegerField(default=0)),
        migrator.add_column("stats_monthly_figures", "ratings", peewee.IntegerField(default=0)),
    )
    db.create_tables([MonthlyTotals, ResponseTime, MonthlyResponseTimes])
    if db.execute_sql("SELECT 1 FROM intervention LIMIT 1").fetchone():
        from tremplin.stats import monthly

        monthly.rebuild()
