"""Personal data of the plugin: what is kept, who sees it, how long.

===================  ==========================================================  ==========
what                 kept                                                        erased
===================  ==========================================================  ==========
offers               ``kept_days`` after their last day                          unlinked
placements (pupil,   ``kept_days`` after the end of the school year of the       kept (the
guardians, schedule, stay, with their conventions, certificates and documents    school's
evaluation, report)  (``tremplin.documents.delete``)                             record)
school classes       ``kept_days`` after their sequence                          —
===================  ==========================================================  ==========

A pupil is a minor and has no account: the school enters the least the convention needs
(name, class, birth date, an optional email to sign and an optional gender for equality
figures, the legal guardians' names and contacts), and only the school's educators and the
host's people see it; referents and admins see counts and class names. The legal basis is
the school's public task and its legal obligation of a convention for every stay in the
workplace (GDPR art. 6(1)(c) and (e); Code du travail L4153-2); the pupil's family exercises
its rights with the school. The convention is evidence for the insurers of the school and
the host, hence ``kept_days`` (one year by default) after the school year of the stay.
A teacher who deletes their account is unlinked from the offers and placements they made;
the placements stay, being the school's.
"""

from __future__ import annotations

import datetime
from typing import Any

from tremplin.auth.models import Account
from tremplin.documents import service as documents
from tremplin.privacy import ProcessingActivity

from . import plugin, service
from .i18n import _
from .models import Convention, Offer, Placement, SchoolClass


def personal_data(person: Account) -> dict[str, Any]:
    """The offers the person published and the placements they proposed (no pupil's name:
    that is the pupil's data)."""
    offers = [
        {
            "occupation": offer.occupation,
            "host": offer.host.name,
            "first_day": offer.first_day.isoformat(),
            "last_day": offer.last_day.isoformat(),
        }
        for offer in Offer.select().where(Offer.created_by == person.id)
    ]
    placements = [
        {
            "occupation": placement.offer.occupation,
            "host": placement.host.name,
            "first_day": placement.first_day.isoformat(),
            "status": placement.status,
        }
        for placement in Placement.select().where(Placement.teacher == person.id)
    ]
    sections = {
        _("Internships: offers published"): offers,
        _("Internships: pupils proposed"): placements,
    }
    return {title: rows for title, rows in sections.items() if rows}


def erase(person: Account) -> None:
    """Unlink the person from what they published or proposed; it stays the host's and the
    school's."""
    Offer.update(created_by=None).where(Offer.created_by == person.id).execute()
    Offer.update(highlighted_by=None).where(Offer.highlighted_by == person.id).execute()
    Placement.update(teacher=None).where(Placement.teacher == person.id).execute()
    Convention.update(created_by=None).where(Convention.created_by == person.id).execute()


def processing_activities() -> list[ProcessingActivity]:
    """Rows of the register of processing activities (GDPR art. 30)."""
    days = service.settings()["kept_days"]
    return [
        ProcessingActivity(
            name=_("Internships: offers"),
            purpose=_("Publish the discovery internships hosts offer to pupils."),
            legal_basis=_(
                "Public task of informing young people on occupations (GDPR art. 6(1)(e))."
            ),
            data=_("Host, occupation, place, periods, places; the account that published it."),
            retention=_("%(days)s days after the offer's last day.", days=days),
        ),
        ProcessingActivity(
            name=_("Internships: pupils' placements and conventions"),
            purpose=_(
                "Organise a pupil's internship: the host's answer, the schedule checked "
                "against the rules for minors, the convention signed by every party, the "
                "attendance certificate."
            ),
            legal_basis=_(
                "Legal obligation of a convention between school and host (Code du travail "
                "L4153-2; GDPR art. 6(1)(c)) and the school's public task (art. 6(1)(e))."
            ),
            data=_(
                "Pupil's name, class, birth date, optional email and gender; legal guardians' "
                "names and contacts; dates and schedule; signatures; the host's evaluation "
                "and the pupil's report. Seen only by the school's educators and the host."
            ),
            retention=_("%(days)s days after the end of the school year of the stay.", days=days),
        ),
    ]


def purge(now: datetime.datetime) -> None:
    """Placements (with their documents), offers and classes past ``kept_days``."""
    days = service.settings()["kept_days"]
    today = now.date()
    # The school year of a stay ends on 31 August: the stay is kept ``days`` after it.
    limit = today - datetime.timedelta(days=days)
    year_end = datetime.date(limit.year if limit.month >= 9 else limit.year - 1, 8, 31)
    old = list(Placement.select(Placement.id).where(Placement.last_day <= year_end))
    ids = [row.id for row in old]
    if ids:
        subjects = [f"certificate:{placement_id}" for placement_id in ids]
        conventions = list(Convention.select().where(Convention.placement.in_(ids)))
        subjects += [f"convention:{convention.id}" for convention in conventions]
        Placement.delete().where(Placement.id.in_(ids)).execute()
        for subject in subjects:
            for document in documents.documents_of(plugin.name, subject):
                documents.delete(document)
    Offer.delete().where(
        Offer.last_day < limit, Offer.id.not_in(Placement.select(Placement.offer))
    ).execute()
    SchoolClass.delete().where(SchoolClass.last_day < limit).execute()
