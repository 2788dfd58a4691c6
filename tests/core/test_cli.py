"""The tremplin command line: a broken region ends with one line and exit code 2."""

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from tremplin import __version__
from tremplin.cli import cli
from tremplin.i18n import using_locale

VALID = """
    [region]
    code = "bretagne"
    name = "Bretagne"
"""


def run(*args, env=None):
    with using_locale("en"):
        return CliRunner().invoke(cli, list(args), env=env)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (VALID + "colour = 'blue'\n", "region.colour"),
        (VALID.replace('name = "Bretagne"', "name = 3"), "region.name"),
        (VALID + "[plugins]\nenabled = ['nonexistent']\n", "nonexistent"),
    ],
)
def test_a_broken_region_gives_one_line_and_exit_code_2(write_region, text, expected):
    folder = write_region(text)
    result = run("--region", str(folder), "db", "upgrade")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert expected in lines[0]
    assert "Traceback" not in result.output


def test_a_missing_region_says_how_to_give_one(tmp_path):
    result = run("--region", str(tmp_path), "plugins")
    assert result.exit_code == 2
    assert "--region" in result.stderr


def test_the_region_can_come_from_the_environment(write_region, tmp_path):
    folder = write_region(VALID)
    env = {
        "TREMPLIN_REGION": str(folder),
        "TREMPLIN_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
    }
    result = run("db", "upgrade", env=env)
    assert result.exit_code == 0, result.output
    assert "territories/0001_create_territory" in result.output


def test_help_works_without_a_region(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("db", "--help")
    assert result.exit_code == 0
    assert "upgrade" in result.output


def test_help_without_a_region_lists_every_core_command(tmp_path, monkeypatch):
    """Outside a region, help still lists the core areas' commands, and says plugins add more."""
    monkeypatch.chdir(tmp_path)
    result = run("--help")
    assert result.exit_code == 0
    listed = {
        line.split()[0] for line in result.output.split("Commands:")[1].splitlines() if line.strip()
    }
    assert {"db", "init", "serve", "purge", "worker", "mail", "demo", "accounts"} <= listed
    assert "--region" in result.output.split("Commands:")[1]
    assert run("mail", "--help").exit_code == 0
    without_region = run("mail", "status")
    assert without_region.exit_code == 2
    assert "--region" in without_region.stderr


def test_a_plugin_s_command_in_a_broken_region_says_why_the_region_cannot_be_read(
    write_region,
):
    folder = write_region(VALID + "colour = 'blue'\n")
    result = run("--region", str(folder), "charter", "status")
    assert result.exit_code == 2
    assert "region.colour" in result.stderr


def test_the_installed_script_prints_its_version():
    script = os.path.join(os.path.dirname(sys.executable), "tremplin")
    completed = subprocess.run([script, "--version"], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == f"tremplin, version {__version__}"


def test_hook_purge_expired_is_called_by_tremplin_purge(make_app, run_cli):
    from tremplin import hookimpl

    seen = []

    class Retention:
        name = "retention"

        @hookimpl
        def purge_expired(self, now):
            seen.append(now)

    result = run_cli(make_app(extra_plugins=[Retention()]), "purge")
    assert result.exit_code == 0
    assert len(seen) == 1
    assert seen[0].tzinfo is not None


def test_help_with_a_region_lists_the_commands_of_its_areas(write_region):
    result = run("--region", str(write_region(VALID)), "--help")
    assert result.exit_code == 0
    assert "purge" in result.output


def test_a_plugin_with_a_wrong_hook_argument_gives_one_line_naming_it(write_region, install_plugin):
    install_plugin(
        "clumsy",
        """
        from tremplin import hookimpl

        @hookimpl
        def register_blueprints(application):
            return []
        """,
    )
    folder = write_region(VALID + "[plugins]\nenabled = ['clumsy']\n")
    result = run("--region", str(folder), "plugins")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "'clumsy'" in lines[0]
    assert "application" in lines[0]


def test_hook_purge_expired_runs_every_night_from_the_task_queue(make_app):
    import datetime

    from tremplin import hookimpl
    from tremplin.app import runtime_of

    seen = []

    class Retention:
        name = "retention"

        @hookimpl
        def purge_expired(self, now):
            seen.append(now)

    app = make_app(extra_plugins=[Retention()])
    night = datetime.datetime(2026, 11, 23, 3, 0)
    with app.app_context():
        runtime_of(app).queue.run_due(night + datetime.timedelta(hours=1))
        assert seen == []
        runtime_of(app).queue.run_due(night)
    assert len(seen) == 1
