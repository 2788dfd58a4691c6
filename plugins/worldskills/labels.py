"""The names people read for the plugin's codes: levels, pathways, statuses, roles, kinds."""

from __future__ import annotations

from typing import Any

from .i18n import lazy_gettext
from .models import AspectKind, CandidateStatus, JudgeRole, Level, Pathway

LEVELS = {
    Level.REGIONAL: lazy_gettext("Regional selection"),
    Level.NATIONAL: lazy_gettext("National finals"),
    Level.EUROSKILLS: lazy_gettext("EuroSkills"),
    Level.WORLDSKILLS: lazy_gettext("WorldSkills Competition"),
}
PATHWAYS = {
    Pathway.APPRENTICESHIP: lazy_gettext("Apprenticeship"),
    Pathway.SCHOOL: lazy_gettext("Vocational school"),
    Pathway.CONTINUING: lazy_gettext("Continuing education"),
}
STATUSES = {
    CandidateStatus.PENDING: lazy_gettext("Waiting for a referent"),
    CandidateStatus.ACCEPTED: lazy_gettext("Accepted"),
    CandidateStatus.REFUSED: lazy_gettext("Refused"),
}
ROLES = {
    JudgeRole.CHIEF_EXPERT: lazy_gettext("Chief expert"),
    JudgeRole.EXPERT: lazy_gettext("Expert"),
    JudgeRole.JUDGE: lazy_gettext("Judge"),
}
ASPECT_KINDS = {
    AspectKind.MEASUREMENT: lazy_gettext("Measurement"),
    AspectKind.JUDGEMENT: lazy_gettext("Judgement (0 to 3, three judges)"),
}
GENDERS = {
    "female": lazy_gettext("female"),
    "male": lazy_gettext("male"),
    "other": lazy_gettext("other"),
}


def label(names: dict[Any, Any], code: Any) -> str:
    """The name of ``code`` in ``names``, or the code itself."""
    return str(names.get(code, code)) if code is not None else ""
