"""The aggregates the key figures are read from (see ``monthly``)."""

from __future__ import annotations

import peewee

from ..db import BaseModel

# ``territory`` of the compact aggregates for interventions without a territory (counted in
# the region only): a unique key needs a value, and no territory has the number 0.
NO_TERRITORY = 0
# The width of the ranges of response times counted together, in hours: narrow enough
# that the range holding the median holds few answers, wide enough that a region's year
# has few counts (about 4 hours, from the spread of a network's response times).
BUCKET_HOURS = 4


class MonthlyFigures(BaseModel):
    """The interventions of one school, type, mode and event, counted for one month.

    A cell of the aggregates: ``month`` is a calendar month of the region (``YYYY-MM``);
    ``territory`` the interventions' territory (their school's when requested). Each count
    takes the month of its own date, as docs/statistics.md defines the figures: completed
    interventions (``completed``, ``pupils`` outside events, ``event_public`` the largest
    public reported for the event, ``young_people``, and the satisfaction survey answers
    about them, ``surveys``, with the sum of their marks, ``ratings``) the month they took
    place, requests (``requested``) the month they were made, answers (``addressed``,
    ``answered``) the month the request reached the ambassador.
    """

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
    surveys = peewee.IntegerField(default=0)
    ratings = peewee.IntegerField(default=0)

    class Meta:
        table_name = "stats_monthly_figures"
        # And a partial index of the rows of events (migration 0002).
        indexes = ((("month", "territory"), False), (("organisation", "month", "completed"), False))


class MonthlyTotals(BaseModel):
    """The sums of ``MonthlyFigures`` over schools and events, by month, territory, type and
    mode (``territory`` ``NO_TERRITORY`` for interventions without one).

    Every change to a school's rows adds its difference here in the same transaction, so
    that a row here always equals the sum of the school rows of its key; a region's year
    reads a few thousand of these rows instead of one per school and month.
    """

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
        table_name = "stats_monthly_totals"
        indexes = ((("month", "territory", "intervention_type", "mode"), True),)


class ResponseTime(BaseModel):
    """The time an answered request took to be answered, in hours, counted where the
    ``answered`` of the aggregates counts it (the month the request reached the ambassador).

    One row per answered request, kept with its school's aggregates; ``bucket`` is the
    ``BUCKET_HOURS`` wide range of ``hours`` it falls in (``floor(hours / BUCKET_HOURS)``).
    The median reads the middle rows of one bucket in the order of an index, instead of
    sorting the interventions.
    """

    intervention = peewee.IntegerField()
    organisation = peewee.IntegerField()
    month = peewee.CharField(max_length=7)
    territory = peewee.IntegerField(null=True)
    hours = peewee.DoubleField()
    bucket = peewee.IntegerField()

    class Meta:
        table_name = "stats_response_times"
        indexes = (
            (("organisation",), False),
            (("bucket", "hours", "intervention", "month", "territory"), False),
        )


class MonthlyResponseTimes(BaseModel):
    """How many ``ResponseTime`` rows fall in each bucket, by month and territory
    (``NO_TERRITORY`` for requests without one): where the middle answers are.

    Kept like ``MonthlyTotals``: every change to a school's response times adds its
    difference here in the same transaction.
    """

    month = peewee.CharField(max_length=7)
    territory = peewee.IntegerField()
    bucket = peewee.IntegerField()
    answered = peewee.IntegerField(default=0)

    class Meta:
        table_name = "stats_monthly_response_times"
        indexes = ((("month", "territory", "bucket"), True),)


class PeopleTotals(BaseModel):
    """The region's counts of people as they stand now (``tremplin.stats.registered``).

    ``figure`` ``ambassadors`` by ``gender`` (``female``, ``male``, ``other``,
    ``unknown``): the active accounts with an ambassador profile; ``consenting``: those
    whose image-rights choice in force is a consent; ``educators``: the active accounts
    holding an approved educator role for an organisation (``gender`` empty for these two).
    Kept by triggers of the database in the transaction of each change (migration 0003).
    """

    figure = peewee.CharField(max_length=20)
    gender = peewee.CharField(max_length=20, default="")
    total = peewee.IntegerField(default=0)

    class Meta:
        table_name = "stats_people_totals"
        primary_key = peewee.CompositeKey("figure", "gender")
