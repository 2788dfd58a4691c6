"""A plugin knows its own name: its entry point gives it once, everything else follows."""

import pytest

from tremplin.plugin import Plugin
from tremplin.pluginmanager import PluginError
from tremplin.runtime import settings_of
from tremplin.testing import admin_client

SINGLE_MODULE_PLUGIN = """
    from tremplin import hookimpl
    from tremplin.plugin import Plugin

    plugin = Plugin.of(__name__)

    @hookimpl
    def processing_activities():
        return []
"""


def test_a_bundled_plugin_is_named_by_its_entry_point():
    from tremplin.plugins.charter import plugin

    assert plugin == Plugin("charter", "tremplin.plugins.charter")
    assert plugin.table("record_check") == "charter_record_check"
    assert plugin.domain.name == "charter"
    assert plugin.migrations()[0] == "charter"
    assert (plugin.migrations()[1] / "0001_create_charter.py").is_file()


def test_the_plugin_s_tables_carry_its_prefix():
    from tremplin.plugins.charter import hooks

    tables = [model._meta.table_name for model in hooks.register_models()]
    assert tables
    assert all(table.startswith("charter_") for table in tables)


def test_an_installed_single_module_plugin_knows_its_name(install_plugin):
    module = install_plugin("badges", SINGLE_MODULE_PLUGIN)
    assert Plugin.of(module).name == "badges"


def test_code_that_no_installed_plugin_holds_has_no_name():
    with pytest.raises(PluginError, match=r"no installed plugin has its code in 'tests\.other'"):
        Plugin.of("tests.other")


def test_a_plugin_given_to_a_test_app_gets_its_entry_point_name_and_settings(make_app):
    from tremplin.plugins.charter import hooks

    app = make_app(extra_plugins=[hooks], settings={"charter": {"require_record_check": False}})
    with app.app_context():
        assert settings_of("charter")["require_record_check"] is False
    listed = admin_client(app).get("/-/plugins.json").json
    assert [entry["name"] for entry in listed] == ["charter"]


def test_a_plugin_knows_whether_its_migrations_ran(make_app):
    from tremplin.plugins.charter import plugin

    with make_app(plugins=["charter"], migrate=False).app_context():
        assert plugin.migrated() is False
    with make_app(plugins=["charter"]).app_context():
        assert plugin.migrated() is True
