"""``tremplin demo`` as someone runs it: a real process serving on a port of its choice.

The demo links to the address it serves (pages and emails), runs the worker in its own
process (an email asked for is processed without ``tremplin worker``), shows its emails to
its admin, and stops cleanly on Ctrl+C.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tremplin.demo.generator import LOGIN_EMAILS, PASSWORD
from tremplin.testing import wait_for

httpx = pytest.importorskip("httpx")
BIN = Path(sys.executable).parent
CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code < 500
    except httpx.HTTPError:
        return False


def form(client, url: str, data: dict):
    token = CSRF.search(client.get(url).text).group(1)
    return client.post(url, data={**data, "csrf_token": token})


@pytest.fixture
def demo(tmp_path, tremplin_database_url, reference_region):
    """``tremplin demo --port P`` on the test's database; yields ``(url, process)``."""
    port = free_port()
    env = {
        **os.environ,
        "TREMPLIN_REGION": str(reference_region),
        "TREMPLIN_PLUGINS": "",
        "TREMPLIN_DATABASE_URL": tremplin_database_url,
        "TREMPLIN_QUEUE_URL": f"sqlite:///{tmp_path / 'queue.db'}",
    }
    env.pop("TREMPLIN_TEST_NOW", None)
    log = (tmp_path / "demo.log").open("w")
    process = subprocess.Popen(
        [str(BIN / "tremplin"), "demo", "--port", str(port), "--ambassadors", "10",
         "--interventions", "0"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: process.poll() is not None or answers(url + "/"), 60, url)
        assert process.poll() is None, (tmp_path / "demo.log").read_text()
        yield url, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


def test_a_demo_on_another_port_links_to_it_runs_its_worker_and_shows_its_emails(demo):
    url, process = demo
    admin = httpx.Client(base_url=url, timeout=10)
    form(admin, "/connexion", {"email": LOGIN_EMAILS["admin"], "password": PASSWORD})

    # A page's absolute link: the private calendar address is on the served port.
    form(admin, "/agenda/calendrier", {})
    feed = re.search(
        r"https?://[^\s\"<]+/calendrier/[^\s\"<]+\.ics", admin.get("/agenda/calendrier").text
    )
    assert feed is not None
    assert feed.group(0).startswith(f"{url}/calendrier/")

    # An email asked for while the demo serves is processed by the demo's own worker...
    visitor = httpx.Client(base_url=url, timeout=10)
    form(visitor, "/mot-de-passe-oublie", {"email": LOGIN_EMAILS["educator"]})

    def reset_email_sent():
        mailbox = admin.get("/demo/courriels")
        assert mailbox.status_code == 200
        found = re.search(r'href="(/demo/courriels/\d+)"', mailbox.text)
        page = found and admin.get(found.group(1)).text
        return page if page and "Distribué" in page else None

    shown = wait_for(reset_email_sent, seconds=30, what="the worker to send the reset email")

    # ...and its links, shown to the demo's admin, lead to the served port.
    assert LOGIN_EMAILS["educator"] in shown
    links = re.findall(r'<a href="(https?://[^"]+)"', shown)
    reset = [link for link in links if "/mot-de-passe/" in link]
    assert reset, links
    assert all(link.startswith(f"{url}/") for link in links), links
    assert visitor.get(reset[0]).status_code == 200

    # Ctrl+C stops the server and its worker.
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0
