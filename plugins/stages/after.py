"""After the internship: the pupil's attendance certificate, the host's short evaluation and
the pupil's optional report.

The certificate (``stages.certificate``) is a numbered PDF the host or the school issues
once the internship is completed; issuing it again gives the same document. The host
evaluates the stay in a few words and a rating from 1 (not satisfactory) to 4 (very
satisfactory); the school may keep the pupil's report. Both are seen by the school and the
host only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from babel.dates import format_date

from tremplin.auth.models import Account
from tremplin.documents import service as documents
from tremplin.documents.models import Document
from tremplin.errors import Conflict
from tremplin.i18n import get_locale
from tremplin.validation import validated

from . import plugin, schedule, service
from .i18n import _
from .models import Placement, PlacementStatus
from .schemas import EvaluationSchema, ReportSchema

CERTIFICATE = "stages.certificate"
TEMPLATE = "stages/documents/certificate.html"
DONE = (PlacementStatus.COMPLETED,)


def certificate(account: Account, placement_id: int) -> Document:
    """The attendance certificate of a completed internship (issued once, then the same)."""
    placement = service.placement_for(account, placement_id)
    if placement.status not in DONE:
        raise Conflict(_("The certificate is issued once the internship is completed."))
    subject = f"certificate:{placement.id}"
    existing = [d for d in documents.documents_of(plugin.name, subject) if d.status == "issued"]
    if existing:
        return existing[-1]
    week = schedule.load(placement.schedule)
    return documents.issue_new(
        CERTIFICATE,
        plugin.name,
        subject,
        _("Attendance certificate"),
        TEMPLATE,
        {
            "pupil": f"{placement.pupil_first_name} {placement.pupil_last_name}",
            "pupil_class": placement.pupil_class,
            "school": placement.school.name,
            "host": placement.host.name,
            "occupation": placement.offer.occupation,
            "first_day": format_date(placement.first_day, "long", locale=get_locale()),
            "last_day": format_date(placement.last_day, "long", locale=get_locale()),
            "weekly_hours": f"{schedule.weekly_minutes(week) // 60} h "
            f"{schedule.weekly_minutes(week) % 60:02d}",
        },
    )


def evaluate(account: Account, placement_id: int, raw: Mapping[str, Any]) -> Placement:
    """The host's short evaluation of a stay that started."""
    placement = service.placement_for(account, placement_id)
    service.require_side(account, placement, "host")
    data = validated(EvaluationSchema, raw)
    if placement.status not in (PlacementStatus.STARTED, PlacementStatus.COMPLETED):
        raise Conflict(_("The host evaluates a stay once it has started."))
    Placement.update(evaluation=data["evaluation"], evaluation_rating=data["rating"]).where(
        Placement.id == placement.id
    ).execute()
    return Placement.get_by_id(placement.id)


def report(account: Account, placement_id: int, raw: Mapping[str, Any]) -> Placement:
    """The pupil's report, kept by the school (optional)."""
    placement = service.placement_for(account, placement_id)
    service.require_side(account, placement, "school")
    data = validated(ReportSchema, raw)
    if placement.status not in (PlacementStatus.STARTED, PlacementStatus.COMPLETED):
        raise Conflict(_("The report is written once the stay has started."))
    Placement.update(report=data["report"]).where(Placement.id == placement.id).execute()
    return Placement.get_by_id(placement.id)
