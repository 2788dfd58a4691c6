"""``tremplin plugin new``: a plugin that installs, migrates, serves and passes its own tests.

The whole path is taken as a new author would: the plugin is written, installed with pip
into a fresh virtual environment outside the repository (which sees Tremplin as installed
here), enabled in a copy of the reference region, migrated, served by ``tremplin serve``,
and its own tests are run there.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import sysconfig
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from tremplin import scaffold
from tremplin.cli import cli
from tremplin.testing import wait_for

TREMPLIN = [sys.executable, "-c", "from tremplin.cli import main; main()"]


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """``(plugin folder, python of a fresh venv where it is installed)``."""
    root = tmp_path_factory.mktemp("author")
    result = CliRunner().invoke(cli, ["plugin", "new", "opendays", "--directory", str(root / "od")])
    assert result.exit_code == 0, result.output
    venv = root / "venv"
    run([sys.executable, "-m", "venv", str(venv)]).check_returncode()
    python = venv / "bin" / "python"
    # The new environment sees Tremplin and its dependencies as installed here, nothing more.
    site = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    here = sysconfig.get_paths()["purelib"]
    Path(site.stdout.strip(), "tremplin_host.pth").write_text(
        f"import site; site.addsitedir({here!r})\n", encoding="utf-8"
    )
    install = run([python, "-m", "pip", "install", "-q", "--no-deps", str(root / "od")])
    assert install.returncode == 0, install.stderr
    return root / "od", python


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_new_plugin_is_a_whole_package():
    files = {
        path.relative_to(scaffold.SKELETON).as_posix() for path in scaffold.SKELETON.rglob("*.tmpl")
    }
    assert {
        "pyproject.toml.tmpl",
        "src/__package__/hooks.py.tmpl",
        "src/__package__/models.py.tmpl",
        "src/__package__/migrations/0001_create_note.py.tmpl",
        "src/__package__/schemas.py.tmpl",
        "src/__package__/views.py.tmpl",
        "src/__package__/translations/fr/LC_MESSAGES/__name__.po.tmpl",
        "tests/test___name__.py.tmpl",
        "docs/__name__.md.tmpl",
    } <= files


def test_it_passes_its_own_tests_in_a_fresh_environment(installed):
    folder, python = installed
    environment = {**os.environ, "PYTHONPATH": ""}
    result = run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(folder)],
        cwd=folder,
        env=environment,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "6 passed" in result.stdout


@pytest.mark.one_database  # the region it serves is on SQLite, whatever the run's database
def test_it_upgrades_a_copy_of_the_reference_region_and_serves_its_page(
    installed, reference_region, tmp_path
):
    _folder, python = installed
    config = reference_region / "tremplin.toml"
    text = config.read_text(encoding="utf-8")
    enabled = re.search(r"^enabled = \[(.*)\]$", text, flags=re.MULTILINE)
    assert enabled, "the reference region names its enabled plugins"
    config.write_text(
        text.replace(enabled.group(0), f'enabled = [{enabled.group(1)}, "opendays"]'),
        encoding="utf-8",
    )
    environment = {
        **os.environ,
        "TREMPLIN_REGION": str(reference_region),
        "TREMPLIN_DATABASE_URL": f"sqlite:///{tmp_path / 'region.db'}",
    }
    environment.pop("TREMPLIN_PLUGINS", None)
    tremplin = [python, "-c", "from tremplin.cli import main; main()"]

    upgrade = run([*tremplin, "db", "upgrade"], env=environment)
    assert upgrade.returncode == 0, upgrade.stderr
    assert "opendays/0001_create_note" in upgrade.stdout
    check = run([*tremplin, "db", "check"], env=environment)
    assert check.returncode == 0, check.stderr
    assert "opendays" in run([*tremplin, "plugins"], env=environment).stdout

    port = free_port()
    server = subprocess.Popen(
        [*tremplin, "serve", "--port", str(port)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        page = fetch(f"http://127.0.0.1:{port}/opendays")
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "<h1>Dernières notes</h1>" in page
    assert "Aucune note n’est encore publiée." in page


def fetch(url: str, seconds: float = 60) -> str:
    """The page at ``url``, once the server answers."""
    return wait_for(lambda: page_at(url), seconds, url)


def page_at(url: str) -> str | None:
    """The page at ``url``; None while nothing answers there."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def test_a_bad_name_or_a_used_folder_is_refused_in_one_line(tmp_path):
    runner = CliRunner()
    bad = runner.invoke(cli, ["plugin", "new", "Open-Days", "--directory", str(tmp_path / "x")])
    assert bad.exit_code == 2
    assert "'Open-Days' ne peut pas nommer une extension" in bad.output
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("mine", encoding="utf-8")
    used = runner.invoke(cli, ["plugin", "new", "opendays", "--directory", str(tmp_path / "used")])
    assert used.exit_code == 2
    assert (tmp_path / "used" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "used" / "pyproject.toml").exists()
