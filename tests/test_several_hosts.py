"""Two gunicorn hosts and a worker, as separate processes on separate loopback addresses,
sharing one PostgreSQL database and one Redis: the shape of docs/operating.md, "Several
hosts", for real.

Runs on PostgreSQL (``TREMPLIN_TEST_DATABASE_URL``) with ``redis-server`` and gunicorn
installed (``.ci/run``'s ``tox -e pg``); skipped otherwise.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tremplin.testing import TEST_DATABASE_VARIABLE, minimal_region

httpx = pytest.importorskip("httpx")
ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "un mot de passe solide"
CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get(TEST_DATABASE_VARIABLE), reason="several hosts share PostgreSQL"
    ),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
    pytest.mark.skipif(not (BIN / "gunicorn").exists(), reason="needs gunicorn (extra bench)"),
]


def free_port(address: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((address, 0))
        return probe.getsockname()[1]


class Inbox:
    def __init__(self):
        self.recipients: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.recipients.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def wait_for(condition, seconds: float = 30, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds} s for {what}")


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture
def cluster(tmp_path, tremplin_database_url):
    """Redis, an SMTP server, two gunicorn hosts (127.0.0.2 and .3) and a worker."""
    processes: list[subprocess.Popen] = []
    redis_port = free_port()
    processes.append(
        subprocess.Popen(
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", ""],
            stdout=subprocess.DEVNULL,
        )
    )
    smtp_port = free_port()
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    shared_files = tmp_path / "shared-files"
    env = {
        **os.environ,
        "TREMPLIN_REGION": str(minimal_region(tmp_path / "region")),
        "TREMPLIN_DATABASE_URL": tremplin_database_url,
        "TREMPLIN_QUEUE_URL": f"redis://127.0.0.1:{redis_port}/0",
        "TREMPLIN_SECRET_KEY": "the-same-key-on-every-host",
        "TREMPLIN_FILES_DIR": str(shared_files),
        "TREMPLIN_MAIL_BACKEND": "smtp",  # the kit's minimal region keeps emails in memory
        "TREMPLIN_SMTP_PORT": str(smtp_port),
        "TREMPLIN_BASE_URL": "http://tremplin.test",
    }
    env.pop("TREMPLIN_TEST_NOW", None)
    tremplin = str(BIN / "tremplin")
    subprocess.run([tremplin, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run(
        [tremplin, "accounts", "create", "admin@example.org", "--first-name", "Alex",
         "--last-name", "Durand", "--role", "admin", "--password-stdin"],
        env=env, input=PASSWORD + "\n", text=True, check=True, capture_output=True,
    )  # fmt: skip
    hosts = {}
    for name, address in (("a", "127.0.0.2"), ("b", "127.0.0.3")):
        port = free_port(address)
        hosts[name] = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
             "--bind", f"{address}:{port}", "--workers", "2", "tremplin.wsgi:app"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        processes.append(hosts[name])
        hosts[name].url = f"http://{address}:{port}"
    processes.append(
        subprocess.Popen(
            [tremplin, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
    )
    for host in hosts.values():
        wait_for(lambda host=host: answers(f"{host.url}/healthz?ignore=worker"), what=host.url)
    yield hosts, inbox, shared_files
    for process in reversed(processes):
        if process.poll() is None:
            process.send_signal(signal.SIGINT if process.args[0] == tremplin else signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    smtp.stop()


def form(client, url: str, data: dict) -> httpx.Response:
    token = CSRF.search(client.get(url).text).group(1)
    return client.post(url, data={**data, "csrf_token": token})


def test_two_hosts_share_sessions_limits_and_tasks_and_one_may_stop(cluster):
    hosts, inbox, _shared_files = cluster
    a = httpx.Client(base_url=hosts["a"].url, timeout=10)
    b = httpx.Client(base_url=hosts["b"].url, timeout=10)

    # Signed in on A, signed in on B: the session is signed with the shared key.
    assert (
        form(a, "/connexion", {"email": "admin@example.org", "password": PASSWORD}).status_code
        == 302
    )
    b.cookies.set("session", a.cookies["session"])
    assert b.get("/tableau-de-bord").status_code == 200

    # Rate limits are counted in Redis, once for both hosts: the sixth wrong password in a
    # minute is refused, wherever the five before were typed.
    wrong = {"email": "nobody@example.org", "password": "pas le bon"}
    guesser_a, guesser_b = (
        httpx.Client(base_url=hosts["a"].url),
        httpx.Client(base_url=hosts["b"].url),
    )
    for client in (guesser_a, guesser_b, guesser_a, guesser_b, guesser_a):
        assert form(client, "/connexion", wrong).status_code != 429
    assert form(guesser_b, "/connexion", wrong).status_code == 429

    # A job queued on a host is run by the worker: the email leaves through SMTP.
    assert form(b, "/mot-de-passe-oublie", {"email": "admin@example.org"}).status_code == 200
    wait_for(lambda: inbox.recipients == ["admin@example.org"], what="the email from B")

    # Stopping host A right after it queued an email loses nothing: the email leaves, and
    # the session still works on B.
    fresh = httpx.Client(base_url=hosts["a"].url, timeout=10)
    form(fresh, "/mot-de-passe-oublie", {"email": "admin@example.org"})
    hosts["a"].send_signal(signal.SIGTERM)
    hosts["a"].wait(timeout=40)
    wait_for(lambda: len(inbox.recipients) == 2, what="the email queued on A")
    assert b.get("/tableau-de-bord").status_code == 200
    assert answers(f"{hosts['b'].url}/healthz?ignore=worker")
