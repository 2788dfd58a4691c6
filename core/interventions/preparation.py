"""The preparation kit the region gives ambassadors, offered with each accepted intervention.

The kit is the region's text ``texts/preparation.<locale>.md`` in its folder (questions to
prepare, a plan for the talk, advice on neutrality, gender equality and inclusion), which
the region edits like its other texts (``tremplin.region.Region.text``); a region may add
a talk support of its own as ``static/preparation-support.pdf``. It holds no personal
data: every member of the network may read it; its ambassador is offered it on an
intervention once accepted, and the school is told of it when the request is accepted.
"""

from __future__ import annotations

from ..auth.models import Account
from ..runtime import current
from . import access
from .models import Intervention, Status

TEXT_NAME = "preparation"
SUPPORT_FILE = "preparation-support.pdf"
# Once the ambassador said yes, until the intervention takes place.
PREPARING = (Status.ACCEPTED, Status.SCHEDULED)


def written(locale: str | None = None) -> bool:
    """Whether the region wrote its preparation kit (in ``locale`` or its default)."""
    return current().region.text(TEXT_NAME, locale) is not None


def offered_for(viewer: Account | None, intervention: Intervention) -> bool:
    """The ambassador of an accepted or scheduled intervention is offered the kit."""
    return (
        intervention.status in PREPARING
        and access.is_ambassador_of(viewer, intervention)
        and written()
    )
