"""The convention of a placement: printed from the region's model, signed by every party.

The school prepares it once the host accepted the pupil: who signs for the school (its
head) and for the host (its representative), the tutor, the insurance of both and the
emergency contacts. Its document (``stages.convention``) shows every mandatory field (the
school and its head, the host and its representative, the tutor, the referring teacher,
the pupil, the legal guardians, the dates, the weekly schedule, the activities, the
insurances and emergency contacts) and then the region's model text (region data,
``convention_model``). It is signed through the core's signature circuit by the head of
school, the host's representative, the tutor (once, when they are the representative),
the referring teacher, the pupil and each legal guardian, each by a single-use link that
expires; the school may record a signature on paper instead.

Any change of the placement's dates or schedule voids the signatures given and starts
the circuit again (``documents.revise_draft``); once the convention is signed and issued,
such a change is an amendment: a new document that corrects it, signed again by everyone,
which replaces it when it is issued. The internship starts only when the current document
is signed by all (``require_signed``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from babel.dates import format_date
from markdown_it import MarkdownIt

from tremplin import clock, runtime
from tremplin.auth.models import Account
from tremplin.db import database
from tremplin.documents import circuits
from tremplin.documents import service as documents
from tremplin.documents.circuits import Signer
from tremplin.documents.models import Document
from tremplin.errors import Conflict, Invalid, NotFound
from tremplin.i18n import get_locale
from tremplin.validation import validated

from . import plugin, schedule, service
from .i18n import _, lazy_gettext
from .models import Convention, ConventionStatus, Guardian, Placement, PlacementStatus
from .schemas import ConventionSchema, PaperSchema

KIND = "stages.convention"
TEMPLATE = "stages/documents/convention.html"
DEFAULT_MODEL = Path(__file__).parent / "convention_model.md"
LEVEL_LABELS = {
    "4e": lazy_gettext("Observation sequence of 4e"),
    "3e": lazy_gettext("Observation sequence of 3e"),
    "2de": lazy_gettext("Observation sequence of seconde"),
    "holidays": lazy_gettext("Holiday mini-stage"),
}
DAY_LABELS = {
    "Mon": lazy_gettext("Monday"),
    "Tue": lazy_gettext("Tuesday"),
    "Wed": lazy_gettext("Wednesday"),
    "Thu": lazy_gettext("Thursday"),
    "Fri": lazy_gettext("Friday"),
    "Sat": lazy_gettext("Saturday"),
    "Sun": lazy_gettext("Sunday"),
}
_markdown = MarkdownIt("commonmark", {"html": False})


def convention_of(placement_id: int) -> Convention | None:
    """The placement's convention, if the school prepared it."""
    return Convention.get_or_none(Convention.placement == placement_id)


def prepare(account: Account, placement_id: int, raw: Mapping[str, Any]) -> Convention:
    """The school prepares the convention of an accepted placement and sends it to be signed
    by every party; each is emailed a personal link."""
    placement = service.placement_for(account, placement_id)
    service.require_side(account, placement, "school")
    data = validated(ConventionSchema, raw)
    pupil_email = data.pop("pupil_email") or placement.pupil_email
    if not pupil_email:
        raise Invalid({"pupil_email": [_("Give the pupil's email: the pupil signs too.")]})
    with database.atomic():
        Placement.update(pupil_email=pupil_email).where(Placement.id == placement.id).execute()
        placement = Placement.get_by_id(placement.id)
        if placement.status != PlacementStatus.ACCEPTED:
            raise Conflict(_("A convention is prepared once the host has accepted the pupil."))
        if convention_of(placement.id) is not None:
            raise Conflict(_("This placement already has its convention."))
        convention = Convention.create(placement=placement.id, created_by=account, **data)
        document = documents.create_draft(
            KIND,
            plugin.name,
            f"convention:{convention.id}",
            title(placement),
            TEMPLATE,
            document_context(placement, convention),
        )
        Convention.update(document=document.id).where(Convention.id == convention.id).execute()
        circuits.start_circuit(document, signers(placement, convention))
    return Convention.get_by_id(convention.id)


def title(placement: Placement) -> str:
    """The document's title, as signatories see it."""
    pupil = f"{placement.pupil_first_name} {placement.pupil_last_name}"
    return _("Internship convention — %(pupil)s at %(host)s", pupil=pupil, host=placement.host.name)


