"""No input gives a 500: ids and pages beyond 64 bits, NUL characters, lone surrogates,
deeply nested or huge JSON bodies, dates at the ends of the calendar.

Routes are found in the URL map, so that every page and endpoint (a plugin's too) is
probed without this file naming it.
"""

from __future__ import annotations

import io
import re

import pytest
from werkzeug.routing import IntegerConverter

from tremplin.auth import service as accounts
from tremplin.auth.models import AccountStatus, Role
from tremplin.testing import api_client, csrf_token_from

HUGE = "99999999999999999999999"
PASSWORD = "un mot de passe solide"


@pytest.fixture
def admin_client(app, fast_passwords):
    with app.app_context():
        account = accounts.create_account(
            "admin@example.org", "Ada", "Admin", password=PASSWORD, status=AccountStatus.ACTIVE
        )
        accounts.grant(account, Role.ADMIN)
    return api_client(app, "admin@example.org", PASSWORD)


def rules_with_an_integer(app) -> list[str]:
    """Every GET route of ``app`` with integer parts, those parts set to ``HUGE``."""
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not rule.arguments:
            continue
        if not all(
            isinstance(converter, IntegerConverter) for converter in rule._converters.values()
        ):
            continue
        paths.append(re.sub(r"<[^>]+>", HUGE, rule.rule))
    return sorted(set(paths))


def lists(app) -> list[str]:
    """Every GET route without arguments (lists and pages that may read ``?page=``)."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and "static" not in rule.endpoint
    )


def test_ids_beyond_64_bits_are_not_found(app, admin_client):
    paths = rules_with_an_integer(app)
    assert "/api/v1/organisations/" + HUGE in paths
    for client in (app.test_client(), admin_client):
        answers = {path: client.get(path).status_code for path in paths}
        assert all(code in {302, 401, 403, 404} for code in answers.values()), answers


def test_page_numbers_beyond_64_bits_are_no_server_error(app, admin_client):
    for client in (app.test_client(), admin_client):
        answers = {path: client.get(f"{path}?page={HUGE}").status_code for path in lists(app)}
        assert 500 not in answers.values(), [p for p, code in answers.items() if code == 500]


@pytest.mark.parametrize("text", ["Léa\x00Martin", "Léa\x1bMartin"])
def test_a_name_with_a_nul_or_a_control_character_is_refused_with_its_field(admin_client, text):
    response = admin_client.post(
        "/mon-compte",
        data={
            "first_name": text,
            "last_name": "Martin",
            "locale": "fr",
            "csrf_token": csrf_token_from(admin_client, "/mon-compte"),
        },
    )
    assert response.status_code == 422
    assert "caractère de contrôle invisible" in response.text
    assert 'value="Martin"' in response.text  # what was typed is kept


def test_a_lone_surrogate_in_a_json_string_is_refused_with_its_field(admin_client):
    body = '{"name": "Coll\\ud800ge", "kind": "college", "territory": "59"}'
    response = admin_client.post(
        "/api/v1/organisations/", data=body, content_type="application/json"
    )
    assert response.status_code == 422
    assert "name" in response.json["errors"]["json"]


def test_json_nested_tens_of_thousands_deep_is_refused(admin_client):
    body = "[" * 50_000 + "]" * 50_000
    response = admin_client.post(
        "/api/v1/organisations/", data=body, content_type="application/json"
    )
    assert response.status_code == 422


def test_a_huge_json_body_is_refused_before_it_is_read(admin_client):
    read = []

    class Endless(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, buffer):
            read.append(len(buffer))
            buffer[: len(buffer)] = b" " * len(buffer)
            return len(buffer)

    size = 20 * 1024 * 1024
    response = admin_client.post(
        "/api/v1/organisations/",
        content_type="application/json",
        environ_overrides={"wsgi.input": io.BufferedReader(Endless()), "CONTENT_LENGTH": str(size)},
    )
    assert response.status_code == 413
    assert sum(read) < size


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_date_at_the_ends_of_the_calendar_is_refused_with_its_field(admin_client, day):
    response = admin_client.get(f"/api/v1/stats/key-figures?start={day}&end={day}")
    assert response.status_code == 422


def test_searches_with_a_nul_or_a_lone_surrogate_are_no_server_error(app, admin_client):
    for client in (app.test_client(), admin_client):
        for query in ("q=a%00b", "q=%ED%A0%80", "search=a%00b", "territory=%00"):
            answers = {path: client.get(f"{path}?{query}").status_code for path in lists(app)}
            assert 500 not in answers.values(), [p for p, code in answers.items() if code == 500]


def test_a_csv_row_with_a_nul_is_rejected_and_the_others_are_kept(app, run_cli, tmp_path):
    from tremplin.organisations.models import Organisation
    from tremplin.territories.models import Territory

    with app.app_context():
        Territory.create(code="59", name="Nord", kind="department")
    path = tmp_path / "organisations.csv"
    path.write_text(
        "name,kind,uai,siret,territory,city,postcode,latitude,longitude,qpv,rep,rep_plus,rural\n"
        "Collège Jean\x00Bart,college,0590001A,,59,Lille,59000,,,,,,\n"
        "Entreprise Nord,company,,73282932000074,59,Lille,59000,,,,,,\n",
        encoding="utf-8",
    )
    result = run_cli(app, "import", "organisations", str(path))
    assert result.exit_code == 1, result.output
    assert "ligne 2" in result.output
    assert "caractère de contrôle invisible" in result.output
    with app.app_context():
        assert [organisation.name for organisation in Organisation.select()] == ["Entreprise Nord"]
