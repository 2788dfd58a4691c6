"""Knowing the instance is alive: /healthz part by part, Prometheus metrics, the plugin list."""

from __future__ import annotations

import datetime

import pytest

from tremplin import create_app
from tremplin.app import runtime_of
from tremplin.auth import service as accounts
from tremplin.auth.models import AccountStatus, Role
from tremplin.clock import now, travel
from tremplin.mail import service as mail
from tremplin.testing import minimal_region, sign_in, upgrade

PASSWORD = "un mot de passe solide"
TOKEN = "prometheus-token-0123456789"


@pytest.fixture
def worker_app(tmp_path, tremplin_database_url, fast_passwords):
    """An app whose queue keeps tasks for a worker (SQLite file), with a metrics token."""
    folder = minimal_region(tmp_path / "region")
    app = create_app(
        str(folder),
        overrides={"database_url": tremplin_database_url, "secret_key": "k"},
        config={"TESTING": True},
    )
    app.config["WTF_CSRF_ENABLED"] = True
    upgrade(app)
    app.extensions["mailman"].outbox = []
    yield app
    if not runtime_of(app).database.is_closed():
        runtime_of(app).database.close()


def person(app, email, role=None):
    with app.app_context():
        account = accounts.create_account(
            email, "Alex", "Durand", password=PASSWORD, status=AccountStatus.ACTIVE
        )
        if role is not None:
            accounts.grant(account, role)
    return email


def signed_in(app, email):
    client = app.test_client()
    sign_in(client, email, PASSWORD)
    return client


def test_healthz_reports_each_part_and_wants_a_recent_worker_heartbeat(worker_app):
    client = worker_app.test_client()
    never = client.get("/healthz")
    assert never.status_code == 503
    assert never.json == {
        "status": "unavailable",
        "database": "ok",
        "queue": "ok",
        "worker": "unknown",
        "worker_heartbeat": None,
    }
    assert client.get("/healthz?ignore=worker").status_code == 200  # for load balancers

    with worker_app.app_context():
        runtime_of(worker_app).queue.run_due()  # what the worker does each minute
    beating = client.get("/healthz")
    assert beating.status_code == 200
    assert beating.json["worker"] == "ok"
    beat = datetime.datetime.fromisoformat(beating.json["worker_heartbeat"])
    assert datetime.timedelta(0) <= now() - beat < datetime.timedelta(seconds=5)

    with travel(datetime.timedelta(minutes=4)):
        late = client.get("/healthz")
    assert late.status_code == 503
    assert (late.json["worker"], late.json["database"], late.json["queue"]) == (
        "late",
        "ok",
        "ok",
    )


def test_healthz_says_which_part_is_down(write_region):
    folder = write_region('[region]\ncode = "x"\nname = "X"\n')
    app = create_app(
        str(folder),
        overrides={"database_url": "postgresql://u:pw@127.0.0.1:1/d"},
        config={"QUEUE_IMMEDIATE": True},
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert (response.json["database"], response.json["queue"]) == ("unavailable", "ok")

    redis_down = create_app(
        str(folder), overrides={"queue_url": "redis://127.0.0.1:1/0"}, config={"TESTING": True}
    )
    response = redis_down.test_client().get("/healthz?ignore=worker")
    assert response.status_code == 503
    assert response.json["queue"] == "unavailable"


def metric(text: str, name: str) -> float:
    """The value of the sample ``name`` (with its labels) in a Prometheus text exposition."""
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    raise AssertionError(f"no sample {name} in the metrics")


def test_metrics_need_the_token_or_an_admin(worker_app):
    anonymous = worker_app.test_client().get("/-/metrics")
    assert anonymous.status_code == 403
    referent = signed_in(worker_app, person(worker_app, "ref@example.org", Role.REFERENT))
    assert referent.get("/-/metrics").status_code == 403
    admin = signed_in(worker_app, person(worker_app, "admin@example.org", Role.ADMIN))
    assert admin.get("/-/metrics").status_code == 200


def test_metrics_with_the_token_give_latency_queue_emails_and_failures(
    tmp_path, tremplin_database_url, monkeypatch
):
    monkeypatch.setenv("TREMPLIN_METRICS_TOKEN", TOKEN)
    folder = minimal_region(tmp_path / "region")
    app = create_app(
        str(folder),
        overrides={"database_url": tremplin_database_url, "secret_key": "k"},
        config={"TESTING": True},
    )
    upgrade(app)
    client = app.test_client()
    assert client.get("/-/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    client.get("/accessibilite")
    with app.app_context():
        mail.queue("ana@example.org", "auth/email/password_changed", first_name="Ana")
        mail.dispatch_queued()  # queued for the worker, which is not running
    with travel(datetime.timedelta(minutes=10)):
        response = client.get("/-/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    text = response.text
    assert (
        metric(
            text,
            'tremplin_request_duration_seconds_count{endpoint="/accessibilite",method="GET",status="200"}',
        )
        >= 1
    )
    assert metric(text, "tremplin_queue_depth") == 1
    assert 600 <= metric(text, "tremplin_email_oldest_unsent_age_seconds") < 605
    assert metric(text, 'tremplin_emails{status="pending"}') == 1
    assert metric(text, "tremplin_task_failures_total") == 0


def test_a_failed_task_is_counted_for_every_host(worker_app):
    queue = runtime_of(worker_app).queue

    @queue.task(name="tests.boom")
    def boom():
        raise RuntimeError("boom")

    with worker_app.app_context():
        boom()
        queue.run_due()
    assert queue.failed_tasks() == 1


def test_the_plugin_list_is_for_admins_only(worker_app):
    assert worker_app.test_client().get("/-/plugins.json").status_code == 403
    admin = signed_in(worker_app, person(worker_app, "admin@example.org", Role.ADMIN))
    assert admin.get("/-/plugins.json").json == []
