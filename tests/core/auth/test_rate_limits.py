"""Guessing is slowed down: few wrong passwords a minute per address and email."""

import uuid

import pytest

from tremplin.auth import ratelimits
from tremplin.auth import service as accounts
from tremplin.auth.models import AccountStatus
from tremplin.region import load_region
from tremplin.testing import csrf_token_from


def attempt(client, email, password, address="203.0.113.7"):
    token = csrf_token_from(client, "/connexion")
    return client.post(
        "/connexion",
        data={"email": email, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
    )


def test_the_sixth_wrong_attempt_in_a_minute_is_refused_even_with_the_right_password(
    client, person, password, limiter_clock
):
    person("lea.martin@example.org")
    for _ in range(5):
        assert attempt(client, "lea.martin@example.org", "devine").status_code == 422

    refused = attempt(client, "lea.martin@example.org", password)
    assert refused.status_code == 429
    assert "Trop de tentatives" in refused.text
    assert "Patientez quelques minutes, puis réessayez." in refused.text
    assert int(refused.headers["Retry-After"]) > 0

    limiter_clock.advance(61)
    assert attempt(client, "lea.martin@example.org", password).status_code == 302


def test_the_limit_is_per_address_and_email(client, person, password, limiter_clock):
    person("lea.martin@example.org")
    person("sam.taylor@example.org")
    for _ in range(5):
        attempt(client, "lea.martin@example.org", "devine")
    assert attempt(client, "sam.taylor@example.org", password).status_code == 302
    other_address = attempt(client, "lea.martin@example.org", password, address="198.51.100.2")
    assert other_address.status_code == 302


def test_successful_sign_ins_do_not_count(client, person, password, limiter_clock):
    person("lea.martin@example.org")
    for _ in range(7):
        assert attempt(client, "lea.martin@example.org", password).status_code == 302


def test_one_address_trying_many_emails_is_held_back_too(client, limiter_clock, fast_passwords):
    for number in range(20):
        assert attempt(client, f"personne{number}@example.org", "devine").status_code == 422
    assert attempt(client, "personne99@example.org", "devine").status_code == 429


def test_asking_for_reset_links_is_limited_too(client, limiter_clock):
    for _ in range(5):
        token = csrf_token_from(client, "/mot-de-passe-oublie")
        response = client.post(
            "/mot-de-passe-oublie", data={"email": "lea@example.org", "csrf_token": token}
        )
        assert response.status_code == 200
    token = csrf_token_from(client, "/mot-de-passe-oublie")
    response = client.post(
        "/mot-de-passe-oublie", data={"email": "lea@example.org", "csrf_token": token}
    )
    assert response.status_code == 429


def test_counters_go_to_redis_when_the_region_s_queue_is_redis(write_region):
    folder = write_region('[region]\ncode = "x"\nname = "X"\n')
    assert ratelimits.storage_uri(load_region(folder, env={})) == "memory://"
    redis = load_region(folder, env={"TREMPLIN_QUEUE_URL": "redis://127.0.0.1:6379/3"})
    assert ratelimits.storage_uri(redis) == "redis://127.0.0.1:6379/3"


def test_sign_in_attempts_are_counted_in_redis_across_apps(
    make_app, fast_passwords, password, write_region
):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
    except redis.RedisError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    folder = write_region(
        f"""
        [region]
        code = "r{uuid.uuid4().hex[:8]}"
        name = "Région Redis"
        [queue]
        url = "redis://127.0.0.1:6379/15"
        [mail]
        backend = "locmem"
        """
    )
    first, second = make_app(region=folder), make_app(region=folder, migrate=False)
    with first.app_context():
        accounts.create_account(
            "lea.martin@example.org",
            "Léa",
            "Martin",
            password=password,
            status=AccountStatus.ACTIVE,
        )
    for _ in range(5):
        attempt(first.test_client(), "lea.martin@example.org", "devine")
    # Another worker (another app on the same Redis) knows about them.
    assert attempt(second.test_client(), "lea.martin@example.org", password).status_code == 429
