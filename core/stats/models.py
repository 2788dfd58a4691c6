"""The monthly aggregates the key figures are read from (see ``monthly``)."""

from __future__ import annotations

import peewee

from ..db import BaseModel


class MonthlyFigures(BaseModel):
    """The interventions of one school, type, mode and event, counted for one month.

    A cell of the aggregates: ``month`` is a calendar month of the region (``YYYY-MM``);
    ``territory`` the interventions' territory (their school's when requested). Each count
    takes the month of its own date, as docs/statistics.md defines the figures: completed
    interventions (``completed``, ``pupils`` outside events, ``event_public`` the largest
    public reported for the event, ``young_people``) the month they took place, requests
    (``requested``) the month they were made, answers (``addressed``, ``answered``) the
    month the request reached the ambassador.
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

    class Meta:
        table_name = "stats_monthly_figures"
        indexes = ((("month", "territory"), False), (("organisation", "month"), False))
