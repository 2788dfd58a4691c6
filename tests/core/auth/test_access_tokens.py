"""Personal access tokens: created on the account page, shown once, stored hashed, read or
read-write, expiring, revocable, rate-limited, and ``Authorization: Bearer`` on the API."""

import datetime
import hashlib
import logging
import re
import zoneinfo

import pytest

from tremplin.auth import access_tokens
from tremplin.auth import service as accounts
from tremplin.auth.models import AccessToken, Account, AccountStatus
from tremplin.testing import csrf_token_from, sign_in

TOKEN = re.compile(r"tremplin_[A-Za-z0-9_-]{43}")


@pytest.fixture(autouse=True)
def term_time(clock):
    """The dates these tests write (expiries in March and April 2026) suppose this morning,
    whatever moment the suite runs at."""
    clock.pin(datetime.datetime(2026, 3, 10, 9, 0))


@pytest.fixture
def lea(person):
    return person("lea.martin@example.org", phone="06 12 34 56 78")


@pytest.fixture
def browser(client, lea, password):
    """Léa's browser, signed in."""
    sign_in(client, lea.email, password)
    return client


def create(browser, name="Système d'information", scope="read", expires_on=None):
    """Create a token on the account page; return the page's response."""
    last_day = expires_on or (datetime.date(2026, 3, 10) + datetime.timedelta(days=30))
    token = csrf_token_from(browser, "/mon-compte/jetons")
    form = {"name": name, "scope": scope, "expires_on": str(last_day), "csrf_token": token}
    return browser.post("/mon-compte/jetons", data=form)


def new_token(browser, **options) -> str:
    response = create(browser, **options)
    assert response.status_code == 200, response.text
    [token] = set(TOKEN.findall(response.text))
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def machine(app):
    """A client with no cookie at all, as a region's information system is."""
    return app.test_client(use_cookies=False)


def test_the_account_page_leads_to_the_tokens(browser):
    assert 'href="/mon-compte/jetons"' in browser.get("/mon-compte").text
    page = browser.get("/mon-compte/jetons")
    assert page.status_code == 200
    assert "Vous n’avez aucun jeton." in page.text


def test_a_token_is_shown_once_and_only_its_hash_is_kept(app, browser, lea):
    response = create(browser, name="SI de la région")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    [token] = set(TOKEN.findall(response.text))
    assert "Copiez-le maintenant" in response.text

    with app.app_context():
        [row] = AccessToken.select().where(AccessToken.account == lea.id)
        stored = [str(value) for value in row.__data__.values()]
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not any(token in value for value in stored)
    assert row.hint == token[:13]

    again = browser.get("/mon-compte/jetons")
    assert token not in again.text
    assert "SI de la région" in again.text
    assert f"{token[:13]}…" in again.text


def test_a_token_signs_in_api_calls_without_a_cookie(machine, browser, lea):
    token = new_token(browser)
    response = machine.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 200
    assert response.json["email"] == lea.email
    assert "Set-Cookie" not in response.headers


def test_a_read_token_cannot_write(app, machine, browser, lea):
    token = new_token(browser, scope="read")
    response = machine.patch("/api/v1/me", json={"first_name": "Autre"}, headers=bearer(token))
    assert response.status_code == 403
    assert response.json["message"] == (
        "Ce jeton ne permet que de lire. Créez un jeton en lecture et écriture pour modifier."
    )
    assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]
    with app.app_context():
        assert Account.get_by_id(lea.id).first_name == "Léa"


def test_a_read_write_token_writes_without_a_csrf_token(app, machine, browser, lea):
    token = new_token(browser, scope="read-write")
    response = machine.patch("/api/v1/me", json={"first_name": "Léane"}, headers=bearer(token))
    assert response.status_code == 200
    assert response.json["first_name"] == "Léane"
    with app.app_context():
        assert Account.get_by_id(lea.id).first_name == "Léane"


