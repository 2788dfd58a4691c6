"""Links lead where people reach the instance: its public address when the region gives one,
else the address ``tremplin serve`` listens on; and a worker can run inside the server's
process (``tremplin demo``), writing emails whose links lead to the pages served."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tremplin.app import build_links_on, create_app, runtime_of
from tremplin.cli import served_address
from tremplin.mail import service as mail_service
from tremplin.mail.models import OutboxMessage, OutboxStatus
from tremplin.region import load_region
from tremplin.testing import minimal_region, upgrade, wait_for

httpx = pytest.importorskip("httpx")
BIN = Path(sys.executable).parent


def answers(url: str) -> bool:
    """Whether a server answers at ``url``, whatever its answer."""
    try:
        httpx.get(url, timeout=2)
    except httpx.HTTPError:
        return False
    return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def serve(tmp_path, tremplin_database_url):
    """``serve(**variables)``: ``tremplin serve`` on a free port, with the stages plugin
    (whose ``/stages/`` page redirects ``/stages`` with an absolute address); its URL."""
    processes = []

    def start(**variables: str) -> str:
        port = free_port()
        region = minimal_region(tmp_path / f"region-{len(processes)}")
        env = {
            **os.environ,
            "TREMPLIN_REGION": str(region),
            "TREMPLIN_PLUGINS": "stages",
            "TREMPLIN_DATABASE_URL": tremplin_database_url,
            **variables,
        }
        tremplin = str(BIN / "tremplin")
        subprocess.run([tremplin, "init"], env=env, check=True, capture_output=True)
        process = subprocess.Popen(
            [tremplin, "serve", "--port", str(port)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        processes.append(process)
        url = f"http://127.0.0.1:{port}"
        return wait_for(lambda: answers(url + "/") and url, 30, url)

    yield start
    for process in processes:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_an_instance_served_without_a_public_address_links_to_the_address_served(serve):
    url = serve()
    response = httpx.get(url + "/stages")
    assert response.status_code == 308
    assert response.headers["Location"] == f"{url}/stages/"


def test_an_instance_with_its_public_address_links_to_it_wherever_it_is_served(serve):
    url = serve(TREMPLIN_BASE_URL="http://orientation.example.org")
    response = httpx.get(url + "/stages")
    assert response.headers["Location"] == "http://orientation.example.org/stages/"


@pytest.mark.parametrize(
    ("host", "port", "address"),
    [
        ("127.0.0.1", 5077, "http://127.0.0.1:5077"),
        ("localhost", 8000, "http://localhost:8000"),
        ("0.0.0.0", 5000, "http://127.0.0.1:5000"),
        ("::", 5000, "http://[::1]:5000"),
        ("::1", 5001, "http://[::1]:5001"),
    ],
)
def test_the_address_served_is_the_one_people_type(host, port, address):
    assert served_address(host, port) == address


def test_the_region_says_whether_it_gives_its_public_address(write_region):
    plain = write_region('[region]\ncode = "x"\nname = "X"\n', name="plain")
    given = write_region(
        '[region]\ncode = "x"\nname = "X"\n[web]\nbase_url = "https://a.example"\n', name="given"
    )
    assert not load_region(plain, env={}).base_url_given
    assert load_region(given, env={}).base_url_given
    from_variable = load_region(plain, env={"TREMPLIN_BASE_URL": "https://b.example"})
    assert from_variable.base_url_given
    assert from_variable.base_url == "https://b.example"


@pytest.fixture
def worker_app(tmp_path, tremplin_database_url):
    """An app whose queue waits for a worker (as served), its database migrated."""
    folder = minimal_region(tmp_path / "region")
    app = create_app(
        str(folder),
        overrides={
            "database_url": tremplin_database_url,
            "queue_url": f"sqlite:///{tmp_path / 'queue.db'}",
            "secret_key": "k",
        },
    )
    upgrade(app)
    yield app
    if not runtime_of(app).database.is_closed():
        runtime_of(app).database.close()


def test_a_worker_inside_the_process_sends_emails_whose_links_lead_to_the_served_address(
    worker_app,
):
    app = worker_app
    app.extensions["mailman"].outbox = []
    build_links_on(app, "http://127.0.0.1:5077")
    queue = runtime_of(app).queue
    before = set(threading.enumerate())
    with queue.working_in_background():
        with app.app_context():
            message_id = mail_service.queue(
                "lea@example.org", "auth/email/reset_password", first_name="Léa", token="t0ken"
            ).id
            mail_service.dispatch([message_id])  # what a request does once it has answered

        def status():
            with app.app_context(), runtime_of(app).database.connection_context():
                return OutboxMessage.get_by_id(message_id).status

        wait_for(lambda: status() == OutboxStatus.SENT, 20, "the worker to send the email")
    # The worker's threads end with the block.
    assert [thread for thread in threading.enumerate() if thread not in before] == []
    [email] = app.extensions["mailman"].outbox
    assert "http://127.0.0.1:5077/mot-de-passe/t0ken" in email.body
    assert email.extra_headers["Message-ID"].endswith("@127.0.0.1>")


def test_an_immediate_queue_starts_no_worker(app):
    before = set(threading.enumerate())
    with runtime_of(app).queue.working_in_background():
        assert set(threading.enumerate()) == before
