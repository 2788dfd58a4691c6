"""Sessions end on the server: signing out, signing out of every device, idle sessions, and
the session cookie over HTTPS."""

import pytest

from tremplin.auth import service as accounts
from tremplin.testing import csrf_token_from, sign_in

HTTPS_REGION = """\
[region]
code = "test-region"
name = "Région de test"

[web]
base_url = "https://tremplin.example.org"

[mail]
backend = "locmem"
"""


@pytest.fixture
def lea(person):
    return person("lea.martin@example.org")


def session_cookie(client) -> str:
    cookie = client.get_cookie("session", domain="127.0.0.1")  # the test region's address
    assert cookie is not None, "the client has no session cookie"
    return cookie.value


def who_with_cookie(app, value: str) -> int:
    """The status of ``/api/v1/me`` for a new client that only has this session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", value, domain="127.0.0.1")
    return thief.get("/api/v1/me").status_code


def sign_out(client):
    token = csrf_token_from(client, "/mon-compte")
    return client.post("/deconnexion", data={"csrf_token": token})


def test_a_copy_of_the_cookie_stops_working_once_its_owner_signs_out(app, client, lea, password):
    sign_in(client, lea.email, password)
    copy = session_cookie(client)
    assert who_with_cookie(app, copy) == 200  # the copy works while the session lasts

    assert sign_out(client).status_code == 302

    assert who_with_cookie(app, copy) == 401


def test_signing_out_ends_only_the_session_signed_out(app, client, lea, password, signed_in_as):
    laptop = app.test_client()
    sign_in(client, lea.email, password)
    sign_in(laptop, lea.email, password)

    sign_out(client)

    assert signed_in_as(client) is None
    assert signed_in_as(laptop) == lea.email


def test_signing_out_of_every_device_asks_first_then_ends_every_session(
    app, client, lea, password, signed_in_as
):
    phone, laptop = app.test_client(), app.test_client()
    for device in (client, phone, laptop):
        sign_in(device, lea.email, password)
    copy = session_cookie(phone)
    page = client.get("/mon-compte")
    assert 'href="/mon-compte/sessions"' in page.text

    confirmation = client.get("/mon-compte/sessions")
    assert confirmation.status_code == 200
    assert "Se déconnecter de tous les appareils" in confirmation.text
    assert signed_in_as(phone) == lea.email  # asking is not doing

    token = csrf_token_from(client, "/mon-compte/sessions")
    response = client.post("/mon-compte/sessions", data={"csrf_token": token})

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/connexion")
    for device in (client, phone, laptop):
        assert signed_in_as(device) is None
    assert who_with_cookie(app, copy) == 401
    sign_in(laptop, lea.email, password)  # signing in again works
    assert signed_in_as(laptop) == lea.email


def test_signing_out_of_every_device_takes_a_signed_in_post_with_its_token(
    app, client, lea, password, signed_in_as
):
    assert client.get("/mon-compte/sessions").headers["Location"].startswith("/connexion")
    sign_in(client, lea.email, password)
    assert client.post("/mon-compte/sessions").status_code == 400  # no CSRF token
    assert signed_in_as(client) == lea.email


def test_a_session_left_unused_ends_after_its_idle_limit(app, client, lea, password, clock):
    sign_in(client, lea.email, password)
    copy = session_cookie(client)
    clock.advance(days=29)
    assert who_with_cookie(app, copy) == 200  # used: the idle time starts again
    clock.advance(days=29)
    assert who_with_cookie(app, copy) == 200
    clock.advance(days=31)
    assert who_with_cookie(app, copy) == 401


def test_purge_deletes_the_records_of_ended_sessions(app, client, lea, password, clock, run_cli):
    from tremplin.auth.models import SignInSession

    sign_in(client, lea.email, password)
    with app.app_context():
        assert SignInSession.select().count() == 1
    clock.advance(days=31)
    assert run_cli(app, "purge").exit_code == 0
    with app.app_context():
        assert SignInSession.select().count() == 0


def test_deleting_an_account_ends_its_sessions_everywhere(app, client, lea, password):
    sign_in(client, lea.email, password)
    copy = session_cookie(client)
    with app.app_context():
        accounts.erase_account(lea)
    assert who_with_cookie(app, copy) == 401


# The cookie over HTTPS


def set_cookie_headers(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def test_the_session_cookie_is_secure_when_the_instance_is_served_over_https(
    make_app, write_region, fast_passwords
):
    app = make_app(region=write_region(HTTPS_REGION))
    client = app.test_client()
    response = client.get("/connexion", base_url="https://tremplin.example.org")
    [cookie] = [header for header in set_cookie_headers(response) if header.startswith("session=")]
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_an_instance_served_over_http_does_not_ask_for_secure_cookies(client):
    response = client.get("/connexion")
    [cookie] = [header for header in set_cookie_headers(response) if header.startswith("session=")]
    assert "Secure" not in cookie
    assert "HttpOnly" in cookie


def test_the_https_setting_overrides_what_the_address_says(make_app, write_region):
    text = HTTPS_REGION.replace("[web]\n", "[web]\nhttps = false\n")
    app = make_app(region=write_region(text))
    response = app.test_client().get("/connexion", base_url="https://tremplin.example.org")
    [cookie] = [header for header in set_cookie_headers(response) if header.startswith("session=")]
    assert "Secure" not in cookie