def signers(placement: Placement, convention: Convention) -> list[Signer]:
    """Head of school, host representative, tutor (unless the same person), referring
    teacher, pupil, each legal guardian."""
    rows = [
        Signer(_("Head of school"), convention.head_name, convention.head_email),
    ]
    if convention.tutor_email.lower() == convention.representative_email.lower():
        rows.append(
            Signer(
                _("Host representative and tutor"),
                convention.representative_name,
                convention.representative_email,
            )
        )
    else:
        rows.append(
            Signer(
                _("Host representative"),
                convention.representative_name,
                convention.representative_email,
            )
        )
        rows.append(Signer(_("Tutor"), convention.tutor_name, convention.tutor_email))
    teacher = Account.get_or_none(Account.id == placement.teacher_id)
    if teacher is not None:
        rows.append(
            Signer(
                _("Referring teacher"),
                f"{teacher.first_name} {teacher.last_name}",
                teacher.email,
                account=teacher,
            )
        )
    rows.append(
        Signer(
            _("Pupil"),
            f"{placement.pupil_first_name} {placement.pupil_last_name}",
            placement.pupil_email,
        )
    )
    for guardian in (
        Guardian.select().where(Guardian.placement == placement.id).order_by(Guardian.position)
    ):
        rows.append(Signer(_("Legal guardian"), guardian.name, guardian.email))
    return rows


def model_text() -> str:
    """The region's model of the convention (Markdown), or the plugin's own."""
    region = runtime.current().region
    path = region.path / service.settings()["convention_model"]
    if path.is_file():
        return path.read_text(encoding="utf-8")
    return DEFAULT_MODEL.read_text(encoding="utf-8")


def _day(value) -> str:
    return format_date(value, "long", locale=get_locale())


def document_context(placement: Placement, convention: Convention) -> dict[str, Any]:
    """Every mandatory field of the convention, as the document prints it."""
    school = placement.school
    host = placement.host
    offer = placement.offer
    teacher = Account.get_or_none(Account.id == placement.teacher_id)
    week = schedule.load(placement.schedule)
    return {
        "level": str(LEVEL_LABELS.get(placement.level, placement.level)),
        "school": school.name,
        "school_place": " ".join(filter(None, [school.postcode, school.city])),
        "school_uai": school.uai or "",
        "head": convention.head_name,
        "host": host.name,
        "host_siret": host.siret or "",
        "host_place": offer.place,
        "representative": convention.representative_name,
        "tutor": convention.tutor_name,
        "teacher": f"{teacher.first_name} {teacher.last_name}" if teacher else "",
        "pupil": f"{placement.pupil_first_name} {placement.pupil_last_name}",
        "pupil_class": placement.pupil_class,
        "pupil_birth_date": _day(placement.pupil_birth_date),
        "guardians": [
            {"name": g.name, "email": g.email, "phone": g.phone}
            for g in Guardian.select()
            .where(Guardian.placement == placement.id)
            .order_by(Guardian.position)
        ],
        "first_day": _day(placement.first_day),
        "last_day": _day(placement.last_day),
        "schedule": [
            {"day": str(DAY_LABELS[day]), "hours": ", ".join(f"{s}–{e}" for s, e in stretches)}
            for day, stretches in week.items()
        ],
        "weekly_hours": _hours(schedule.weekly_minutes(week)),
        "occupation": offer.occupation,
        "activities": offer.activities,
        "safety_rules": offer.safety_rules,
        "school_insurance": convention.school_insurance,
        "host_insurance": convention.host_insurance,
        "emergency_contact": convention.emergency_contact,
        "amendment": convention.amendments,
        "model_html": _markdown.render(model_text()),
    }


def _hours(minutes: int) -> str:
    return f"{minutes // 60} h {minutes % 60:02d}"


def amend(placement_id: int) -> None:
    """The placement's dates or schedule changed: its convention is made again and every
    signature is voided; a signed convention gets an amendment to sign again."""
    convention = convention_of(placement_id)
    if convention is None or convention.document_id is None:
        return
    if convention.status == ConventionStatus.CANCELLED:
        return
    placement = Placement.get_by_id(placement_id)
    document = documents.get(convention.document_id)
    if document.status == "draft":
        documents.revise_draft(document, context=document_context(placement, convention))
        return
    amendments = convention.amendments + 1
    Convention.update(amendments=amendments, status=ConventionStatus.SIGNING, signed_at=None).where(
        Convention.id == convention.id
    ).execute()
    convention = Convention.get_by_id(convention.id)
    draft = documents.correct(
        document,
        context=document_context(placement, convention),
        title=_("Amendment %(number)s — %(title)s", number=amendments, title=title(placement)),
        issue_now=False,
    )
    Convention.update(document=draft.id).where(Convention.id == convention.id).execute()
    circuits.start_circuit(draft, signers(placement, convention))


