"""iCalendar texts of interventions: invitations (iTIP REQUEST and CANCEL) and feeds.

Only public facts go into them: the kind of intervention, the ambassador's occupation and
public name (first name and initial), the school or structure, the place, the audience and
the link to the intervention's page. Never another person's email address or phone: an
invitation needs an ORGANIZER and an ATTENDEE (RFC 5546), so the organizer is the
platform's sending address and the single attendee is the recipient of that copy.

Texts are written in the current locale (``tremplin.i18n.using_locale``), dates in the
region's time zone with its VTIMEZONE, or in UTC when the zone cannot be described.

``icalendar`` is imported when a text is written, not when the module is (about 2.5 MB in
every web worker, which writes calendars only for the feeds' pages; the worker's tasks
write the invitations).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import parseaddr
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .. import clock
from ..i18n import _, lazy_gettext
from ..interventions import times
from ..interventions.labels import LEVEL_LABELS, MODE_LABELS, label
from ..interventions.models import Status
from ..people.labels import INTERVENTION_LABELS
from ..people.models import InterventionType, Mode
from ..runtime import current

if TYPE_CHECKING:
    import icalendar

PRODID = "-//Tremplin//Interventions//FR"
# A VTIMEZONE describes the zone's transitions around the dates it serves, not since 1970.
ZONE_MARGIN = datetime.timedelta(days=366)
# Calendar apps read a feed again about this often (RFC 7986 and the usual extension).
REFRESH_INTERVAL = datetime.timedelta(hours=1)

# Summaries are read in a narrow calendar cell: shorter than the type labels of forms.
SHORT_TYPE_LABELS = {
    InterventionType.CLASS_TALK: lazy_gettext("Class talk"),
    InterventionType.FORUM: lazy_gettext("Forum or fair"),
    InterventionType.COMPANY_VISIT: lazy_gettext("Company visit"),
    InterventionType.INTERNSHIP: lazy_gettext("Discovery internship"),
    InterventionType.WEBINAR: lazy_gettext("Webinar"),
}
# Where these take place on site: at the ambassador's workplace, not at school.
AT_THE_WORKPLACE = (InterventionType.COMPANY_VISIT, InterventionType.INTERNSHIP)


class Method(StrEnum):
    """What an invitation asks of the calendar app that receives it (RFC 5546)."""

    REQUEST = "REQUEST"  # add the event, or replace the version with a lower SEQUENCE
    CANCEL = "CANCEL"  # remove it


@dataclass(frozen=True)
class PublicFacts:
    """What any side of an intervention may read about it in a calendar."""

    intervention_id: int
    intervention_type: str
    mode: str
    status: str
    starts_at: datetime.datetime  # stored form: UTC, naive
    ends_at: datetime.datetime
    occupation: str
    ambassador_name: str  # the public display name, never the last name
    workplace: str | None  # the ambassador's employer as their public profile shows it
    school: str
    city: str | None
    audience_level: str
    group_size: int
    sequence: int
    link: str
    cancel_reason: str = ""


@dataclass(frozen=True)
class Attendee:
    """The person a copy of an invitation is for: their own address and public name."""

    email: str
    name: str


def uid(intervention_id: int, region_code: str | None = None) -> str:
    """The UID every invitation and feed entry of the intervention shares.

    Built on the region's code rather than on its public address, so that moving the
    instance to another domain does not duplicate events in people's calendars.
    """
    return f"intervention-{intervention_id}@{region_code or current().region.code}.tremplin"


def calendar_status(status: str) -> str:
    """The VEVENT STATUS of an intervention in ``status``."""
    if status == Status.CANCELLED:
        return "CANCELLED"
    if status == Status.ACCEPTED:
        return "TENTATIVE"  # the ambassador said yes; the date may still move
    return "CONFIRMED"


def summary(facts: PublicFacts) -> str:
    """The event's title: the kind of intervention, the occupation, the school."""
    return _(
        "%(type)s: %(occupation)s — %(school)s",
        type=label(SHORT_TYPE_LABELS, facts.intervention_type),
        occupation=facts.occupation,
        school=facts.school,
    )


def location(facts: PublicFacts) -> str:
    """Where it takes place: the school and its town, the workplace, or remotely."""
    if facts.mode == Mode.REMOTE:
        return str(MODE_LABELS[Mode.REMOTE])
    if facts.intervention_type in AT_THE_WORKPLACE and facts.workplace:
        return facts.workplace
    return ", ".join(part for part in (facts.school, facts.city) if part)


