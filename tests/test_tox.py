"""tox.ini as CI reads it: the environments it runs name tests that exist."""

import configparser
import re
from pathlib import Path

import pytest

from tremplin.testing import parse_moment

pytestmark = pytest.mark.one_database  # nothing here depends on the database

ROOT = Path(__file__).resolve().parent.parent


def tox_ini() -> configparser.ConfigParser:
    config = configparser.ConfigParser(interpolation=None)
    config.read(ROOT / "tox.ini", encoding="utf-8")
    return config


def test_the_dates_environment_runs_its_list_of_tests_at_three_moments():
    config = tox_ini()
    commands = config["testenv:dates"]["commands"].split("\n")
    commands = [command.strip() for command in commands if command.strip()]
    moments = [re.search(r"--tremplin-now=(\S+)", command) for command in commands]
    assert len(commands) == 3, commands
    assert all(moments), commands
    assert len({parse_moment(moment.group(1)) for moment in moments}) == 3
    assert all(command.endswith("{posargs:{[dates]tests}}") for command in commands), commands

    tests = config["dates"]["tests"].split()
    assert tests
    assert [path for path in tests if not (ROOT / path).exists()] == []