def test_a_token_that_does_not_work_is_answered_401(app, machine, browser):
    for header in (
        "Bearer tremplin_unknown",
        "Bearer ",
        "bearer nimporte-quoi",
        "Bearer " + "tremplin_" + "x" * 500,
    ):
        response = machine.get("/api/v1/me", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
        assert response.json["code"] == 401


def test_a_bad_token_is_refused_even_on_public_endpoints(machine):
    assert machine.get("/api/v1/territories/").status_code == 200
    response = machine.get("/api/v1/territories/", headers=bearer("tremplin_faux"))
    assert response.status_code == 401


def test_a_token_does_not_sign_in_pages(machine, browser):
    token = new_token(browser)
    response = machine.get("/mon-compte", headers=bearer(token))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/connexion")


def test_a_revoked_token_stops_at_once(app, machine, browser, lea):
    token = new_token(browser)
    with app.app_context():
        [row] = access_tokens.tokens_of(lea)
    form = {"csrf_token": csrf_token_from(browser, "/mon-compte/jetons")}
    response = browser.post(f"/mon-compte/jetons/{row.id}/revoquer", data=form)
    assert response.status_code == 302
    assert "Le jeton est révoqué" in browser.get("/mon-compte/jetons").text
    assert machine.get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_nobody_revokes_another_person_s_token(app, person, password, browser):
    new_token(browser)
    with app.app_context():
        [row] = AccessToken.select()
    other = app.test_client()
    person("sam@example.org")
    sign_in(other, "sam@example.org", password)
    form = {"csrf_token": csrf_token_from(other, "/mon-compte/jetons")}
    assert other.post(f"/mon-compte/jetons/{row.id}/revoquer", data=form).status_code == 404
    with app.app_context():
        assert AccessToken.select().count() == 1


def test_a_token_works_until_the_end_of_its_last_day(app, machine, browser, clock):
    # Whatever moment the suite runs at: the last day is tomorrow in the region (Paris).
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    last_day = clock.today(paris) + datetime.timedelta(days=1)
    token = new_token(browser, expires_on=last_day)
    midnight = datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time())
    end = midnight.replace(tzinfo=paris).astimezone(datetime.UTC).replace(tzinfo=None)
    clock.pin(end - datetime.timedelta(minutes=1))  # 23:59 in Paris
    assert machine.get("/api/v1/me", headers=bearer(token)).status_code == 200
    clock.pin(end)  # midnight in Paris
    assert machine.get("/api/v1/me", headers=bearer(token)).status_code == 401
    assert "Expiré" in browser.get("/mon-compte/jetons").text


def test_the_form_refuses_what_it_cannot_take(app, browser):
    past = create(browser, expires_on=datetime.date(2026, 3, 10))
    assert past.status_code == 422
    assert "Choisissez une date entre le 11 mars 2026 et le 11 mars 2027." in past.text
    too_far = create(browser, expires_on=datetime.date(2027, 3, 12))
    assert too_far.status_code == 422
    nameless = create(browser, name="  ", scope="admin")
    assert nameless.status_code == 422
    assert "Ce champ est obligatoire." in nameless.text
    assert "La valeur doit être l’une des suivantes : read, read-write." in nameless.text
    with app.app_context():
        assert AccessToken.select().count() == 0


def test_the_last_use_is_shown(machine, browser, clock):
    token = new_token(browser)
    assert "Jamais" in browser.get("/mon-compte/jetons").text
    clock.pin(datetime.datetime(2026, 3, 12, 14, 30))
    machine.get("/api/v1/me", headers=bearer(token))
    assert "12 mars 2026, 15:30" in browser.get("/mon-compte/jetons").text  # Paris, UTC+1