def description(facts: PublicFacts) -> str:
    """The event's notes: who, for whom, the reason of a cancellation, and the link."""
    lines = [
        label(INTERVENTION_LABELS, facts.intervention_type),
        _(
            "Ambassador: %(name)s, %(occupation)s",
            name=facts.ambassador_name,
            occupation=facts.occupation,
        ),
        _("School or structure: %(school)s", school=facts.school),
        _(
            "Audience: %(level)s, group of %(size)s",
            level=label(LEVEL_LABELS, facts.audience_level),
            size=facts.group_size,
        ),
    ]
    if facts.status == Status.CANCELLED:
        lines.append(_("Cancelled. Reason given: %(reason)s", reason=facts.cancel_reason or "—"))
    lines.append(_("Details and what to do next: %(url)s", url=facts.link))
    return "\n".join(lines)


def event(facts: PublicFacts, stamp: datetime.datetime, tz: datetime.tzinfo) -> icalendar.Event:
    """The VEVENT of ``facts``, dated in ``tz``, stamped ``stamp`` (UTC, naive)."""
    import icalendar  # see the module's docstring

    entry = icalendar.Event()
    entry.add("uid", uid(facts.intervention_id))
    entry.add("sequence", facts.sequence)
    entry.add("dtstamp", stamp.replace(tzinfo=datetime.UTC))
    entry.add("dtstart", times.to_local(facts.starts_at, tz))
    entry.add("dtend", times.to_local(facts.ends_at, tz))
    entry.add("summary", summary(facts))
    entry.add("location", location(facts))
    entry.add("description", description(facts))
    entry.add("url", facts.link)
    entry.add("status", calendar_status(facts.status))
    return entry


def invitation(
    facts: PublicFacts, method: Method, attendee: Attendee, stamp: datetime.datetime
) -> str:
    """The text of one copy of the invitation, for ``attendee`` (an ``invitation.ics``)."""
    import icalendar  # see the module's docstring

    tz = _describable_zone([facts])
    calendar = _calendar()
    calendar.add("method", str(method))
    entry = event(facts, stamp, tz)
    entry.add("organizer", _organizer())
    address = icalendar.vCalAddress(f"mailto:{attendee.email}")
    address.params["cn"] = attendee.name
    address.params["role"] = "REQ-PARTICIPANT"
    address.params["partstat"] = "NEEDS-ACTION"
    address.params["rsvp"] = "FALSE"  # answers would reach the no-reply sender
    entry.add("attendee", address)
    calendar.add_component(entry)
    _add_zone(calendar, tz, [facts])
    return calendar.to_ical().decode("utf-8")


def feed(facts: Iterable[PublicFacts], name: str, stamp: datetime.datetime) -> str:
    """The text of a calendar feed (no METHOD: it is published, not sent) of ``facts``."""
    facts = list(facts)
    tz = _describable_zone(facts)
    calendar = _calendar()
    calendar.calendar_name = name  # NAME and X-WR-CALNAME
    calendar.refresh_interval = REFRESH_INTERVAL
    calendar.add("x-published-ttl", REFRESH_INTERVAL)  # what Outlook reads
    for item in facts:
        calendar.add_component(event(item, stamp, tz))
    _add_zone(calendar, tz, facts)
    return calendar.to_ical().decode("utf-8")


def _calendar() -> icalendar.Calendar:
    import icalendar  # see the module's docstring

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    return calendar


def _organizer() -> icalendar.vCalAddress:
    """The platform's sending address: it organises, so nobody's own address is shown."""
    import icalendar  # see the module's docstring

    name, address = parseaddr(current().region.mail.get("sender", ""))
    organizer = icalendar.vCalAddress(f"mailto:{address or 'ne-pas-repondre@tremplin.invalid'}")
    organizer.params["cn"] = name or current().region.programme or current().region.name
    return organizer


def _window(facts: list[PublicFacts]) -> tuple[datetime.date, datetime.date]:
    if not facts:
        today = clock.today()
        return today, today + datetime.timedelta(days=1)
    first = min(item.starts_at for item in facts) - ZONE_MARGIN
    last = max(item.ends_at for item in facts) + ZONE_MARGIN
    return first.date(), last.date()


def _describable_zone(facts: list[PublicFacts]) -> datetime.tzinfo:
    """The region's zone when icalendar can write its VTIMEZONE; else UTC (dates end in Z)."""
    import icalendar  # see the module's docstring

    zone = times.zone()
    first, last = _window(facts)
    try:
        icalendar.Timezone.from_tzid(zone.key, first_date=first, last_date=last)
    except ValueError:
        return datetime.UTC
    return zone


def _add_zone(calendar: icalendar.Calendar, tz: datetime.tzinfo, facts: list[PublicFacts]) -> None:
    if isinstance(tz, ZoneInfo) and facts:
        first, last = _window(facts)
        calendar.add_missing_timezones(first_date=first, last_date=last)
