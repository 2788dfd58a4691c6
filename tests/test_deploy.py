"""The shipped service files run what exists: gunicorn's settings, systemd units, compose."""

from __future__ import annotations

import configparser
import json
import re
import runpy
import shlex
from pathlib import Path

import pytest

from tremplin import __version__, logs
from tremplin.cli import _core_commands, cli

pytestmark = pytest.mark.one_database  # nothing here depends on the database

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def gunicorn_settings(monkeypatch, log_format: str | None = None) -> dict:
    if log_format:
        monkeypatch.setenv("TREMPLIN_LOG_FORMAT", log_format)
    else:
        monkeypatch.delenv("TREMPLIN_LOG_FORMAT", raising=False)
    return runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))


def test_gunicorn_writes_access_and_error_logs_with_the_request_id(monkeypatch):
    settings = gunicorn_settings(monkeypatch)
    assert (settings["accesslog"], settings["errorlog"]) == ("-", "-")
    assert f"%({{{logs.HEADER.lower()}}}o)s" in settings["access_log_format"]
    as_json = gunicorn_settings(monkeypatch, "json")["access_log_format"]
    assert json.loads(as_json)["request_id"] == "%({x-request-id}o)s"


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser


def tremplin_command(exec_start: str) -> list[str]:
    words = shlex.split(exec_start)
    return words[1:] if words[0].endswith("/tremplin") else []


@pytest.mark.parametrize("path", UNITS, ids=lambda path: path.name)
def test_each_unit_runs_a_command_that_exists(path):
    exec_start = unit(path)["Service"]["ExecStart"]
    words = tremplin_command(exec_start)
    if not words:
        assert "tremplin.wsgi:app" in exec_start
        assert "gunicorn.conf.py" in exec_start
        return
    group = cli if words[0] in cli.commands else _core_commands()
    command = group.commands[words[0]]
    for word in words[1:]:
        if word.startswith("-"):
            assert word in {opt for param in command.params for opt in param.opts}
        else:
            command = command.commands[word]


def test_the_timer_checks_the_outbox():
    timer = unit(DEPLOY / "systemd" / "tremplin-mail-check.timer")
    service = unit(DEPLOY / "systemd" / timer["Timer"]["Unit"])
    assert tremplin_command(service["Service"]["ExecStart"]) == ["mail", "status", "--check"]


def test_the_worker_stops_gracefully_everywhere():
    worker = unit(DEPLOY / "systemd" / "tremplin-worker.service")
    assert worker["Service"]["KillSignal"] == "SIGINT"
    compose = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    assert re.search(r'command: \["tremplin", "worker"\]\n\s+stop_signal: SIGINT', compose)


def test_the_changelog_has_the_current_version_or_unreleased_changes():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", changelog, re.MULTILINE)
    assert headings[0] in {"Unreleased", __version__}
    assert __version__ in headings
