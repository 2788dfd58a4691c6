"""The rules of pupils' internships, as pure functions: the plugin's public contract.

- ``check_week(age, days)``: the rules of young workers' time a weekly timetable breaks
  (``WEEK_CODES``), see ``tremplin.plugins.stages.week``;
- ``check_periods(level, periods)``: the rules of dates and length a stay breaks
  (``PERIOD_CODES``), see ``tremplin.plugins.stages.periods``;
- ``explain(code)``: what a code means, its rule and source, in the reader's language.

No database, no Flask, no clock: everything the rules need is an argument, and what
changes (limits, levels, school holidays, public holidays) is data with its source that
a caller may replace. docs/plugins/stages.md is the reference for regions.
"""

from .messages import explain
from .periods import LEVELS, PERIOD_CODES, Level, check_periods
from .school_calendar import DEFAULT_ZONE, ZONES, SchoolCalendar, calendar_of
from .week import WEEK_CODES, WEEKDAYS, YOUNG_WORKERS, AgeBand, Limits, check_week

__all__ = [
    "DEFAULT_ZONE",
    "LEVELS",
    "PERIOD_CODES",
    "WEEKDAYS",
    "WEEK_CODES",
    "YOUNG_WORKERS",
    "ZONES",
    "AgeBand",
    "Level",
    "Limits",
    "SchoolCalendar",
    "calendar_of",
    "check_periods",
    "check_week",
    "explain",
]