def signed(convention_id: int) -> None:
    """Every party signed the current content: the document is issued, the convention in
    force (an amendment replaces the convention it corrects)."""
    convention = Convention.get_by_id(convention_id)
    if convention.document_id is not None:
        document = documents.get(convention.document_id)
        if document.status == "draft":
            documents.issue(document)
    Convention.update(status=ConventionStatus.SIGNED, signed_at=clock.now()).where(
        Convention.id == convention_id, Convention.status == ConventionStatus.SIGNING
    ).execute()


def cancel(placement_id: int, reason: str) -> set[str]:
    """The placement is cancelled: so is its convention and its document; the emails of the
    signatories (told by the circuit's cancellation too)."""
    convention = convention_of(placement_id)
    if convention is None:
        return set()
    Convention.update(status=ConventionStatus.CANCELLED).where(
        Convention.id == convention.id
    ).execute()
    if convention.document_id is None:
        return set()
    document = documents.get(convention.document_id)
    circuit = circuits.circuit_of(document)
    told = {s.email for s in circuits.signatories_of(circuit)} if circuit else set()
    if document.status != "cancelled":
        documents.cancel(document, reason)
    return told


def document_of(convention: Convention | None) -> Document | None:
    """The convention's current document (the latest amendment)."""
    if convention is None or convention.document_id is None:
        return None
    return documents.get(convention.document_id)


def missing_signatures(placement: Placement) -> list[str]:
    """The roles and names of those who have not signed the current convention (all of
    them when there is none yet)."""
    document = document_of(convention_of(placement.id))
    if document is None:
        return [_("Nobody: the convention is not prepared yet.")]
    circuit = circuits.circuit_of(document)
    if circuit is None:
        return [_("Nobody: the convention is not sent yet.")]
    return [f"{s.role} ({s.name})" for s in circuits.signatories_of(circuit) if s.signed_at is None]


def require_signed(placement: Placement) -> None:
    """``Conflict`` naming who has not signed, unless every party signed the current
    convention and it is issued."""
    convention = convention_of(placement.id)
    document = document_of(convention)
    if (
        convention is None
        or document is None
        or convention.status != ConventionStatus.SIGNED
        or document.status != "issued"
        or circuits.has_open_circuit(document)
    ):
        raise Conflict(
            _(
                "The internship cannot start before everyone signed the convention. Not "
                "signed yet: %(names)s.",
                names="; ".join(missing_signatures(placement)),
            )
        )


def signatories(placement: Placement) -> list[dict[str, Any]]:
    """The signatories of the current convention, with how each signed (for the school and
    the host only)."""
    document = document_of(convention_of(placement.id))
    circuit = circuits.circuit_of(document) if document else None
    if circuit is None:
        return []
    rows = []
    for signatory in circuits.signatories_of(circuit):
        signature = circuits.signature_of(signatory)
        rows.append(
            {
                "id": signatory.id,
                "role": signatory.role,
                "name": signatory.name,
                "signed_at": signatory.signed_at,
                "method": signature.method if signature else None,
            }
        )
    return rows


def record_paper(
    account: Account, placement_id: int, raw: Mapping[str, Any], scan: bytes | None = None
) -> None:
    """The school records that a signatory signed the convention on paper (the date on the
    paper, maybe a scan, kept as long as the region's ``scan_kept_days`` says)."""
    placement = service.placement_for(account, placement_id)
    service.require_side(account, placement, "school")
    data = validated(PaperSchema, raw)
    document = document_of(convention_of(placement.id))
    circuit = circuits.circuit_of(document) if document else None
    found = [
        s
        for s in (circuits.signatories_of(circuit) if circuit else [])
        if s.id == data["signatory"]
    ]
    if not found:
        raise NotFound(_("This person does not sign this convention."))
    circuits.record_paper_signature(found[0], account, data["signed_on"], scan)


def send_link_again(account: Account, placement_id: int, signatory_id: int) -> None:
    """A new link for a signatory whose link expired or was lost (school or host)."""
    placement = service.placement_for(account, placement_id)
    document = document_of(convention_of(placement.id))
    circuit = circuits.circuit_of(document) if document else None
    found = [
        s for s in (circuits.signatories_of(circuit) if circuit else []) if s.id == signatory_id
    ]
    if not found:
        raise NotFound(_("This person does not sign this convention."))
    circuits.send_link_again(found[0])
