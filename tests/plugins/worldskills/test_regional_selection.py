"""Done when: a regional selection runs end to end — skills, candidates imported, a judge
kept from marking a linked candidate, marks entered and locked, scores, medals, results
page, selection, and a medallist invited as an ambassador.

Expected figures are worked out here from the rules (ranks, medals) and from Python's
``statistics`` (the scale scores), never by the plugin's own functions.
"""

from __future__ import annotations

import csv
import datetime
import io
import statistics
from decimal import Decimal

import pytest

from tremplin import clock
from tremplin.auth.models import Account, AccountStatus, Role
from tremplin.errors import Conflict, NotAllowed
from tremplin.organisations.models import OrganisationKind
from tremplin.people.models import Ambassador
from tremplin.plugins.worldskills import competitions, marks
from tremplin.plugins.worldskills.models import (
    Candidate,
    CandidateStatus,
    Competition,
    MarkChange,
    Result,
    Skill,
)

from .conftest import link_in, pdf_text, post_form, sign_in

# Seven competitors of one skill: marks out of 100 as measurement (of 70) + judgement (of
# 30: three judges' 0-3 scores, mean / 3 × 30).
PLAN = {
    "Lina": (60, (3, 3, 3)),  # 90
    "Tom": (60, (3, 3, 3)),  # 90
    "Jade": (58, (3, 3, 3)),  # 88: the one the linked judge may not mark
    "Nael": (56, (3, 3, 3)),  # 86: the median
    "Eva": (60, (2, 2, 2)),  # 80
    "Malo": (50, (1, 1, 1)),  # 60
    "Ines": (50, (0, 0, 0)),  # 50
}
TOTALS = {"Lina": 90, "Tom": 90, "Jade": 88, "Nael": 86, "Eva": 80, "Malo": 60, "Ines": 50}
# Standard competition ranking, gold/silver/bronze by rank, a medallion from 700 (the
# median's score) for the others: two golds, so no silver.
AWARDS = {
    "Lina": "gold",
    "Tom": "gold",
    "Jade": "bronze",
    "Nael": "medallion",
    "Eva": None,
    "Malo": None,
    "Ines": None,
}


def expected_score(name: str) -> float:
    """700 + (mark − median) / population SD × 100, from the statistics module."""
    values = list(TOTALS.values())
    return 700 + (TOTALS[name] - statistics.median(values)) / statistics.pstdev(values) * 100


def candidates_csv(year: int) -> bytes:
    """The training centres' list: seven good rows and one candidate over the age limit."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        ["skill", "first_name", "last_name", "birth_date", "email", "pathway",
         "training_centre", "employer", "consent", "guardian_name", "guardian_consent"]
    )  # fmt: skip
    for number, name in enumerate(PLAN):
        minor = name == "Ines"
        born = datetime.date(year - (16 if minor else 20), 1 + number, 3)
        writer.writerow(
            [34, name, "Durand", born.isoformat(), f"{name.lower()}@example.org",
             "apprenticeship", "CFA des Flandres", "12345678900017", "yes",
             "Sam Durand" if minor else "", "yes" if minor else ""]
        )  # fmt: skip
    # At most 22 in the target year: born on 31 December of the year before the first
    # allowed one, one day too early.
    writer.writerow(
        [34, "Oscar", "Trop", datetime.date(year + 1 - 23, 12, 31).isoformat(), "",
         "school", "Lycée Watteau", "", "yes", "", ""]
    )  # fmt: skip
    return out.getvalue().encode()


@pytest.fixture
def people(net):
    """The region's referent, the organisations and the marking team of the skill."""
    cfa = net.organisation("CFA des Flandres")
    net.organisation("Lycée Watteau", kind=OrganisationKind.LYCEE_PRO)
    net.organisation("Brasserie du Beffroi", kind=OrganisationKind.COMPANY, siret="12345678900017")
    return {
        "cfa": cfa,
        "referent": net.account(Role.REFERENT, territory=net.region),
        "chief": net.account(email="chief@example.org"),
        "linked": net.account(email="linked@example.org"),
        "judge2": net.account(email="judge2@example.org"),
        "judge3": net.account(email="judge3@example.org"),
    }


