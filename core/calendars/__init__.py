"""Calendars: iCalendar invitations for scheduled interventions and private feeds."""
