"""W8, mecenat: a company with 500 counted employees, its yearly ledger and its receipt.

The database: one partner company (its details, a convention signed before the year began
and covering it), its 500 employees at scale 1, ambassadors who consented to count for
it, with their costs entered, each with ten completed interventions over the school months
of the last calendar year (about one a month: a committed employee's year), recorded in
the ledger as the plugin's hook records them (the duration plus the preparation time of
the type), and one approved correction per fifty employees: 5,000 entries. The company
closes its financial year in December; the year is the last calendar year, over.

Measured, in this process, the median of several runs:

- **the yearly ledger**: the plugin's ``ledger.statement`` (the monthly statement by
  employee, as the convention's page shows it) and ``ledger.valuation`` (the minutes
  and their value at cost, as the receipt counts them). Floor: the least SQL that yields
  the same figures through the driver, two statements (entries and approved corrections
  grouped by month and employee with their names; grouped by convention, employee and
  year with the cost in force that year), the valuation's arithmetic done by the
  plugin's pure rule ``value_of_time``; checked equal to the plugin's figures first;
- **the receipt**: ``receipts.issue`` by the region (its checks, the ledger, the form's
  mentions, the numbered document printed to PDF and stored), each run rolled back.
  Floor: WeasyPrint alone printing the same HTML with the same stylesheets; checked to
  make as many pages.
"""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from decimal import Decimal
from typing import Any
from unittest import mock

from ..datasets import Store
from ..floors import Driver
from ..measures import Options, Row, say
from ..plugin_people import People, make_app, school_days
from . import median_ms

EMPLOYEES = 500
INTERVENTIONS = 10  # a year of an employee who gives about one intervention a month
CORRECTION_EVERY = 50  # employees per approved correction
WORKLOAD = "W8 plugin work"
TARGET = 2.0  # at most twice the floor


def measure(store: Store, options: Options) -> list[Row]:
    """The rows of the ledger and the receipt of one company's last financial year."""
    employees = max(2, round(EMPLOYEES * options.plugin_work_scale))
    database = store.fresh("mecenat")
    try:
        app = make_app(database, store.workdir)
        runtime = app.extensions["tremplin"].runtime
        with app.app_context(), runtime.database.connection_context():
            say(f"W8 {store.kind}: mecenat, {employees} employees")
            company = _fill(employees)
            driver = Driver(database.url)
            try:
                return [
                    _ledger_row(store.kind, driver, company, employees, options),
                    _receipt_row(store.kind, company, employees, options),
                ]
            finally:
                driver.close()
    finally:
        store.drop(database)


class Company:
    """What the measures need of the filled database."""

    def __init__(self, organisation_id: int, admin_id: int, year: int):
        self.organisation_id = organisation_id
        self.admin_id = admin_id
        self.year = year
        self.start = datetime.date(year, 1, 1)
        self.end = datetime.date(year, 12, 31)


def _fill(employees: int) -> Company:
    """The company, its employees, their consents, costs, interventions and hours."""
    from tremplin.auth.models import Role
    from tremplin.plugins.mecenat import service
    from tremplin.plugins.mecenat.models import (
        Consent,
        Convention,
        Correction,
        CorrectionStatus,
        Costing,
        Entry,
        Partner,
        SigningStatus,
    )

    year = service.today().year - 1
    before = datetime.datetime(year - 1, 11, 15, 9)
    people = People()
    admin = people.account("admin@bench.example.org", "Camille", "Durand", before)
    people.grant(admin, Role.ADMIN)
    teacher = people.account("teacher@bench.example.org", "Nadia", "Lefebvre", before)
    school = people.organisation("Collège Jean Moulin", "college", uai="0590001A")
    company = people.organisation("Aciéries du Nord", "company", siret="55210055400013")
    manager = people.account("manager@bench.example.org", "Paul", "Lambert", before)
    people.grant(manager, Role.PARTNER_MANAGER, company)
    people.add(
        Partner,
        {
            "organisation": company,
            "legal_form": "SAS",
            "address": "12 rue de l'Industrie, 59000 Lille",
            "closing_month": 12,
            "updated_at": before,
        },
    )
    convention = people.add(
        Convention,
        {
            "organisation": company,
            "starts_on": datetime.date(year, 1, 1),
            "ends_on": datetime.date(year + 1, 12, 31),
            "committed_interventions": employees * INTERVENTIONS,
            "timetable": "Une intervention par mois et par salarié pendant l'année scolaire.",
            "status": SigningStatus.SIGNED,
            "created_by": manager,
            "created_at": before,
            "signed_at": before + datetime.timedelta(days=10),
        },
    )
    preparation = service.settings()["preparation_minutes"]
    moments = school_days(year, INTERVENTIONS)
    for number in range(employees):
        account = people.account(
            f"salarie{number}@bench.example.org", f"Prénom{number}", f"Nom{number:04d}", before
        )
        ambassador = people.ambassador(account, "Soudeur", company, before)
        people.add(Consent, {"ambassador": ambassador, "organisation": company, "given_at": before})
        salary = Decimal(2200 + 25 * (number % 400))  # some cost more than three PSS
        people.add(
            Costing,
            {
                "convention": convention,
                "ambassador": ambassador,
                "year": year,
                "monthly_salary": str(salary),
                "monthly_charges": str(salary * Decimal("0.42")),
                "monthly_hours": "151.67",
                "updated_at": before,
            },
        )
        for index, moment in enumerate(moments):
            kind = "company_visit" if index % 4 == 3 else "class_talk"
            minutes = 120 if kind == "company_visit" else 60
            starts_at = moment + datetime.timedelta(days=number % 3)
            intervention = people.completed(ambassador, school, teacher, starts_at, kind, minutes)
            people.add(
                Entry,
                {
                    "intervention": intervention,
                    "ambassador": ambassador,
                    "organisation": company,
                    "convention": convention,
                    "day": service.local_day(starts_at),
                    "intervention_type": kind,
                    "minutes": minutes,
                    "preparation_minutes": preparation.get(kind, 0),
                    "created_at": starts_at + datetime.timedelta(days=1),
                },
            )
        if number % CORRECTION_EVERY == 0:
            people.add(
                Correction,
                {
                    "organisation": company,
                    "convention": convention,
                    "ambassador": ambassador,
                    "day": datetime.date(year, 6, 12),
                    "minutes": 90,
                    "reason": "Stand au forum des métiers du bassin, hors plateforme.",
                    "status": CorrectionStatus.APPROVED,
                    "proposed_by": manager,
                    "proposed_at": datetime.datetime(year, 6, 13, 17),
                    "decided_by": admin,
                    "decided_at": datetime.datetime(year, 6, 15, 9),
                },
            )
    people.finish()
    return Company(company, admin, year)


