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
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tremplin.testing import TEST_DATABASE_VARIABLE, wait_for

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


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


# Run once before the hosts start, with the hosts' environment: an ambassador of the Nord,
# as registration and activation would leave them.
MAKE_AMBASSADOR = """
from tremplin import create_app
from tremplin.auth import passwords
from tremplin.auth.models import Account, AccountStatus
from tremplin.people import service
from tremplin.people.schemas import ImportRowSchema

app = create_app()
with app.app_context():
    ambassador = service.create_ambassador(service.validated(ImportRowSchema, {
        "email": "camille@example.org", "first_name": "Camille", "last_name": "Roux",
        "kind": "professional", "occupation": "Soudeuse", "intervention_types": ["class_talk"],
        "modes": ["on_site"], "zones": ["59"],
    }))
    Account.update(
        status=AccountStatus.ACTIVE, password_hash=passwords.hash_password(%r)
    ).where(Account.id == ambassador.account_id).execute()
"""


@pytest.fixture
def cluster(tmp_path, tremplin_database_url, reference_region):
    """Redis, an SMTP server, two gunicorn hosts (127.0.0.2 and .3) and a worker, serving
    the reference region with its charter plugin (whose uploads are files)."""
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
        "TREMPLIN_REGION": str(reference_region),
        "TREMPLIN_PLUGINS": "charter",
        "TREMPLIN_DATABASE_URL": tremplin_database_url,
        "TREMPLIN_QUEUE_URL": f"redis://127.0.0.1:{redis_port}/0",
        "TREMPLIN_SECRET_KEY": "the-same-key-on-every-host",
        "TREMPLIN_FILES_DIR": str(shared_files),
        "TREMPLIN_SMTP_PORT": str(smtp_port),
        "TREMPLIN_BASE_URL": "http://tremplin.test",
    }
    env.pop("TREMPLIN_TEST_NOW", None)
    tremplin = str(BIN / "tremplin")
    subprocess.run([tremplin, "init"], env=env, check=True, capture_output=True)
    for email, role in (("admin@example.org", "admin"), ("referent@example.org", "referent")):
        subprocess.run(
            [tremplin, "accounts", "create", email, "--first-name", "Alex",
             "--last-name", "Durand", "--role", role, "--password-stdin"]
            + (["--territory", "59"] if role == "referent" else []),
            env=env, input=PASSWORD + "\n", text=True, check=True, capture_output=True,
        )  # fmt: skip
    subprocess.run(
        [sys.executable, "-c", MAKE_AMBASSADOR % PASSWORD], env=env, check=True, capture_output=True
    )
    hosts = {}
    for name, address in (("a", "127.0.0.2"), ("b", "127.0.0.3")):
        port = free_port(address)
        # Each host has its own checkout of the region folder (and so its own instance/):
        # what they share is PostgreSQL, Redis, the key and the files folder.
        checkout = tmp_path / f"host-{name}" / "region"
        shutil.copytree(reference_region, checkout, ignore=shutil.ignore_patterns("instance"))
        hosts[name] = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
             "--bind", f"{address}:{port}", "--workers", "2", "tremplin.wsgi:app"],
            env={**env, "TREMPLIN_REGION": str(checkout)},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        processes.append(hosts[name])
        hosts[name].url = f"http://{address}:{port}"
    processes.append(
        subprocess.Popen(
            [tremplin, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
    )
    for host in hosts.values():
        wait_for(
            lambda host=host: answers(f"{host.url}/healthz?ignore=worker"),
            seconds=30,
            what=host.url,
        )
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


def test_two_hosts_share_sessions_limits_files_and_tasks_and_one_may_stop(cluster):
    hosts, inbox, shared_files = cluster
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

    # An ambassador uploads their extract on A; the referent reads it on B: both hosts keep
    # files in the one shared folder (TREMPLIN_FILES_DIR), encrypted with the shared key.
    extract = b"%PDF-1.4\n% extrait de casier judiciaire\n%%EOF\n"
    ambassador = httpx.Client(base_url=hosts["a"].url, timeout=10)
    form(ambassador, "/connexion", {"email": "camille@example.org", "password": PASSWORD})
    token = CSRF.search(ambassador.get("/charte/mon-dossier").text).group(1)
    uploaded = ambassador.post(
        "/charte/mon-dossier/extrait",
        data={"action": "upload", "csrf_token": token},
        files={"extract": ("extrait.pdf", extract, "application/pdf")},
    )
    assert uploaded.status_code == 302
    assert any(path.is_file() for path in shared_files.rglob("*"))
    referent = httpx.Client(base_url=hosts["b"].url, timeout=10)
    form(referent, "/connexion", {"email": "referent@example.org", "password": PASSWORD})
    queue = referent.get("/charte/verifications").text
    [check_id] = set(re.findall(r'/charte/verifications/(\d+)"', queue))
    assert referent.get(f"/charte/verifications/{check_id}/extrait").content == extract

    # A job queued on a host is run by the worker: the email leaves through SMTP.
    assert form(b, "/mot-de-passe-oublie", {"email": "admin@example.org"}).status_code == 200
    wait_for(lambda: inbox.recipients.count("admin@example.org") == 1, 30, "B's email")

    # Stopping host A right after it queued an email loses nothing: the email leaves, and
    # the session still works on B.
    fresh = httpx.Client(base_url=hosts["a"].url, timeout=10)
    form(fresh, "/mot-de-passe-oublie", {"email": "admin@example.org"})
    hosts["a"].send_signal(signal.SIGTERM)
    hosts["a"].wait(timeout=40)
    wait_for(lambda: inbox.recipients.count("admin@example.org") == 2, 30, "A's email")
    assert b.get("/tableau-de-bord").status_code == 200
    assert answers(f"{hosts['b'].url}/healthz?ignore=worker")
