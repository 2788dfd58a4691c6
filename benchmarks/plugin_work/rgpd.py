"""W8, rgpd: the access export of the busiest person.

The busiest person of a national network, at scale 1: an ambassador who gives about two
interventions a school day (an outreach officer of a chamber of trades, say), 2,000
completed interventions over five school years, every one counted for their employer's
sponsorship convention (2,000 hours entries), a survey sent after each (2,000) and
answered four times in five (1,600). What messaging keeps is bounded by its retention (a
year): the last year's 400 interventions, with 8 messages written in each thread (3,200),
10 notifications each (4,000: the request, the messages of the school, the date fixed,
the thanks) and the contact details shared with each school (400). Around them: 500
sign-in sessions (two a week), two access tokens, the ambassador profile and its image
rights choices, three versions of the charter accepted, two checks of the criminal
record, the employer's agreement, the sponsorship consent and costs, three data requests
with their steps and an objection. Their account is in English (the sections' titles are
then the messages' ids).

Measured, in this process, the median of several runs: the rgpd plugin's
``exports.build`` (every area's and plugin's ``personal_data`` answer, then the ZIP of
``donnees.json``, one JSON file per section and the readme). Floor: the least SQL reading
every row the export contains through the driver (one statement per kind of row, each
an index lookup, the sections that are empty for this person included), the same
sections made of them and written the same way with the standard library (``json``,
``zipfile``); checked first to hold the same data as the plugin's answer (each list
compared as a set of items: the order of rows with equal sort keys is the database's)
and the same files.
"""

from __future__ import annotations

import datetime
import html
import io
import json
import re
import unicodedata
import zipfile
from collections import defaultdict
from decimal import Decimal
from typing import Any

from ..datasets import Store
from ..floors import Driver
from ..measures import Options, Row, say
from ..plugin_people import People, make_app, school_days
from . import median_ms

INTERVENTIONS = 2000  # five school years of about two a school day
YEARS = 5
RECENT_SHARE = 5  # messaging keeps the last year's: one intervention in five
MESSAGES_EACH = 8
NOTIFICATIONS_EACH = 10
ANSWERED_EVERY = 5  # one survey in five left unanswered
SESSIONS = 500
WORKLOAD = "W8 plugin work"
TARGET = 2.0
NOTIFICATION_KINDS = ("requested", "message", "message", "scheduled", "message", "message")


def measure(store: Store, options: Options) -> list[Row]:
    """The row of the busiest person's access export, against its floor."""
    scale = options.plugin_work_scale
    interventions = max(YEARS, round(INTERVENTIONS * scale))
    sessions = max(2, round(SESSIONS * scale))
    database = store.fresh("rgpd")
    try:
        app = make_app(database, store.workdir)
        runtime = app.extensions["tremplin"].runtime
        with app.app_context(), runtime.database.connection_context():
            say(f"W8 {store.kind}: rgpd, the busiest person ({interventions} interventions)")
            person_id = _fill(interventions, sessions)
            driver = Driver(database.url)
            try:
                return [_export_row(store.kind, driver, person_id, interventions, options)]
            finally:
                driver.close()
    finally:
        store.drop(database)


