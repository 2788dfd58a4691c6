"""The server under load: ``gunicorn tremplin.wsgi:app`` on a free port of 127.0.0.1."""

from __future__ import annotations

import contextlib
import math
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from .instance import ROOT

DEMO_PASSWORD = "tremplin-demo"
SEARCHER = "enseignant@demo.example.org"  # a teacher: educational teams search the directory


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """``gunicorn tremplin.wsgi:app`` on 127.0.0.1, stopped when the block ends."""

    def __init__(self, env: dict[str, str], workers: int, log: Path):
        self.env = env
        self.workers = workers
        self.port = free_port()
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """The server's base URL."""
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--log-level",
            "warning",
            "--timeout",
            "600",
            "tremplin.wsgi:app",
        ]
        with self.log.open("a", encoding="utf-8") as output:
            self.process = subprocess.Popen(
                command, env=self.env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
            )
        self._wait_until_healthy()
        return self

    def _wait_until_healthy(self, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: see {self.log}")
            with contextlib.suppress(httpx.HTTPError):
                healthy = (
                    httpx.get(self.url + "/healthz?ignore=worker", timeout=2).status_code == 200
                )
                # Every worker must be up, not only the first to answer.
                if healthy and len(self.worker_pids()) >= self.workers:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz in {seconds:.0f} s: see {self.log}")

    def worker_pids(self) -> list[int]:
        """Process ids of the gunicorn workers (the master's children)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        with contextlib.suppress(OSError):
            return [int(pid) for pid in children.read_text().split()]
        return []

    def peak_memory_mb(self) -> float:
        """The largest ``VmHWM`` (peak resident memory) of the workers, in MB."""
        peaks = []
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                status = Path(f"/proc/{pid}/status").read_text()
                match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
                if match:
                    peaks.append(int(match.group(1)) / 1024)
        return max(peaks) if peaks else math.nan

    def __exit__(self, *exc_info: object) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def signed_in_cookies(base_url: str, email: str = SEARCHER) -> httpx.Cookies:
    """The session cookies of ``email`` after the sign-in form (CSRF token included)."""
    with httpx.Client(base_url=base_url, timeout=60) as client:
        page = client.get("/connexion").text
        token = re.search(r'name="csrf_token"\s+value="([^"]+)"', page)
        if token is None:
            raise RuntimeError("no CSRF token on /connexion")
        response = client.post(
            "/connexion",
            data={"email": email, "password": DEMO_PASSWORD, "csrf_token": token.group(1)},
        )
        if response.status_code != 302:
            raise RuntimeError(f"signing in as {email} failed ({response.status_code})")
        return client.cookies