# The ledger


def _application_ledger(company: Company) -> tuple[list[tuple], dict[str, Any]]:
    from tremplin.auth.models import Account
    from tremplin.plugins.mecenat import ledger

    admin = Account.get_by_id(company.admin_id)
    lines = ledger.statement(admin, company.organisation_id, company.start, company.end)
    valuation = ledger.valuation(company.organisation_id, company.start, company.end)
    return [
        (line.month, line.ambassador_id, line.name, line.interventions, line.minutes)
        for line in lines
    ], {
        "minutes": valuation.minutes,
        "amount": valuation.amount,
        "by_employee": valuation.by_employee,
        "without_cost": valuation.without_cost,
    }


def _floor_sql(sqlite: bool) -> tuple[str, str]:
    """The statement's and the valuation's SQL (parameters: organisation, start, end, twice)."""
    from tremplin.auth.models import Account
    from tremplin.people.models import Ambassador
    from tremplin.plugins.mecenat.models import Correction, Costing, Entry

    p = "?" if sqlite else "%s"
    month = "substr(day, 1, 7)" if sqlite else "to_char(day, 'YYYY-MM')"
    year = (
        "CAST(substr(day, 1, 4) AS INTEGER)"
        if sqlite
        else "CAST(EXTRACT(YEAR FROM day) AS INTEGER)"
    )
    entry, correction = Entry._meta.table_name, Correction._meta.table_name
    given = (
        "SELECT convention_id, ambassador_id, day, 1 AS counted,"
        f" minutes + preparation_minutes AS minutes FROM {entry}"
        f" WHERE organisation_id = {p} AND day >= {p} AND day <= {p}"
        " UNION ALL SELECT convention_id, ambassador_id, day, 0, minutes"
        f" FROM {correction} WHERE organisation_id = {p} AND status = 'approved'"
        f" AND day >= {p} AND day <= {p}"
    )
    concat = "c.first_name || ' ' || c.last_name"
    statement = (
        f"SELECT g.month, g.ambassador_id, {concat}, g.interventions, g.minutes"
        f" FROM (SELECT {month} AS month, ambassador_id, SUM(counted) AS interventions,"
        f" SUM(minutes) AS minutes FROM ({given}) x GROUP BY 1, 2) g"
        f" LEFT JOIN {Ambassador._meta.table_name} a ON a.id = g.ambassador_id"
        f" LEFT JOIN {Account._meta.table_name} c ON c.id = a.account_id"
    )
    costing = Costing._meta.table_name
    valuation = (
        "SELECT g.ambassador_id, g.minutes, k.monthly_salary, k.monthly_charges,"
        " k.monthly_hours, g.year"
        f" FROM (SELECT convention_id, ambassador_id, {year} AS year, SUM(minutes) AS minutes"
        f" FROM ({given}) x GROUP BY 1, 2, 3) g"
        f" LEFT JOIN {costing} k ON k.convention_id = g.convention_id"
        " AND k.ambassador_id = g.ambassador_id"
        f" AND k.year = (SELECT MAX(year) FROM {costing} l WHERE l.convention_id ="
        " g.convention_id AND l.ambassador_id = g.ambassador_id AND l.year <= g.year)"
    )
    return statement, valuation