def _fill(count: int, sessions: int) -> int:
    """The busiest person and everything they left in the network; their account's id."""
    from tremplin.auth.models import AccessToken, Account, Role, SignInSession
    from tremplin.interventions.models import Feedback, SurveyInvitation
    from tremplin.messaging.models import ContactShare, Message, Notification
    from tremplin.people.models import ImageRightsDecision
    from tremplin.plugins.charter.models import (
        Acceptance,
        CharterVersion,
        Declaration,
        RecordCheck,
    )
    from tremplin.plugins.mecenat import service as mecenat
    from tremplin.plugins.mecenat.models import Consent, Convention, Costing, Entry
    from tremplin.plugins.rgpd.models import Limit, Request, Step

    this_year = mecenat.today().year
    first_year = this_year - YEARS
    start = datetime.datetime(first_year, 1, 5, 9)
    people = People()
    teacher = people.account("teacher@bench.example.org", "Nadia", "Lefebvre", start)
    people.grant(teacher, Role.EDUCATOR)
    school = people.organisation("Collège Jean Moulin", "college", uai="0590001A")
    company = people.organisation("Chambre des métiers du Nord", "company", siret="18590001500019")
    person = people.account("busiest@bench.example.org", "Camille", "Martin", start)
    people.grant(person, Role.AMBASSADOR)
    ambassador = people.ambassador(person, "Chargée de promotion des métiers", company, start)
    for number in range(sessions):
        moment = start + datetime.timedelta(days=(number * 365 * YEARS) // sessions)
        people.add(
            SignInSession,
            {
                "account": person,
                "key_hash": f"{number:064x}",
                "created_at": moment,
                "last_seen_at": moment + datetime.timedelta(hours=2),
            },
        )
    for number, name in enumerate(("Agenda", "Tableur")):
        people.add(
            AccessToken,
            {
                "account": person,
                "name": name,
                "scope": "read",
                "token_hash": f"{number + 1:064x}",
                "hint": f"tok{number}",
                "created_at": start,
                "expires_at": start + datetime.timedelta(days=365 * 6),
            },
        )
    for number, consented in enumerate((True, False, True)):
        people.add(
            ImageRightsDecision,
            {
                "ambassador": ambassador,
                "consented": consented,
                "text_version": f"v{number + 1}",
                "decided_at": start + datetime.timedelta(days=200 * number),
            },
        )
    for number in range(3):
        version = people.add(
            CharterVersion,
            {
                "version": f"bench-{number + 1}",
                "title": "Charte de l'ambassadeur",
                "text": "Je m'engage à présenter mon métier avec honnêteté.",
                "effective_on": datetime.date(first_year + number, 1, 1),
                "published_at": datetime.datetime(first_year + number, 1, 1, 8),
            },
        )
        people.add(
            Acceptance,
            {
                "account": person,
                "version": version,
                "accepted_at": datetime.datetime(first_year + number, 1, 6, 9),
            },
        )
    for number in range(2):
        decided = datetime.datetime(first_year + 3 * number, 1, 20, 9)
        people.add(
            RecordCheck,
            {
                "ambassador": ambassador,
                "status": "verified",
                "delivery": "sent",
                "declared_at": decided - datetime.timedelta(days=10),
                "extract_issued_on": (decided - datetime.timedelta(days=14)).date(),
                "decided_at": decided,
                "valid_until": (decided + datetime.timedelta(days=1095)).date(),
            },
        )
    people.add(
        Declaration,
        {
            "ambassador": ambassador,
            "salaried": True,
            "employer_agreement_on": start.date(),
            "insurance_on": start.date(),
            "updated_at": start,
        },
    )
    convention = people.add(
        Convention,
        {
            "organisation": company,
            "starts_on": datetime.date(first_year, 1, 1),
            "ends_on": datetime.date(this_year + 1, 12, 31),
            "committed_interventions": count,
            "status": "signed",
            "created_at": start,
            "signed_at": start,
        },
    )
    people.add(Consent, {"ambassador": ambassador, "organisation": company, "given_at": start})
    for year in range(first_year, this_year + 1):
        people.add(
            Costing,
            {
                "convention": convention,
                "ambassador": ambassador,
                "year": year,
                "monthly_salary": str(3100 + 50 * (year - first_year)),
                "monthly_charges": "1302.00",
                "monthly_hours": "151.67",
                "updated_at": datetime.datetime(year, 1, 2, 9),
            },
        )
    moments = [
        moment
        for year in range(first_year, this_year)
        for moment in school_days(year, count // YEARS + (year - first_year < count % YEARS))
    ]
    recent = len(moments) - len(moments) // RECENT_SHARE
    for number, moment in enumerate(moments):
        kind = "company_visit" if number % 4 == 3 else "class_talk"
        minutes = 120 if kind == "company_visit" else 60
        intervention = people.completed(ambassador, school, teacher, moment, kind, minutes)
        done = moment + datetime.timedelta(days=1)
        people.add(
            Entry,
            {
                "intervention": intervention,
                "ambassador": ambassador,
                "organisation": company,
                "convention": convention,
                "day": moment.date(),
                "intervention_type": kind,
                "minutes": minutes,
                "preparation_minutes": 60,
                "created_at": done,
            },
        )
        people.add(
            SurveyInvitation,
            {
                "intervention": intervention,
                "account": person,
                "sent_at": done,
                "expires_at": done + datetime.timedelta(days=30),
                "used_at": done + datetime.timedelta(days=2) if number % ANSWERED_EVERY else None,
            },
        )
        if number % ANSWERED_EVERY:
            people.add(
                Feedback,
                {
                    "intervention": intervention,
                    "side": "ambassador",
                    "author": person,
                    "rating": 4 + number % 2,
                    "comment": "Classe attentive, bonnes questions sur les salaires.",
                    "created_at": done + datetime.timedelta(days=2),
                },
            )
        if number < recent:
            continue
        asked = moment - datetime.timedelta(days=21)
        people.add(
            ContactShare,
            {
                "intervention": intervention,
                "ambassador": ambassador,
                "email": True,
                "phone": number % 2 == 0,
                "created_at": asked + datetime.timedelta(days=2),
            },
        )
        for index in range(MESSAGES_EACH):
            people.add(
                Message,
                {
                    "intervention": intervention,
                    "author": person,
                    "side": "ambassador",
                    "body": f"Bonjour, c'est noté pour le créneau {index + 1}. À bientôt !",
                    "created_at": asked + datetime.timedelta(days=1, hours=2 * index),
                },
            )
        for index in range(NOTIFICATIONS_EACH):
            made = asked + datetime.timedelta(hours=3 * index)
            people.add(
                Notification,
                {
                    "account": person,
                    "kind": NOTIFICATION_KINDS[index % len(NOTIFICATION_KINDS)],
                    "intervention": intervention,
                    "actor": teacher,
                    "created_at": made,
                    "read_at": made + datetime.timedelta(hours=1) if index % 3 else None,
                },
            )
    for number, kind in enumerate(("access", "rectification", "objection")):
        received = datetime.date(first_year + number + 1, 3, 2)
        request = people.add(
            Request,
            {
                "kind": kind,
                "status": "answered",
                "channel": "account",
                "account": person,
                "name": "Camille Martin",
                "email": "busiest@bench.example.org",
                "details": "Merci de m'indiquer ce que vous conservez.",
                "created_at": datetime.datetime.combine(received, datetime.time(9)),
                "received_on": received,
                "legal_due": received + datetime.timedelta(days=31),
                "closed_on": received + datetime.timedelta(days=12),
                "answer": "Fait.",
                "identity_checked": True,
            },
        )
        for day, action in enumerate(("received", "in_progress", "note", "answered")):
            people.add(
                Step,
                {
                    "request": request,
                    "at": datetime.datetime.combine(received, datetime.time(10))
                    + datetime.timedelta(days=3 * day),
                    "action": action,
                },
            )
        if kind == "objection":
            people.add(
                Limit,
                {
                    "account": person,
                    "kind": "objection",
                    "since": datetime.datetime.combine(received, datetime.time(11)),
                    "request": request,
                },
            )
    people.finish()
    Account.update(locale="en").where(Account.id == person).execute()
    return person


# The application's way


def _application(person_id: int) -> bytes:
    from tremplin.auth.models import Account
    from tremplin.plugins.rgpd import exports

    return exports.build(Account.get_by_id(person_id))


def _application_sections(person_id: int) -> dict[str, Any]:
    from tremplin.auth.models import Account
    from tremplin.i18n import using_locale
    from tremplin.plugins.rgpd import exports

    person = Account.get_by_id(person_id)
    with using_locale(person.locale):
        return exports.sections_of(person)


# The floor


class Floor:
    """Every row of the export through the driver, the ZIP written with the stdlib."""

    def __init__(self, driver: Driver, person_id: int, order: list[str], instance: str):
        from tremplin.auth.models import Account

        self.driver = driver
        self.person_id = person_id
        self.order = order  # the sections' order: the hooks' order, fixed by the instance
        self.instance = instance
        self.email = Account.get_by_id(person_id).email
        self.p = driver.placeholder
        self.tables = _tables()

    def rows(self, sql: str, *params: Any) -> list[tuple]:
        """The rows of ``sql`` (``{table}`` names filled, ``?`` the driver's mark)."""
        cursor = self.driver.connection.cursor()
        cursor.execute(sql.format(**self.tables).replace("?", self.p), params)
        return cursor.fetchall()

    def sections(self) -> dict[str, Any]:
        """The sections of the export, in the plugin's order, empty ones left out."""
        found: dict[str, Any] = {}
        for part in (
            self._auth,
            self._people,
            self._messaging,
            self._surveys,
            self._documents,
            self._charter,
            self._mecenat,
            self._stages,
            self._worldskills,
            self._rgpd,
        ):
            found.update(part())
        return {title: found[title] for title in self.order if title in found}

    def build(self) -> bytes:
        """The ZIP: ``donnees.json``, one file per section, the readme."""
        sections = self.sections()
        exported_at = datetime.datetime.now(datetime.UTC).isoformat()
        files = {
            f"{number:02d}-{_slug(title)}.json": data
            for number, (title, data) in enumerate(sections.items(), start=1)
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            everything = {"exported_at": exported_at, "instance": self.instance}
            archive.writestr("donnees.json", _json({**everything, "sections": sections}))
            for name, data in files.items():
                archive.writestr(name, _json(data))
            archive.writestr("LISEZMOI.html", _readme(sections, files, exported_at))
        return buffer.getvalue()

    def _auth(self) -> dict[str, Any]:
        (account,) = self.rows(
            "SELECT email, first_name, last_name, phone, gender, locale, status, created_at,"
            " activated_at, last_login_at FROM {account} WHERE id = ?",
            self.person_id,
        )
        names = ("email", "first_name", "last_name", "phone", "gender", "locale", "status")
        moments = ("created_at", "activated_at", "last_login_at")
        return {
            "Account": {
                **dict(zip(names, account[:7], strict=True)),
                **{name: _utc(value) for name, value in zip(moments, account[7:], strict=True)},
            },
            "Roles": [
                {"role": role, "territory": territory, "organisation": org, "pending": bool(p)}
                for role, territory, org, p in self.rows(
                    "SELECT g.role, t.name, o.name, g.pending FROM {role_grant} g"
                    " LEFT JOIN {territory} t ON t.id = g.territory_id"
                    " LEFT JOIN {organisation} o ON o.id = g.organisation_id"
                    " WHERE g.account_id = ? ORDER BY g.role, g.id",
                    self.person_id,
                )
            ],
            "Sign-in sessions": [
                {"started_at": _utc(started), "last_used_at": _utc(used)}
                for started, used in self.rows(
                    "SELECT created_at, last_seen_at FROM {sign_in_session} WHERE account_id = ?"
                    " ORDER BY created_at, id",
                    self.person_id,
                )
            ],
            "Access tokens for the API": [
                {
                    "name": name,
                    "access": scope,
                    "created_at": _utc(created),
                    "expires_at": _utc(expires),
                    "last_used_at": _utc(used),
                }
                for name, scope, created, expires, used in self.rows(
                    "SELECT name, scope, created_at, expires_at, last_used_at FROM {access_token}"
                    " WHERE account_id = ? ORDER BY created_at, id",
                    self.person_id,
                )
            ],
        }

    def _people(self) -> dict[str, Any]:
        profile = self.rows(
            "SELECT a.id, a.kind, a.occupation, a.rome_code, a.sector,"
            " COALESCE(o.name, a.organisation_name), a.on_site, a.remote, a.max_distance_km,"
            " a.monthly_capacity, a.paused_until, a.presentation, a.created_at,"
            " (SELECT group_concat(intervention_type, '|') FROM {ambassador_offer}"
            "  WHERE ambassador_id = a.id),"
            " (SELECT group_concat(t.name, '|') FROM {ambassador_zone} z"
            "  JOIN {territory} t ON t.id = z.territory_id WHERE z.ambassador_id = a.id)"
            " FROM {ambassador} a LEFT JOIN {organisation} o ON o.id = a.organisation_id"
            " WHERE a.account_id = ?".replace(
                "group_concat", "group_concat" if self.driver.sqlite else "string_agg"
            ),
            self.person_id,
        )
        if not profile:
            return {}
        row = profile[0]
        rights = self.rows(
            "SELECT consented, text_version, decided_at FROM {image_rights_decision}"
            " WHERE ambassador_id = ? ORDER BY id",
            row[0],
        )
        return {
            "Ambassador profile": {
                "kind": row[1],
                "occupation": row[2],
                "rome_code": row[3],
                "sector": row[4],
                "employer_or_school": row[5],
                "intervention_types": sorted(row[13].split("|")) if row[13] else [],
                "on_site": bool(row[6]),
                "remote": bool(row[7]),
                "zone": sorted(row[14].split("|")) if row[14] else [],
                "max_distance_km": row[8],
                "monthly_capacity": row[9],
                "paused_until": _iso(row[10]),
                "presentation": row[11],
                "registered_at": _iso(row[12]),
                "image_rights": [
                    {"consented": bool(c), "text_version": v, "decided_at": _iso(at)}
                    for c, v, at in rights
                ],
            }
        }

    def _messaging(self) -> dict[str, Any]:
        mine = "SELECT id FROM {ambassador} WHERE account_id = ?"
        sections = {
            "Messages written": [
                {"intervention": i, "written_at": _iso(at), "body": body}
                for i, at, body in self.rows(
                    "SELECT intervention_id, created_at, body FROM {message}"
                    " WHERE author_id = ? AND erased_at IS NULL ORDER BY created_at, id",
                    self.person_id,
                )
            ],
            "Notifications": [
                {"kind": kind, "intervention": i, "created_at": _iso(at), "read_at": _iso(read)}
                for kind, i, at, read in self.rows(
                    "SELECT kind, intervention_id, created_at, read_at FROM {notification}"
                    " WHERE account_id = ? ORDER BY created_at, id",
                    self.person_id,
                )
            ],
            "Contact details shared": [
                {"intervention": i, "email": bool(e), "phone": bool(p), "shared_at": _iso(at)}
                for i, e, p, at in self.rows(
                    "SELECT intervention_id, email, phone, created_at FROM {contact_share}"
                    f" WHERE ambassador_id IN ({mine}) ORDER BY created_at, id",
                    self.person_id,
                )
            ],
        }
        return {title: rows for title, rows in sections.items() if rows}

    def _surveys(self) -> dict[str, Any]:
        sections: dict[str, Any] = {
            "Survey answers": [
                {
                    "intervention": i,
                    "side": side,
                    "rating": rating,
                    "comment": comment,
                    "answered_at": _iso(at),
                }
                for i, side, rating, comment, at in self.rows(
                    "SELECT intervention_id, side, rating, comment, created_at FROM {feedback}"
                    " WHERE author_id = ? ORDER BY created_at, id",
                    self.person_id,
                )
            ],
            "Surveys sent to you": [
                {"intervention": i, "sent_at": _iso(s), "expires_at": _iso(e), "used_at": _iso(u)}
                for i, s, e, u in self.rows(
                    "SELECT intervention_id, sent_at, expires_at, used_at FROM {survey_invitation}"
                    " WHERE account_id = ? ORDER BY id",
                    self.person_id,
                )
            ],
        }
        if self.rows("SELECT 1 FROM {survey_refusal} WHERE account_id = ?", self.person_id):
            sections["Surveys"] = "You asked not to be sent surveys."
        return {title: rows for title, rows in sections.items() if rows}

    def _documents(self) -> dict[str, Any]:
        signatories = self.rows(
            "SELECT s.id, d.title, d.number, s.role, s.name, s.email FROM {signatory} s"
            " JOIN {circuit} c ON c.id = s.circuit_id JOIN {document} d ON d.id = c.document_id"
            " WHERE s.account_id = ? OR s.email = ? ORDER BY s.id",
            self.person_id,
            self.email.lower(),
        )
        signatures: dict[int, list] = defaultdict(list)
        if signatories:
            marks = ", ".join("?" * len(signatories))
            for row in self.rows(
                "SELECT signatory_id, method, signed_at, typed_name, address, sha256, voided_at"
                f" FROM {{signature}} WHERE signatory_id IN ({marks}) ORDER BY id",
                *(s[0] for s in signatories),
            ):
                signatures[row[0]].append(
                    {
                        "method": row[1],
                        "signed_at": _iso(row[2]),
                        "typed_name": row[3],
                        "address": row[4],
                        "sha256": row[5],
                        "voided_at": _iso(row[6]),
                    }
                )
        paper = self.rows(
            "SELECT s.name, g.signed_at FROM {signature} g"
            " JOIN {signatory} s ON s.id = g.signatory_id WHERE g.recorded_by_id = ? ORDER BY g.id",
            self.person_id,
        )
        sections = {
            "Signatures of documents": [
                {
                    "document": title,
                    "number": number,
                    "role": role,
                    "name": name,
                    "email": email,
                    "signatures": signatures[signatory],
                }
                for signatory, title, number, role, name, email in signatories
            ],
            "Paper signatures you recorded": [
                {"signatory": name, "recorded_at": _iso(at)} for name, at in paper
            ],
        }
        return {title: rows for title, rows in sections.items() if rows}

    def _charter(self) -> dict[str, Any]:
        mine = "SELECT id FROM {ambassador} WHERE account_id = ?"
        sections = {
            "Charter accepted": [
                {"version": version, "accepted_at": _iso(at)}
                for version, at in self.rows(
                    "SELECT v.version, a.accepted_at FROM {charter_acceptance} a"
                    " JOIN {charter_version} v ON v.id = a.version_id"
                    " WHERE a.account_id = ? ORDER BY a.accepted_at",
                    self.person_id,
                )
            ],
            "Checks of the criminal record": [
                {
                    "status": row[0],
                    "delivery": row[1],
                    "declared_at": _iso(row[2]),
                    "extract_issued_on": _iso(row[3]),
                    "decided_at": _iso(row[4]),
                    "valid_until": _iso(row[5]),
                    "file_kept_until_decision": row[6] is not None,
                }
                for row in self.rows(
                    "SELECT status, delivery, declared_at, extract_issued_on, decided_at,"
                    " valid_until, file_name FROM {charter_record_check}"
                    f" WHERE ambassador_id IN ({mine}) ORDER BY id",
                    self.person_id,
                )
            ],
            "Employer's agreement and insurance": [
                {
                    "salaried": None if salaried is None else bool(salaried),
                    "employer_agreement_on": _iso(agreement),
                    "insurance_on": _iso(insurance),
                    "updated_at": _iso(updated),
                }
                for salaried, agreement, insurance, updated in self.rows(
                    "SELECT salaried, employer_agreement_on, insurance_on, updated_at"
                    f" FROM {{charter_declaration}} WHERE ambassador_id IN ({mine})",
                    self.person_id,
                )
            ],
            "Decisions made as a referent": [
                {"at": _iso(at), "kind": kind, "ambassador": ambassador, "version": version}
                for at, kind, ambassador, version in self.rows(
                    "SELECT at, kind, ambassador_id, version FROM {charter_decision}"
                    " WHERE actor_id = ? ORDER BY at",
                    self.person_id,
                )
            ],
        }
        return {title: rows for title, rows in sections.items() if rows}

    def _mecenat(self) -> dict[str, Any]:
        mine = "SELECT id FROM {ambassador} WHERE account_id = ?"
        sections = {
            "Sponsorship: consents": [
                {"organisation": name, "given_at": _iso(given), "revoked_at": _iso(revoked)}
                for name, given, revoked in self.rows(
                    "SELECT o.name, c.given_at, c.revoked_at FROM {mecenat_consent} c"
                    " JOIN {organisation} o ON o.id = c.organisation_id"
                    f" WHERE c.ambassador_id IN ({mine})",
                    self.person_id,
                )
            ],
            "Sponsorship: hours given": [
                {
                    "day": _iso(day),
                    "intervention_type": kind,
                    "minutes": minutes,
                    "preparation_minutes": preparation,
                }
                for day, kind, minutes, preparation in self.rows(
                    "SELECT day, intervention_type, minutes, preparation_minutes"
                    f" FROM {{mecenat_entry}} WHERE ambassador_id IN ({mine}) ORDER BY day",
                    self.person_id,
                )
            ],
            "Sponsorship: costs entered by your employer": [
                {
                    "convention": convention,
                    "year": year,
                    "monthly_salary": _decimal_text(salary),
                    "monthly_charges": _decimal_text(charges),
                    "monthly_hours": _decimal_text(hours),
                }
                for convention, year, salary, charges, hours in self.rows(
                    "SELECT convention_id, year, monthly_salary, monthly_charges, monthly_hours"
                    f" FROM {{mecenat_costing}} WHERE ambassador_id IN ({mine}) ORDER BY year",
                    self.person_id,
                )
            ],
        }
        return {title: rows for title, rows in sections.items() if rows}

    def _stages(self) -> dict[str, Any]:
        sections = {
            "Internships: offers published": [
                {"occupation": o, "host": h, "first_day": _iso(f), "last_day": _iso(la)}
                for o, h, f, la in self.rows(
                    "SELECT f.occupation, h.name, f.first_day, f.last_day FROM {stages_offer} f"
                    " JOIN {organisation} h ON h.id = f.host_id WHERE f.created_by_id = ?",
                    self.person_id,
                )
            ],
            "Internships: pupils proposed": [
                {"occupation": o, "host": h, "first_day": _iso(f), "status": s}
                for o, h, f, s in self.rows(
                    "SELECT f.occupation, h.name, p.first_day, p.status FROM {stages_placement} p"
                    " JOIN {stages_offer} f ON f.id = p.offer_id"
                    " JOIN {organisation} h ON h.id = p.host_id WHERE p.teacher_id = ?",
                    self.person_id,
                )
            ],
        }
        return {title: rows for title, rows in sections.items() if rows}

    def _worldskills(self) -> dict[str, Any]:
        # Nobody registered with this email, nor judges: read, found empty (the export
        # would hold them otherwise).
        candidates = self.rows("SELECT id FROM {worldskills_candidate} WHERE email = ?", self.email)
        judges = self.rows(
            "SELECT id FROM {worldskills_judge} WHERE account_id = ?", self.person_id
        )
        if candidates or judges:
            raise RuntimeError("W8 rgpd: the floor reads no WorldSkills registration")
        return {}

    def _rgpd(self) -> dict[str, Any]:
        requests = self.rows(
            "SELECT id, kind, status, channel, details, received_on, legal_due, extended_on,"
            " closed_on, answer, identity_checked FROM {rgpd_request}"
            " WHERE account_id = ? AND status != 'unconfirmed' ORDER BY id",
            self.person_id,
        )
        steps: dict[int, list] = defaultdict(list)
        for request, at, action in self.rows(
            "SELECT s.request_id, s.at, s.action FROM {rgpd_step} s"
            " JOIN {rgpd_request} r ON r.id = s.request_id"
            " WHERE r.account_id = ? AND r.status != 'unconfirmed' ORDER BY s.at",
            self.person_id,
        ):
            steps[request].append({"at": _iso(at), "action": action})
        names = ("kind", "status", "channel", "details")
        dates = ("received_on", "legal_due", "extended_on", "closed_on")
        sections = {
            "Requests about your personal data": [
                {
                    **dict(zip(names, row[1:5], strict=True)),
                    **{name: _iso(value) for name, value in zip(dates, row[5:9], strict=True)},
                    "answer": row[9],
                    "identity_checked": None if row[10] is None else bool(row[10]),
                    "steps": steps[row[0]],
                }
                for row in requests
            ],
            "Restrictions and objections": [
                {"kind": kind, "since": _iso(since)}
                for kind, since in self.rows(
                    "SELECT kind, since FROM {rgpd_limit} WHERE account_id = ? ORDER BY kind",
                    self.person_id,
                )
            ],
        }
        return {title: rows for title, rows in sections.items() if rows}


def _tables() -> dict[str, str]:
    """``{name used in the floor's SQL: the table's quoted name}``, read from the models."""
    from tremplin.auth.models import AccessToken, Account, RoleGrant, SignInSession
    from tremplin.documents.models import Circuit, Document, Signatory, Signature
    from tremplin.interventions.models import Feedback, SurveyInvitation, SurveyRefusal
    from tremplin.messaging.models import ContactShare, Message, Notification
    from tremplin.organisations.models import Organisation
    from tremplin.people.models import (
        Ambassador,
        AmbassadorOffer,
        AmbassadorZone,
        ImageRightsDecision,
    )
    from tremplin.plugins.charter import models as charter
    from tremplin.plugins.mecenat import models as mecenat
    from tremplin.plugins.rgpd import models as rgpd
    from tremplin.plugins.stages import models as stages
    from tremplin.plugins.worldskills import models as worldskills
    from tremplin.territories.models import Territory

    models = {
        "account": Account,
        "role_grant": RoleGrant,
        "sign_in_session": SignInSession,
        "access_token": AccessToken,
        "territory": Territory,
        "organisation": Organisation,
        "ambassador": Ambassador,
        "ambassador_offer": AmbassadorOffer,
        "ambassador_zone": AmbassadorZone,
        "image_rights_decision": ImageRightsDecision,
        "message": Message,
        "notification": Notification,
        "contact_share": ContactShare,
        "feedback": Feedback,
        "survey_invitation": SurveyInvitation,
        "survey_refusal": SurveyRefusal,
        "signatory": Signatory,
        "signature": Signature,
        "circuit": Circuit,
        "document": Document,
        "charter_acceptance": charter.Acceptance,
        "charter_version": charter.CharterVersion,
        "charter_record_check": charter.RecordCheck,
        "charter_declaration": charter.Declaration,
        "charter_decision": charter.Decision,
        "mecenat_consent": mecenat.Consent,
        "mecenat_entry": mecenat.Entry,
        "mecenat_costing": mecenat.Costing,
        "stages_offer": stages.Offer,
        "stages_placement": stages.Placement,
        "worldskills_candidate": worldskills.Candidate,
        "worldskills_judge": worldskills.Judge,
        "rgpd_request": rgpd.Request,
        "rgpd_step": rgpd.Step,
        "rgpd_limit": rgpd.Limit,
    }
    return {name: f'"{model._meta.table_name}"' for name, model in models.items()}


def _iso(value: Any) -> str | None:
    """A stored date or moment as the models give it, in ISO 8601 (SQLite keeps text)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.replace(" ", "T")
    return value.isoformat()


def _utc(value: Any) -> str | None:
    """A stored UTC moment in ISO 8601 with its offset, as the account's section gives it."""
    text = _iso(value)
    return f"{text}+00:00" if text is not None else None


def _decimal_text(value: Any) -> str:
    """A stored amount as text, to the cent (SQLite gives back a number)."""
    return f"{Decimal(str(value)):.2f}"


def _slug(title: str) -> str:
    plain = unicodedata.normalize("NFKD", title.lower()).encode("ascii", "ignore").decode()
    return (re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "section")[:60]


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def _readme(sections: dict[str, Any], files: dict[str, Any], exported_at: str) -> str:
    rows = "\n".join(
        f"<tr><td><code>{html.escape(name)}</code></td><td>{html.escape(title)}</td>"
        f"<td>{len(data) if isinstance(data, list | dict) else 1}</td></tr>"
        for (name, data), title in zip(files.items(), sections, strict=True)
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        "<title>Your personal data</title></head>\n<body>\n<h1>Your personal data</h1>\n"
        f"<p>Exported on {html.escape(exported_at)}.</p>\n<table>\n<tbody>\n"
        f"<tr><td><code>donnees.json</code></td><td>{len(sections)}</td></tr>\n{rows}\n"
        "</tbody>\n</table>\n</body>\n</html>\n"
    )


# Checked, then timed


def _canonical(sections: dict[str, Any]) -> dict[str, Any]:
    """The sections as JSON gives them back, each list's items in a fixed order."""
    plain = json.loads(json.dumps(sections, default=str))
    return {
        title: sorted(data, key=lambda item: json.dumps(item, sort_keys=True))
        if isinstance(data, list)
        else data
        for title, data in plain.items()
    }


def _export_row(
    kind: str, driver: Driver, person_id: int, interventions: int, options: Options
) -> Row:
    from tremplin import runtime

    expected = _application_sections(person_id)
    floor = Floor(driver, person_id, list(expected), runtime.current().region.name)
    if _canonical(floor.sections()) != _canonical(expected):
        differing = [
            title
            for title in expected
            if _canonical(floor.sections()).get(title) != _canonical(expected)[title]
        ]
        raise RuntimeError(f"W8 rgpd: the floor's export differs from the plugin's: {differing}")
    app_zip, floor_zip = _application(person_id), floor.build()
    names = [zipfile.ZipFile(io.BytesIO(data)).namelist() for data in (app_zip, floor_zip)]
    if names[0] != names[1]:
        raise RuntimeError(f"W8 rgpd: the floor's files differ: {names}")
    rows = sum(len(data) if isinstance(data, list) else 1 for data in expected.values())
    value = median_ms(lambda: _application(person_id), options.repeats)
    floor_value = median_ms(floor.build, options.repeats)
    return Row(
        workload=WORKLOAD,
        database=kind,
        size=f"{interventions} interventions, {rows} items exported",
        measure=f"rgpd: the busiest person's access export ({len(expected)} sections, ZIP)",
        value=value,
        unit="ms",
        floor="every row via driver, json + zipfile",
        floor_value=floor_value,
        ratio=value / floor_value,
        target=f"≤ {TARGET:g}x",
        met=value / floor_value <= TARGET,
    )
