"""The words people read for the interventions area's codes: statuses, audiences, sides.

Intervention types and modes are the people area's (``tremplin.people.labels``); the
reasons for declining live next to their schema (``schemas.DECLINE_REASON_LABELS``) and
are re-exported here so that pages find every label in one module.
"""

from __future__ import annotations

from ..i18n import lazy_gettext
from ..people.labels import INTERVENTION_LABELS, MODE_LABELS, label
from .models import AudienceLevel, Side, Status
from .schemas import DECLINE_REASON_LABELS

__all__ = [
    "DECLINE_REASON_LABELS",
    "INTERVENTION_LABELS",
    "LEVEL_LABELS",
    "MODE_LABELS",
    "PROPOSED_BY_LABELS",
    "RATING_LABELS",
    "SIDE_LABELS",
    "STATUS_LABELS",
    "label",
]

STATUS_LABELS = {
    Status.REQUESTED: lazy_gettext("Requested"),
    Status.ACCEPTED: lazy_gettext("Accepted, date to be fixed"),
    Status.DECLINED: lazy_gettext("Declined"),
    Status.EXPIRED: lazy_gettext("Expired without an answer"),
    Status.SCHEDULED: lazy_gettext("Scheduled"),
    Status.COMPLETED: lazy_gettext("Completed"),
    Status.CANCELLED: lazy_gettext("Cancelled"),
}

LEVEL_LABELS = {
    AudienceLevel.COLLEGE_4: lazy_gettext("Middle school, 4e"),
    AudienceLevel.COLLEGE_3: lazy_gettext("Middle school, 3e"),
    AudienceLevel.LYCEE_GENERAL: lazy_gettext("General and technological high school"),
    AudienceLevel.LYCEE_PRO: lazy_gettext("Vocational high school"),
    AudienceLevel.APPRENTICES: lazy_gettext("Apprentices"),
    AudienceLevel.STUDENTS: lazy_gettext("Students"),
    AudienceLevel.YOUNG_ADULTS: lazy_gettext("Young people aged 16 to 30 without a solution"),
    AudienceLevel.FAMILIES: lazy_gettext("Families"),
    AudienceLevel.EDUCATIONAL_TEAMS: lazy_gettext("Educational teams"),
}

SIDE_LABELS = {
    Side.SCHOOL: lazy_gettext("The educational team"),
    Side.AMBASSADOR: lazy_gettext("The ambassador"),
}

PROPOSED_BY_LABELS = {
    Side.SCHOOL: lazy_gettext("proposed by the educational team"),
    Side.AMBASSADOR: lazy_gettext("proposed by the ambassador"),
}

RATING_LABELS = {
    1: lazy_gettext("1 — disappointing"),
    2: lazy_gettext("2 — fair"),
    3: lazy_gettext("3 — good"),
    4: lazy_gettext("4 — very good"),
    5: lazy_gettext("5 — excellent"),
}