def test_a_suspended_account_s_tokens_stop(app, machine, browser, lea):
    token = new_token(browser)
    with app.app_context():
        Account.update(status=AccountStatus.SUSPENDED).where(Account.id == lea.id).execute()
    assert machine.get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_deleting_an_account_deletes_its_tokens(app, machine, browser, lea):
    token = new_token(browser)
    with app.app_context():
        accounts.erase_account(lea)
        assert AccessToken.select().count() == 0
    assert machine.get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_purge_deletes_tokens_a_month_after_they_expired(app, browser, clock, run_cli):
    new_token(browser, expires_on=datetime.date(2026, 3, 11))
    new_token(browser, expires_on=datetime.date(2026, 6, 30))
    clock.pin(datetime.datetime(2026, 4, 11, 12, 0))  # the first expired 30 days ago
    assert run_cli(app, "purge").exit_code == 0
    with app.app_context():
        assert [row.expires_at.date() for row in AccessToken.select()] == [
            datetime.date(2026, 6, 30)
        ]


def test_each_token_has_its_own_rate_limit(app, machine, browser, limiter_clock):
    app.config["TOKEN_RATE_LIMIT"] = "3 per minute"
    first, second = new_token(browser, name="Un"), new_token(browser, name="Deux")
    for _ in range(3):
        assert machine.get("/api/v1/me", headers=bearer(first)).status_code == 200
    refused = machine.get("/api/v1/me", headers=bearer(first))
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "Ce jeton a fait trop d’appels." in refused.json["message"]
    assert machine.get("/api/v1/me", headers=bearer(second)).status_code == 200
    assert browser.get("/api/v1/me").status_code == 200  # the session is not counted


def test_the_openapi_document_declares_tokens_and_sessions(client):
    document = client.get("/api/v1/openapi.json").json
    schemes = document["components"]["securitySchemes"]
    assert schemes["accessToken"]["type"] == "http"
    assert schemes["accessToken"]["scheme"] == "bearer"
    assert schemes["session"] == {**schemes["session"], "type": "apiKey", "in": "cookie"}
    assert {"accessToken": []} in document["security"]


def test_the_downloaded_data_lists_tokens_and_sessions_but_no_secret(browser):
    token = new_token(browser, name="SI de la région")
    response = browser.get("/mon-compte/mes-donnees")
    sections = response.json["sections"]
    [listed] = sections["Jetons d’accès à l’API"]
    assert listed["name"] == "SI de la région"
    assert listed["access"] == "read"
    assert listed["expires_at"] == "2026-04-09T22:00:00+00:00"  # midnight in Paris
    [session] = sections["Sessions de connexion"]
    assert session["started_at"].startswith("2026-03-10T09:0")  # time flows from 09:00
    assert token not in response.text
    assert token[9:20] not in response.text


def test_creating_and_revoking_a_token_is_logged_without_the_token(app, browser, lea, caplog):
    caplog.set_level(logging.INFO, logger="tremplin.auth.access_tokens")
    token = new_token(browser, scope="read-write", expires_on=datetime.date(2026, 4, 30))
    with app.app_context():
        [row] = access_tokens.tokens_of(lea)
    form = {"csrf_token": csrf_token_from(browser, "/mon-compte/jetons")}
    browser.post(f"/mon-compte/jetons/{row.id}/revoquer", data=form)
    assert [record.getMessage() for record in caplog.records] == [
        f"access token {row.id} created: account {lea.id}, read-write, until 2026-04-30",
        f"access token {row.id} revoked: account {lea.id}",
    ]
    assert token not in caplog.text


def test_the_list_writes_its_dates_as_the_reader_s_language_does(browser):
    new_token(browser, expires_on=datetime.date(2026, 12, 7))
    french = browser.get("/mon-compte/jetons?lang=fr").text
    assert "<td>10 mars 2026</td>" in french
    assert "2026-03-10" not in french
    english = browser.get("/mon-compte/jetons?lang=en").text
    assert "<td>March 10, 2026</td>" in english
    assert " UTC" not in english  # the region's time, as every moment shown
