"""The words people read for the people area's codes (kinds, intervention types, modes)."""

from __future__ import annotations

from ..i18n import lazy_gettext
from .models import AmbassadorKind, InterventionType, Mode

KIND_LABELS = {
    AmbassadorKind.YOUNG: lazy_gettext("Pupil, apprentice or student ambassador"),
    AmbassadorKind.PROFESSIONAL: lazy_gettext("Occupation ambassador"),
    AmbassadorKind.TRAINER: lazy_gettext("Training-body ambassador"),
}

KIND_HINTS = {
    AmbassadorKind.YOUNG: lazy_gettext(
        "You are in secondary school, an apprentice or a student and tell young people "
        "about your training."
    ),
    AmbassadorKind.PROFESSIONAL: lazy_gettext(
        "You practise an occupation and present it to young people (with your employer's "
        "agreement if you are an employee)."
    ),
    AmbassadorKind.TRAINER: lazy_gettext(
        "You work for a training body and present the occupations it trains for."
    ),
}

INTERVENTION_LABELS = {
    InterventionType.CLASS_TALK: lazy_gettext("Talk in a class (45 minutes at most)"),
    InterventionType.FORUM: lazy_gettext("Forum, fair or open day"),
    InterventionType.COMPANY_VISIT: lazy_gettext("Company visit"),
    InterventionType.INTERNSHIP: lazy_gettext("Discovery internship"),
    InterventionType.WEBINAR: lazy_gettext("Webinar"),
}

MODE_LABELS = {
    Mode.ON_SITE: lazy_gettext("On site"),
    Mode.REMOTE: lazy_gettext("Remotely"),
}

GENDER_LABELS = {
    "female": lazy_gettext("Woman"),
    "male": lazy_gettext("Man"),
    "other": lazy_gettext("Other"),
}


def label(labels: dict, code: str | None) -> str:
    """The translated label of ``code`` in ``labels``, or the code itself if unknown."""
    return str(labels.get(code, code or ""))
