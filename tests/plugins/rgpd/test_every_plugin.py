"""Done when: the access export of an ambassador who used every plugin contains each
plugin's data; an erased person is absent from every table except what the listed legal
bases keep."""

from __future__ import annotations

import datetime
import io
import json
import zipfile

import pytest

from tremplin.auth.models import Role
from tremplin.db import database
from tremplin.interventions import service as interventions
from tremplin.messaging import service as messaging
from tremplin.organisations.models import OrganisationKind
from tremplin.plugins.charter import service as charter
from tremplin.plugins.charter import versions
from tremplin.plugins.charter.record_checks import declare_extract
from tremplin.plugins.mecenat import employers
from tremplin.plugins.rgpd import requests

from .network import Network, link_in, post_form

MECENAT = {
    "beneficiary_name": "Région de test",
    "beneficiary_address": "1 place de la Région, 59000 Lille",
    "beneficiary_siren": "200000001",
    "beneficiary_object": "Information sur les métiers et les formations",
    "receipt_signatory_name": "Hélène Marchal",
    "receipt_signatory_capacity": "Directrice de l'orientation",
    "region_signatory_name": "Hélène Marchal",
    "region_signatory_role": "Pour la Région",
    "region_signatory_email": "signature@region.example.org",
}
CHARTER_TEXT = """\
+++
version = "2026-1"
title = "Charte des ambassadeurs"
effective = 2026-01-01
+++

## Article 1 — Objet

Faire découvrir les métiers aux jeunes.
"""
EMAIL_OF_PERSON = "ambassador2@example.org"  # the second person the network makes
PHONE = "06 12 34 56 78"
LAST_NAME = "Quenouille"  # found nowhere else in the network


@pytest.fixture
def everything(make_app, run_cli):
    """An app with every bundled plugin, an officer, and an ambassador who used them all."""
    app = make_app(
        plugins=["charter", "mecenat", "rgpd"],
        settings={"mecenat": MECENAT, "rgpd": {"dpo_email": "dpo@region.example.org"}},
    )
    net = Network(app)
    officer = net.account(email="dpo@example.org")
    assert run_cli(app, "rgpd", "officer", "add", "dpo@example.org").exit_code == 0
    ambassador = net.ambassador("Inès", LAST_NAME, phone=PHONE)
    person = net.account_of(ambassador)
    assert person.email == EMAIL_OF_PERSON
    company = net.organisation("Forges de l'Escaut", siret="12345678900017")
    school = net.organisation("Collège Jules Ferry", kind=OrganisationKind.COLLEGE)
    teacher = net.account(Role.EDUCATOR, organisation=school)

    def use_everything():
        slot = datetime.datetime(2026, 6, 2, 8, 0, tzinfo=datetime.UTC)
        made = interventions.request_intervention(
            teacher,
            {
                "ambassador": ambassador.id,
                "organisation": school.id,
                "intervention_type": "class_talk",
                "mode": "on_site",
                "audience_level": "college_3",
                "group_size": 25,
                "duration_minutes": 45,
                "slots": [slot.isoformat()],
            },
        )
        messaging.post_message(person, made.id, {"body": f"Bonjour, ici Inès {LAST_NAME}."})
        # The charter holds an ambassador until every check is done: requested before.
        versions.publish_text(CHARTER_TEXT)
        charter.accept(person, "2026-1")
        declare_extract(person)
        employers.set_employer(person, {"organisation": company.id})
        employers.give_consent(person)

    net.run(use_everything)
    return app, net, officer, person


def answered(app, net, officer, person, kind):
    """The person's request of ``kind``, filed and answered; the id."""
    made = net.run(requests.file_own, person, {"kind": kind})
    net.run(requests.answer, officer, made.id, {})
    return made.id


def test_the_access_export_holds_every_plugins_data(everything):
    app, net, officer, person = everything
    mailman = app.extensions["mailman"]
    answered(app, net, officer, person, "access")
    with app.app_context():
        from tremplin.mail import delivery

        delivery.deliver_pending()
    answer = [m for m in mailman.outbox if person.email in m.to and "réponse" in m.subject][-1]
    client = app.test_client()
    path = link_in(answer)
    archive = zipfile.ZipFile(io.BytesIO(post_form(client, path, {}, page=path).data))
    sections = json.loads(archive.read("donnees.json"))["sections"]
    assert sections["Compte"]["last_name"] == LAST_NAME  # the core's accounts
    assert "Charte acceptée" in sections  # charter
    assert "Mécénat : consentements" in sections  # mecenat
    assert "Demandes sur vos données personnelles" in sections  # rgpd
    readme = archive.read("LISEZMOI.html").decode()
    for title in sections:
        assert title.replace("'", "&#x27;") in readme
    assert len(archive.namelist()) == len(sections) + 2


def test_an_erased_person_is_absent_from_every_table_but_what_the_listed_bases_keep(
    everything, clock, run_cli
):
    app, net, officer, person = everything
    request_id = answered(app, net, officer, person, "erasure")
    needles = [person.email, LAST_NAME, PHONE, PHONE.replace(" ", "")]
    with app.app_context():
        from tremplin.mail import delivery

        delivery.deliver_pending()
        # rights.KEPT: the record of the requests (GDPR art. 5(2), 17(3)(e)), the answer
        # in the outbox a week at most (art. 12(1)); the outbox keeps the emails sent to
        # others, which quote the person, 30 days (tremplin.mail.service.SENT_KEPT).
        assert where_found(app, needles) == {
            "rgpd_request": {"name", "email"},
            "outbox_message": {"recipient", "context"},
        }
    clock.advance(days=8)
    assert run_cli(app, "purge").exit_code == 0
    with app.app_context():
        assert not [
            row
            for row in database.execute_sql("SELECT recipient FROM outbox_message").fetchall()
            if row[0] == person.email
        ]
    clock.advance(days=23)
    assert run_cli(app, "purge").exit_code == 0
    with app.app_context():
        assert where_found(app, needles) == {"rgpd_request": {"name", "email"}}
    stored = net.run(requests.Request.get_by_id, request_id)
    assert stored.status == "answered"
    assert "Conservé" in stored.answer


def where_found(app, needles):
    """The tables (and columns) where any of ``needles`` appears, read back in SQL."""
    found = {}
    for table in database.get_tables():
        cursor = database.execute_sql(f'SELECT * FROM "{table}"')
        columns = [column[0] for column in cursor.description]
        for row in cursor.fetchall():
            for column, value in zip(columns, row, strict=True):
                text = value.decode(errors="ignore") if isinstance(value, bytes) else str(value)
                if any(needle.lower() in text.lower() for needle in needles):
                    found.setdefault(table, set()).add(column)
    return found
