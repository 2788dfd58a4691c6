"""Plugins: discovery by entry point, enabling from the region, errors that name the plugin."""

import pytest

from tremplin import create_app
from tremplin.i18n import using_locale
from tremplin.pluginmanager import PluginError, installed_plugins
from tremplin.testing import admin_client, upgrade

GREETING_PLUGIN = """
    from flask import Blueprint
    from tremplin import hookimpl

    blueprint = Blueprint("{name}", __name__)

    @blueprint.get("/{name}")
    def hello():
        return "{name}"

    @hookimpl
    def register_blueprints(app):
        return [blueprint]
"""


def test_an_installed_plugin_is_discovered_through_its_entry_point(install_plugin):
    install_plugin("greeting", GREETING_PLUGIN.format(name="greeting"), version="2.0.1")
    assert "greeting" in installed_plugins()


def test_an_enabled_plugin_adds_its_pages(install_plugin, make_app):
    install_plugin("greeting", GREETING_PLUGIN.format(name="greeting"))
    client = make_app(plugins=["greeting"]).test_client()
    assert client.get("/greeting").text == "greeting"


def test_an_installed_plugin_that_is_not_enabled_is_not_loaded(install_plugin, make_app):
    install_plugin("greeting", GREETING_PLUGIN.format(name="greeting"))
    client = make_app(plugins=[]).test_client()
    assert client.get("/greeting").status_code == 404
    assert admin_client(client.application).get("/-/plugins.json").json == []


def test_plugins_are_listed_in_the_regions_order_with_version_and_hooks(install_plugin, make_app):
    install_plugin("zeta", GREETING_PLUGIN.format(name="zeta"), version="3.1.0")
    install_plugin("alpha", GREETING_PLUGIN.format(name="alpha"), version="0.2.0")
    listed = admin_client(make_app(plugins=["zeta", "alpha"])).get("/-/plugins.json").json
    assert listed == [
        {"name": "zeta", "version": "3.1.0", "hooks": ["register_blueprints"]},
        {"name": "alpha", "version": "0.2.0", "hooks": ["register_blueprints"]},
    ]


def test_tremplin_plugins_lists_the_enabled_plugins(install_plugin, make_app, run_cli):
    install_plugin("greeting", GREETING_PLUGIN.format(name="greeting"), version="2.0.1")
    app = make_app(plugins=["greeting"])
    result = run_cli(app, "plugins")
    assert result.exit_code == 0
    assert result.output.split() == ["greeting", "2.0.1", "register_blueprints"]


def test_tremplin_plugins_all_includes_the_core_areas(make_app, run_cli):
    result = run_cli(make_app(), "plugins", "--all")
    names = [line.split()[0] for line in result.output.splitlines()]
    assert names[:3] == ["tremplin.web", "tremplin.privacy", "tremplin.territories"]


def test_tremplin_plugins_environment_variable_overrides_the_region(
    install_plugin, write_region, monkeypatch, tremplin_database_url
):
    install_plugin("greeting", GREETING_PLUGIN.format(name="greeting"))
    folder = write_region(
        """
        [region]
        code = "test"
        name = "Test"
        [plugins]
        enabled = []
        """
    )
    monkeypatch.setenv("TREMPLIN_PLUGINS", "greeting")
    app = create_app(str(folder), overrides={"database_url": tremplin_database_url})
    upgrade(app)
    assert admin_client(app).get("/-/plugins.json").json[0]["name"] == "greeting"


def test_an_unknown_plugin_stops_start_up_naming_it(make_app):
    with using_locale("en"), pytest.raises(PluginError, match="unknown plugin 'nonexistent'"):
        make_app(plugins=["nonexistent"])


def test_a_plugin_that_fails_to_import_stops_start_up_naming_it(install_plugin, make_app):
    install_plugin("broken", "raise RuntimeError('missing dependency')")
    with pytest.raises(PluginError, match=r"'broken'.*missing dependency"):
        make_app(plugins=["broken"])


def test_a_hook_implementation_with_an_unknown_argument_is_refused_naming_the_plugin(make_app):
    from tremplin import hookimpl

    class Wrong:
        name = "wrong-arguments"

        @hookimpl
        def register_blueprints(self, application):
            return []

    with pytest.raises(PluginError, match="wrong-arguments"):
        make_app(extra_plugins=[Wrong()])


def test_an_implementation_of_an_unknown_hook_is_refused(make_app):
    from tremplin import hookimpl

    class Typo:
        name = "typo"

        @hookimpl
        def register_blueprint(self, app):
            return []

    with (
        using_locale("en"),
        pytest.raises(PluginError, match="plugin 'typo' implements 'register_blueprint'"),
    ):
        make_app(extra_plugins=[Typo()])


def test_each_app_has_its_own_plugin_manager(install_plugin, make_app):
    install_plugin("greeting", GREETING_PLUGIN.format(name="greeting"))
    with_plugin = make_app(plugins=["greeting"]).test_client()
    without_plugin = make_app(plugins=[]).test_client()
    assert with_plugin.get("/greeting").status_code == 200
    assert without_plugin.get("/greeting").status_code == 404