def _floor_ledger(driver: Driver, company: Company, queries: tuple[str, str]):
    """The same figures through the driver: two statements, the rule's arithmetic."""
    from tremplin.plugins.mecenat import service
    from tremplin.plugins.mecenat.valuation import value_of_time

    start, end = company.start.isoformat(), company.end.isoformat()
    params = (company.organisation_id, start, end) * 2
    cursor = driver.connection.cursor()
    cursor.execute(queries[0], params)
    lines = sorted(cursor.fetchall(), key=lambda line: (line[0], line[2]))
    cursor.execute(queries[1], params)
    pss = service.settings()["pss"]
    amount, minutes, by_employee, missing = Decimal("0.00"), 0, defaultdict(int), set()
    for ambassador_id, given, salary, charges, hours, year in cursor.fetchall():
        minutes += given
        by_employee[ambassador_id] += given
        if given <= 0:
            continue
        if salary is None:
            missing.add(ambassador_id)
            continue
        amount += value_of_time(
            year,
            _decimal(salary),
            _decimal(charges),
            _decimal(hours) * 60,
            given,
            pss=pss,
        )
    return lines, {
        "minutes": minutes,
        "amount": amount,
        "by_employee": dict(by_employee),
        "without_cost": sorted(missing),
    }


def _decimal(value: Any) -> Decimal:
    """A stored amount as ``Decimal`` (SQLite gives back a float, PostgreSQL a Decimal)."""
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _ledger_row(kind: str, driver: Driver, company: Company, employees: int, options: Options):
    queries = _floor_sql(driver.sqlite)
    app_lines, app_figures = _application_ledger(company)
    floor_lines, floor_figures = _floor_ledger(driver, company, queries)
    if sorted(app_lines) != sorted(floor_lines) or app_figures != floor_figures:
        raise RuntimeError(
            f"W8 mecenat: the floor's ledger differs from the plugin's: "
            f"{app_figures['minutes']} / {app_figures['amount']} against "
            f"{floor_figures['minutes']} / {floor_figures['amount']}"
        )
    value = median_ms(lambda: _application_ledger(company), options.repeats)
    floor = median_ms(lambda: _floor_ledger(driver, company, queries), options.repeats)
    return Row(
        workload=WORKLOAD,
        database=kind,
        size=f"{employees} employees, {employees * INTERVENTIONS} interventions",
        measure=(
            f"mecenat: a company's yearly ledger (statement and valuation, "
            f"{len(app_lines)} lines, {app_figures['amount']} €)"
        ),
        value=value,
        unit="ms",
        floor="2 statements via driver, same figures",
        floor_value=floor,
        ratio=value / floor,
        target=f"≤ {TARGET:g}x",
        met=value / floor <= TARGET,
    )


# The receipt


def _issue(company: Company) -> Any:
    """The region issues the receipt of the company's year, rolled back afterwards."""
    from tremplin.auth.models import Account
    from tremplin.db import database
    from tremplin.plugins.mecenat import receipts

    admin = Account.get_by_id(company.admin_id)
    with database.atomic() as transaction:
        receipt = receipts.issue(
            admin, {"organisation": company.organisation_id, "financial_year": company.year}
        )
        transaction.rollback()
    return receipt


def _printer() -> Any:
    """WeasyPrint alone: ``print(html)`` with the documents' stylesheets, read once."""
    import weasyprint

    from tremplin import runtime
    from tremplin.documents import rendering

    region_css = runtime.current().region.static_folder / rendering.REGION_STYLESHEET
    paths = [rendering.WEB_STYLESHEET, rendering.PRINT_STYLESHEET]
    paths += [region_css] if region_css.is_file() else []
    sources = [path.read_text(encoding="utf-8") for path in paths]
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols={"data"})

    def print_(html: str) -> bytes:
        stylesheets = [weasyprint.CSS(string=css, url_fetcher=fetcher) for css in sources]
        return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=stylesheets)

    return print_


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _receipt_row(kind: str, company: Company, employees: int, options: Options) -> Row:
    from tremplin.documents import rendering

    printed: list[tuple[str, bytes]] = []
    real = rendering.html_to_pdf

    def recording(html: str) -> bytes:
        pdf = real(html)
        printed.append((html, pdf))
        return pdf

    with mock.patch.object(rendering, "html_to_pdf", recording):
        _issue(company)  # warm-up, and the HTML it prints
    html, pdf = printed[-1]
    print_ = _printer()
    if _pages(print_(html)) != _pages(pdf):
        raise RuntimeError("W8 mecenat: WeasyPrint alone made another number of pages")
    repeats = max(3, options.repeats // 2)
    value = median_ms(lambda: _issue(company), repeats)
    floor = median_ms(lambda: print_(html), repeats)
    return Row(
        workload=WORKLOAD,
        database=kind,
        size=f"{employees} employees, {employees * INTERVENTIONS} interventions",
        measure=f"mecenat: the receipt of the year issued ({_pages(pdf)}-page PDF)",
        value=value,
        unit="ms",
        floor="WeasyPrint alone, same HTML",
        floor_value=floor,
        ratio=value / floor,
        target=f"≤ {TARGET:g}x",
        met=value / floor <= TARGET,
    )