def test_a_regional_selection_runs_from_skills_to_a_medallist_ambassador(app, net, people, deliver):
    referent = people["referent"]
    client = sign_in(app.test_client(), referent)
    year = clock.today().year

    # Competitions: WorldSkills next year, the national finals, the regional selection.
    admin = net.account(Role.ADMIN)
    world = net.run(
        competitions.create,
        admin,
        {"name": "WorldSkills", "level": "worldskills", "edition": "49",
         "starts_on": f"{year + 1}-09-10", "ends_on": f"{year + 1}-09-15"},
    )  # fmt: skip
    national = net.run(
        competitions.create,
        admin,
        {"name": "Finales nationales", "level": "national", "edition": "49",
         "starts_on": f"{year}-11-10", "ends_on": f"{year}-11-14", "selects_for": world.id},
    )  # fmt: skip
    net.run(
        competitions.add_skill,
        admin,
        national.id,
        {"number": 7, "name": "Cuisine", "max_age": 22, "rome_codes": "G1602"},
    )
    page = post_form(
        client,
        "/worldskills/concours",
        "/worldskills/",
        {"name": "Sélections régionales", "level": "regional", "edition": "49",
         "starts_on": f"{year}-06-02", "ends_on": f"{year}-06-04", "territory": "hdf",
         "selects_for": str(national.id)},
    )  # fmt: skip
    assert page.status_code == 302, page.text
    regional = net.run(Competition.get, Competition.name == "Sélections régionales")
    assert page.headers["Location"].endswith(f"/worldskills/concours/{regional.id}")
    competition_page = f"/worldskills/concours/{regional.id}"

    # A skill numbered 34 in this edition (7 at the finals), its scheme of 100 marks.
    added = post_form(
        client,
        f"{competition_page}/epreuves",
        competition_page,
        {"number": "34", "name": "Cuisine", "max_age": "22", "rome_codes": "g1602 G1601",
         "sector": "Hôtellerie-restauration"},
    )  # fmt: skip
    assert added.status_code == 302, added.text
    skill = net.run(Skill.get, Skill.competition == regional.id)
    assert (skill.number, skill.rome_codes) == (34, "G1602 G1601")
    skill_page = f"/worldskills/epreuves/{skill.id}"
    for code, kind, worth in (("A", "measurement", "70"), ("B", "judgement", "30")):
        answer = post_form(
            client,
            f"{skill_page}/aspects",
            skill_page,
            {"code": code, "title": f"Aspect {code}", "kind": kind, "max_mark": worth},
        )
        assert answer.status_code == 302, answer.text

    # Candidates imported from the training centres' CSV; the one over the limit refused.
    upload = post_form(
        client,
        f"{competition_page}/import",
        competition_page,
        {"file": (io.BytesIO(candidates_csv(year)), "candidats.csv")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 200
    assert "Candidats : 7 créé(s), 0 mis à jour, 0 inchangé(s), 1 rejeté(s)" in upload.text
    assert f"naissance avant le 1er janvier {year + 1 - 22}" in upload.text
    again = post_form(
        client,
        f"{competition_page}/import",
        competition_page,
        {"file": (io.BytesIO(candidates_csv(year)), "candidats.csv")},
        content_type="multipart/form-data",
    )
    assert "Candidats : 0 créé(s), 0 mis à jour, 7 inchangé(s), 1 rejeté(s)" in again.text

    # The referent accepts them all.
    ids = {c.first_name: c.id for c in net.run(lambda: list(Candidate.select()))}
    assert set(ids) == set(PLAN)
    for candidate_id in ids.values():
        checked = post_form(
            client,
            f"/worldskills/candidats/{candidate_id}/verification",
            competition_page,
            {"decision": "accepted"},
        )
        assert checked.status_code == 302
    assert net.run(
        lambda: Candidate.select().where(Candidate.status == CandidateStatus.ACCEPTED).count()
    ) == len(PLAN)

    # The marking team; one judge declares a link with Jade and may not mark her.
    for person, role in (
        (people["chief"], "chief_expert"),
        (people["linked"], "judge"),
        (people["judge2"], "judge"),
        (people["judge3"], "judge"),
    ):
        answer = post_form(
            client, f"{skill_page}/jury", skill_page, {"email": person.email, "role": role}
        )
        assert answer.status_code == 302, answer.text
    linked = sign_in(app.test_client(), people["linked"])
    declared = post_form(
        linked,
        f"{skill_page}/liens",
        skill_page,
        {"candidate": str(ids["Jade"]), "nature": "Son formateur au CFA"},
    )
    assert declared.status_code == 302, declared.text
    aspects = {a.code: a for a in net.run(competitions.aspects_of, skill.id)}
    refused = post_form(
        linked,
        f"{skill_page}/notes",
        skill_page,
        {"candidate": str(ids["Jade"]), "aspect": str(aspects["B"].id), "value": "3"},
    )
    assert refused.status_code == 403
    assert "lien" in refused.text

    # Marks: measurement by the chief expert (one corrected, logged), judgement by three
    # judges each (Jade's by three who have no link with her).
    chief = people["chief"]

    def enter(who, name, code, value):
        raw = {"aspect": aspects[code].id, "candidate": ids[name], "value": value}
        return net.run(marks.enter, who, skill.id, raw)

    for name, (measured, scores) in PLAN.items():
        enter(chief, name, "A", measured - 1 if name == "Eva" else measured)
        team = ("chief", "judge2", "judge3") if name == "Jade" else ("linked", "judge2", "judge3")
        for who, score in zip(team, scores, strict=True):
            enter(people[who], name, "B", score)
    enter(chief, "Eva", "A", "60")
    change = net.run(
        MarkChange.get, MarkChange.candidate == ids["Eva"], MarkChange.action == "changed"
    )
    assert (change.old_value, change.new_value) == (Decimal(59), Decimal(60))

    # Only the chief expert locks; then nothing changes any more.
    with pytest.raises(NotAllowed):
        net.run(marks.lock, people["judge2"], skill.id)
    locked = post_form(linked, f"{skill_page}/verrouillage", skill_page, {})
    assert locked.status_code == 403
    chief_client = sign_in(app.test_client(), chief)
    locked = post_form(chief_client, f"{skill_page}/verrouillage", skill_page, {})
    assert locked.status_code == 302
    with pytest.raises(Conflict):
        enter(chief, "Ines", "A", 1)

    # Scores and medals.
    results = {
        r.candidate.first_name: r for r in net.run(lambda: list(Result.select().join(Candidate)))
    }
    for name in PLAN:
        assert float(results[name].marks) == TOTALS[name], name
        assert results[name].scale_score == pytest.approx(expected_score(name), abs=1e-9), name
        assert results[name].award == AWARDS[name], name
    assert results["Nael"].scale_score == 700

    # The results page, public once published: first names and initials only.
    assert app.test_client().get(f"/worldskills/resultats/{regional.id}").status_code == 404
    published = post_form(client, f"{competition_page}/publication", competition_page, {})
    assert published.status_code == 302
    public = app.test_client().get(f"/worldskills/resultats/{regional.id}/{skill.id}")
    assert public.status_code == 200
    assert public.text.count("Médaille d’or") == 2
    assert "Médaille d’argent" not in public.text
    assert "Médaille de bronze" in public.text
    assert "Médaillon d’excellence" in public.text
    assert "Lina D." in public.text
    assert "Durand" not in public.text
    assert f"<td>{round(expected_score('Lina'))}</td>" in public.text
    overview = app.test_client().get(f"/worldskills/resultats/{regional.id}")
    assert "CFA des Flandres" in overview.text
    api = app.test_client().get(f"/api/v1/worldskills/competitions/{regional.id}/results")
    assert [line["award"] for line in api.json[0]["results"]][:4] == [
        "gold", "gold", "bronze", "medallion"
    ]  # fmt: skip

    # The CSV (full names, for the region) and a certificate read back from its PDF.
    exported = client.get(f"{competition_page}/resultats.csv").text
    assert "Lina Durand" in exported
    assert "Médaille d’or" in exported
    certificate = client.get(f"/worldskills/candidats/{ids['Jade']}/attestation.pdf")
    assert certificate.status_code == 200
    text = pdf_text(certificate.data)
    assert "Jade Durand" in text
    assert "Médaille de bronze" in text
    assert "88.00" in text
    stranger = sign_in(app.test_client(), people["judge2"])
    assert stranger.get(f"/worldskills/candidats/{ids['Jade']}/attestation.pdf").status_code == 403

    # The selection: the two gold medallists go on to the finals' skill of the same name.
    selected = post_form(client, f"{competition_page}/selection", competition_page, {})
    assert selected.status_code == 302
    finalists = net.run(
        lambda: sorted(
            (c.first_name, c.skill.number, c.status)
            for c in Candidate.select().where(Candidate.competition == national.id)
        )
    )
    assert finalists == [("Lina", 7, "pending"), ("Tom", 7, "pending")]

    # Medallists invited as ambassadors; Lina follows her link, prefilled from the skill.
    invited = post_form(client, f"{competition_page}/invitations", competition_page, {})
    assert invited.status_code == 302
    emails = {message.to[0]: message for message in deliver()}
    assert set(emails) == {
        f"{name.lower()}@example.org" for name in ("Lina", "Tom", "Jade", "Nael")
    }
    path = link_in(emails["lina@example.org"])
    visitor = app.test_client()
    form = visitor.get(path)
    assert form.status_code == 200
    assert 'value="Cuisine"' in form.text
    assert 'value="G1602"' in form.text
    joined = post_form(
        visitor,
        path,
        path,
        {"first_name": "Lina", "last_name": "Durand", "email": "lina@example.org",
         "occupation": "Cuisine", "rome_code": "G1602", "sector": "Hôtellerie-restauration",
         "zones": "59"},
    )  # fmt: skip
    assert joined.status_code == 302, joined.text
    ambassador = net.run(
        lambda: Ambassador.select().join(Account).where(Account.email == "lina@example.org").get()
    )
    assert (ambassador.occupation, ambassador.rome_code, ambassador.kind) == (
        "Cuisine", "G1602", "young"
    )  # fmt: skip
    assert net.run(Account.get_by_id, ambassador.account_id).status == AccountStatus.PENDING
    assert visitor.get(path).status_code == 404  # single use
