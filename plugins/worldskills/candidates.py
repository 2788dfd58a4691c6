"""Candidates: registration, the referent's check, and the CSV import.

A candidate registers themselves, or their training centre, school or employer registers
them; a referent of the competition's territory then accepts or refuses the registration.
Eligibility is computed at once from the date of birth, the year of the target competition
and the skill's age limit (``eligibility``): a candidate over the limit is refused with the
reason. A minor needs the consent of a legal guardian too. Only what the competition needs
is kept: names, date of birth, pathway, training centre, employer, consents; the email and
gender only when given.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Mapping
from typing import Any

from tremplin import clock
from tremplin.auth import service as accounts
from tremplin.auth.models import Account
from tremplin.db import database
from tremplin.errors import Conflict, Invalid
from tremplin.imports import ImportFileError
from tremplin.organisations.models import Organisation
from tremplin.reports import ImportReport
from tremplin.text import normalise
from tremplin.validation import validated

from . import service
from .eligibility import refusal
from .i18n import _
from .models import Candidate, CandidateStatus, Competition, Pathway, Skill
from .schemas import CandidateSchema, CheckSchema, ImportRowSchema

Errors = dict[str, list[str]]
SIRET_DIGITS = 14


def register(account: Account | None, competition_id: int, raw: Mapping[str, Any]) -> Candidate:
    """Register a candidate in a skill of the competition, waiting for a referent's check.

    ``account`` is who registers (``None``: the candidate on the public form). Raise
    ``Invalid`` naming the fields at fault: over the age limit (with the reason), a minor
    without their guardian's consent, a team missing in a team skill, an unknown training
    centre or employer, a candidate already registered in the skill.
    """
    competition = service.competition(competition_id)
    data = validated(CandidateSchema, raw)
    skill = Skill.get_or_none(Skill.id == data["skill"], Skill.competition == competition.id)
    if skill is None:
        raise Invalid({"skill": [_("Choose a skill of this competition.")]})
    organisations = {
        key: _organisation(data[key]) if data[key] is not None else None
        for key in ("training_centre", "employer")
    }
    errors = _organisation_errors(data, organisations)
    errors.update(problems(competition, skill, data))
    if errors:
        raise Invalid(errors)
    return _create(competition, skill, data, organisations, account)


def problems(competition: Competition, skill: Skill, data: Mapping[str, Any]) -> Errors:
    """What stops ``data`` (a validated registration) from being registered in ``skill``."""
    errors: Errors = {}
    birth_date = data["birth_date"]
    day = service.today()
    if birth_date >= day:
        errors["birth_date"] = [_("The date of birth must be in the past.")]
        return errors
    reason = refusal(birth_date, service.target_year(competition), skill.max_age)
    if reason is not None:
        errors["birth_date"] = [reason]
    if is_minor(birth_date, day) and not (data.get("guardian_name") and data["guardian_consent"]):
        errors["guardian_consent"] = [
            _("The candidate is a minor: give the legal guardian's name and their consent.")
        ]
    if skill.team and not data.get("team"):
        errors["team"] = [_("This is a team skill: give the team's name.")]
    if data["pathway"] == Pathway.APPRENTICESHIP and data.get("employer") is None:
        errors["employer"] = [_("An apprentice's employer is needed.")]
    if data["pathway"] != Pathway.CONTINUING and data.get("training_centre") is None:
        errors["training_centre"] = [_("The training centre or school is needed.")]
    return errors


def is_minor(birth_date: datetime.date, day: datetime.date) -> bool:
    """Whether a person born on ``birth_date`` is under the age of majority on ``day``."""
    majority = service.settings()["majority_age"]
    age = day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
    return age < majority


def identity_of(first_name: str, last_name: str) -> str:
    """The names without accents or case, to find a registration again."""
    return normalise(f"{last_name} {first_name}")[:210]


def _organisation(value: str) -> Organisation | None:
    """The organisation ``value`` names: by SIRET (14 digits), by its number in the network
    (other digits), else by name (without accents or case)."""
    digits = value.replace(" ", "")
    if digits.isdigit() and len(digits) == SIRET_DIGITS:
        return Organisation.get_or_none(Organisation.siret == digits)
    if digits.isdigit():
        return Organisation.get_or_none(Organisation.id == int(digits))
    return Organisation.get_or_none(Organisation.search_name == normalise(value))


def _organisation_errors(
    data: Mapping[str, Any], organisations: Mapping[str, Organisation | None]
) -> Errors:
    errors: Errors = {}
    for key, found in organisations.items():
        if data[key] is not None and found is None:
            errors[key] = [_("No organisation matches %(value)s.", value=data[key])]
    return errors


def _columns(data: Mapping[str, Any], organisations: Mapping[str, Organisation | None]) -> dict:
    centre, employer = organisations["training_centre"], organisations["employer"]
    place = centre or employer
    return {
        "first_name": data["first_name"],
        "last_name": data["last_name"],
        "email": accounts.normalise_email(data["email"]) if data.get("email") else None,
        "gender": data.get("gender"),
        "pathway": data["pathway"],
        "training_centre": centre.id if centre else None,
        "employer": employer.id if employer else None,
        "territory": place.territory_id if place else None,
        "team": data.get("team"),
        "guardian_name": data.get("guardian_name"),
    }


def _create(
    competition: Competition,
    skill: Skill,
    data: Mapping[str, Any],
    organisations: Mapping[str, Organisation | None],
    account: Account | None,
) -> Candidate:
    identity = identity_of(data["first_name"], data["last_name"])
    moment = clock.now()
    with database.atomic():
        exists = Candidate.select().where(
            Candidate.skill == skill.id,
            Candidate.identity == identity,
            Candidate.birth_date == data["birth_date"],
        )
        if exists.exists():
            raise Invalid({"last_name": [_("This candidate is already registered in the skill.")]})
        return Candidate.create(
            competition=competition,
            skill=skill,
            identity=identity,
            birth_date=data["birth_date"],
            consent_at=moment,
            guardian_consent_at=moment if data.get("guardian_consent") else None,
            registered_by=account,
            **_columns(data, organisations),
        )


def check(account: Account, candidate_id: int, raw: Mapping[str, Any]) -> Candidate:
    """A referent accepts or refuses a registration waiting for them (a reason to refuse)."""
    candidate = service.candidate(candidate_id)
    service.require_runner(account, candidate.competition)
    data = validated(CheckSchema, raw)
    if data["decision"] == CandidateStatus.REFUSED and not data["reason"]:
        raise Invalid({"reason": [_("Say why the registration is refused.")]})
    changed = (
        Candidate.update(
            status=data["decision"],
            refusal=data["reason"] if data["decision"] == CandidateStatus.REFUSED else None,
            checked_by=account,
            checked_at=clock.now(),
        )
        .where(Candidate.id == candidate.id, Candidate.status == CandidateStatus.PENDING)
        .execute()
    )
    if not changed:
        raise Conflict(_("This registration was already checked."))
    return service.candidate(candidate.id)


def of_competition(
    account: Account, competition_id: int, status: str | None = None
) -> list[Candidate]:
    """The candidates of a competition (those in ``status`` only), for those who run it."""
    competition = service.competition(competition_id)
    service.require_runner(account, competition)
    query = (
        Candidate.select(Candidate, Skill)
        .join(Skill)
        .where(Candidate.competition == competition.id)
        .order_by(Skill.number, Candidate.last_name, Candidate.first_name, Candidate.id)
    )
    if status is not None:
        query = query.where(Candidate.status == status)
    return list(query)


def registered_by(account: Account) -> list[Candidate]:
    """The candidates ``account`` registered (a training centre's, a school's, an employer's)."""
    return list(
        Candidate.select().where(Candidate.registered_by == account.id).order_by(Candidate.id)
    )


# The CSV import

COLUMNS = (
    "skill",
    "first_name",
    "last_name",
    "birth_date",
    "pathway",
    "training_centre",
    "employer",
    "consent",
)


def csv_rows(text: str) -> list[tuple[int, dict[str, Any]]]:
    """The rows of an uploaded CSV file (commas or semicolons), as ``tremplin import`` reads
    them: ``(line, row)`` pairs, empty cells ``None``; ``ImportFileError`` if a column of
    ``COLUMNS`` is missing."""
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = {name.strip() for name in reader.fieldnames or []}
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise ImportFileError(
            _("The file lacks the column(s) %(columns)s.", columns=", ".join(missing))
        )
    rows = []
    for row in reader:
        cleaned = {
            (key or "").strip(): (value or "").strip() or None
            for key, value in row.items()
            if key and isinstance(value, str | type(None))
        }
        if any(cleaned.values()):
            rows.append((reader.line_num, cleaned))
    return rows


def import_rows(
    account: Account | None, competition_id: int, rows: Iterable[tuple[int, dict[str, Any]]]
) -> ImportReport:
    """Import candidates of a competition from CSV rows (the skill by its number in this
    edition, training centre and employer by SIRET or name, consents as ``yes``).

    Good rows are kept when others are bad; each bad row is reported with its line and
    reason (over the age limit, unknown skill...). A row already imported is left
    unchanged, or updated when its details changed; imported candidates wait for a
    referent's check like the others. ``account`` is who imports (``None``: the command
    line, acting for the region).
    """
    competition = service.competition(competition_id)
    if account is not None:
        service.require_runner(account, competition)
    skills = {
        skill.number: skill for skill in Skill.select().where(Skill.competition == competition)
    }
    report = ImportReport(subject=_("Candidates"))
    for line, row in rows:
        try:
            outcome = _import_row(account, competition, skills, row)
        except Invalid as error:
            report.reject(line, _reason(error.errors))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def load_rows(rows: Iterable[tuple[int, dict[str, Any]]]) -> ImportReport:
    """``tremplin import worldskills-candidates FILE``: rows of one or more competitions,
    each named by its number in the ``competition`` column, imported for the region."""
    report = ImportReport(subject=_("Candidates"))
    by_competition: dict[int, list[tuple[int, dict[str, Any]]]] = {}
    for line, row in rows:
        number = (row.get("competition") or "").strip()
        if not number.isdigit() or Competition.get_or_none(Competition.id == int(number)) is None:
            report.reject(line, _("competition: no competition has the number %(id)s.", id=number))
            continue
        by_competition.setdefault(int(number), []).append((line, row))
    for competition_id, chosen in by_competition.items():
        part = import_rows(None, competition_id, chosen)
        report.created += part.created
        report.updated += part.updated
        report.unchanged += part.unchanged
        report.rejected.extend(part.rejected)
    report.rejected.sort(key=lambda rejection: rejection.line)
    return report


def _import_row(
    account: Account | None, competition: Competition, skills: Mapping[int, Skill], row: dict
) -> str:
    data = validated(ImportRowSchema, row)
    skill = skills.get(data["skill"])
    if skill is None:
        raise Invalid(
            {"skill": [_("This competition has no skill number %(number)s.", number=data["skill"])]}
        )
    organisations = {
        key: _organisation(data[key]) if data[key] is not None else None
        for key in ("training_centre", "employer")
    }
    errors = _organisation_errors(data, organisations)
    errors.update(problems(competition, skill, data))
    if errors:
        raise Invalid(errors)
    identity = identity_of(data["first_name"], data["last_name"])
    existing = Candidate.get_or_none(
        Candidate.skill == skill.id,
        Candidate.identity == identity,
        Candidate.birth_date == data["birth_date"],
    )
    if existing is None:
        _create(competition, skill, data, organisations, account)
        return "created"
    columns = _columns(data, organisations)
    current = {
        key: getattr(existing, key if key not in FOREIGN else f"{key}_id") for key in columns
    }
    if current == columns:
        return "unchanged"
    Candidate.update(**columns).where(Candidate.id == existing.id).execute()
    return "updated"


FOREIGN = ("training_centre", "employer", "territory")


def _reason(errors: Mapping[str, list[str]]) -> str:
    return "; ".join(
        f"{field}: {' '.join(map(str, messages))}" for field, messages in errors.items()
    )
