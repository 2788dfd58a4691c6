"""The region folder: tremplin.toml validated at start-up, environment overrides, secrets."""

import pytest

from tremplin.i18n import using_locale
from tremplin.region import ConfigError, load_region
from tremplin.testing import minimal_region

VALID = """
    [region]
    code = "normandie"
    name = "Normandie"
    locales = ["fr"]
"""


@pytest.fixture(autouse=True)
def _english():
    """Reasons are asserted in English; their French translation is tested elsewhere."""
    with using_locale("en"):
        yield


def test_the_reference_region_loads(reference_region):
    region = load_region(reference_region, env={})
    assert (region.code, region.name, region.default_locale) == (
        "hauts-de-france",
        "Hauts-de-France",
        "fr",
    )
    assert region.locales == ("fr", "en")


def test_defaults_fill_what_the_file_leaves_out(write_region):
    region = load_region(write_region(VALID), env={})
    assert region.database_url == "sqlite:///instance/tremplin.db"
    assert region.plugins == ()
    assert region.timezone == "Europe/Paris"


@pytest.mark.parametrize(
    ("text", "key", "reason"),
    [
        ("colour = 'blue'\n" + VALID, "colour", "unknown field"),
        (VALID + "colour = 'blue'\n", "region.colour", "unknown field"),
        (VALID.replace('name = "Normandie"', "name = 12"), "region.name", "not a valid string"),
        (
            VALID.replace('locales = ["fr"]', 'locales = ["fr", "de"]'),
            "region.locales.1",
            "must be one of",
        ),
        (VALID.replace('code = "normandie"', ""), "region.code", "missing data"),
        (VALID + "[plugins]\nenabled = 'charter'\n", "plugins.enabled", "not a valid list"),
        (VALID + "[plugins]\nenabled = ['a', 'a']\n", "plugins.enabled", "listed twice"),
    ],
)
def test_a_broken_file_is_rejected_with_file_key_and_reason(write_region, text, key, reason):
    folder = write_region(text)
    with pytest.raises(ConfigError) as raised:
        load_region(folder, env={})
    error = raised.value
    assert error.file == str(folder / "tremplin.toml")
    assert error.key == key
    assert reason in error.reason.lower()
    assert "\n" not in str(error)


def test_a_file_that_is_not_toml_is_rejected(write_region):
    with pytest.raises(ConfigError, match="TOML"):
        load_region(write_region("[region\n"), env={})


def test_a_folder_without_tremplin_toml_is_rejected(tmp_path):
    with pytest.raises(ConfigError, match="--region"):
        load_region(tmp_path, env={})


def test_environment_variables_override_the_file(write_region):
    env = {
        "TREMPLIN_DATABASE_URL": "postgresql://tremplin@db.example/tremplin",
        "TREMPLIN_QUEUE_URL": "redis://127.0.0.1:6379/0",
        "TREMPLIN_SECRET_KEY": "from-the-environment",
        "TREMPLIN_PLUGINS": "charter, mecenat",
    }
    region = load_region(write_region(VALID), env=env)
    assert region.database_url == env["TREMPLIN_DATABASE_URL"]
    assert region.queue_url == env["TREMPLIN_QUEUE_URL"]
    assert region.secret_key == "from-the-environment"
    assert region.plugins == ("charter", "mecenat")


def test_tremplin_region_names_the_folder(write_region):
    folder = write_region(VALID)
    assert load_region(None, env={"TREMPLIN_REGION": str(folder)}).path == folder


def test_an_empty_tremplin_plugins_disables_every_plugin(write_region):
    folder = write_region(VALID + "[plugins]\nenabled = ['charter']\n")
    assert load_region(folder, env={"TREMPLIN_PLUGINS": ""}).plugins == ()


def test_without_a_configured_key_a_random_one_is_kept_in_the_instance_folder(write_region):
    folder = write_region(VALID)
    first = load_region(folder, env={}).secret_key
    assert len(first) >= 32
    assert load_region(folder, env={}).secret_key == first
    assert (folder / "instance" / "secret_key").stat().st_mode & 0o077 == 0


def test_secrets_do_not_appear_in_the_regions_representation(write_region):
    region = load_region(
        write_region(VALID),
        env={
            "TREMPLIN_SECRET_KEY": "s3cr3t-key",
            "TREMPLIN_DATABASE_URL": "postgresql://u:pw0rd@h/d",
        },
    )
    assert "s3cr3t-key" not in repr(region)
    assert "pw0rd" not in repr(region)


def test_hook_register_settings_schema_validates_the_plugins_block(make_app, tmp_path):
    from marshmallow import Schema, fields

    from tremplin import hookimpl

    class Settings(Schema):
        renewal_months = fields.Integer(required=True)

    class Configurable:
        name = "configurable"

        @hookimpl
        def register_settings_schema(self):
            return Settings

    with pytest.raises(ConfigError) as raised:
        make_app(
            extra_plugins=[Configurable()], settings={"configurable": {"renewal_months": "often"}}
        )
    assert raised.value.key == "plugins.configurable.renewal_months"
    with pytest.raises(ConfigError) as raised:
        make_app(
            extra_plugins=[Configurable()], settings={"configurable": {"renewal_months": 3, "x": 1}}
        )
    assert raised.value.key == "plugins.configurable.x"


def test_settings_for_a_plugin_that_is_not_installed_are_rejected(
    write_region, tremplin_database_url
):
    from tremplin import create_app

    folder = write_region(VALID + "[plugins.chartre]\nrenewal = 3\n")
    with pytest.raises(ConfigError) as raised:
        create_app(str(folder), overrides={"database_url": tremplin_database_url})
    assert raised.value.key == "plugins.chartre"


def test_the_minimal_region_of_the_test_kit_is_valid(tmp_path):
    assert load_region(minimal_region(tmp_path / "r"), env={}).code == "test-region"


def test_an_unsupported_database_is_rejected_naming_the_key(write_region):
    from tremplin import create_app

    folder = write_region(VALID + "[database]\nurl = 'mysql://db.example/tremplin'\n")
    with pytest.raises(ConfigError) as raised:
        create_app(str(folder))
    assert raised.value.key == "database.url"
    assert "mysql" in raised.value.reason


def test_a_default_locale_that_is_not_offered_is_rejected(write_region):
    folder = write_region(
        VALID.replace('locales = ["fr"]', 'locales = ["fr"]\ndefault_locale = "en"')
    )
    with pytest.raises(ConfigError) as raised:
        load_region(folder, env={})
    assert raised.value.key == "region.default_locale"


def test_a_plugins_entry_that_is_not_a_table_is_rejected(write_region):
    with pytest.raises(ConfigError) as raised:
        load_region(write_region(VALID + "[plugins]\ncharter = 3\n"), env={})
    assert raised.value.key == "plugins.charter"


def test_a_bad_database_url_from_the_environment_blames_the_variable(write_region, monkeypatch):
    from tremplin import create_app

    monkeypatch.setenv("TREMPLIN_DATABASE_URL", "mysql://db.example/tremplin")
    with pytest.raises(ConfigError) as raised:
        create_app(str(write_region(VALID)))
    assert raised.value.file == "TREMPLIN_DATABASE_URL"
    assert raised.value.key is None


def test_workers_starting_together_share_one_secret_key(write_region):
    from concurrent.futures import ThreadPoolExecutor

    folder = write_region(VALID)
    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = set(pool.map(lambda _: load_region(folder, env={}).secret_key, range(16)))
    assert len(keys) == 1
    assert len(next(iter(keys))) == 64
    assert [p.name for p in (folder / "instance").iterdir()] == ["secret_key"]


def test_every_deployment_setting_can_come_from_the_environment(write_region):
    """Staging and production share one region folder: what differs comes from the environment."""
    folder = write_region(VALID + '[mail]\nhost = "smtp.staging.example"\n')
    env = {
        "TREMPLIN_BASE_URL": "https://orientation.example.fr/",
        "TREMPLIN_PROXIES": "1",
        "TREMPLIN_SMTP_HOST": "smtp.example.fr",
        "TREMPLIN_SMTP_PORT": "587",
        "TREMPLIN_SMTP_USERNAME": "tremplin",
        "TREMPLIN_SMTP_PASSWORD": "pw",
        "TREMPLIN_SMTP_USE_TLS": "true",
        "TREMPLIN_MAIL_SENDER": "Horizons Métiers <contact@orientation.example.fr>",
    }
    region = load_region(folder, env=env)
    assert region.base_url == "https://orientation.example.fr"
    assert region.proxies == 1
    assert (region.mail["host"], region.mail["port"]) == ("smtp.example.fr", 587)
    assert (region.mail["username"], region.mail["password"]) == ("tremplin", "pw")
    assert region.mail["use_tls"] is True
    assert region.mail["sender"] == "Horizons Métiers <contact@orientation.example.fr>"
    assert region.origin("base_url") == ("TREMPLIN_BASE_URL", None)


def test_a_bad_value_from_the_environment_blames_the_variable(write_region):
    folder = write_region(VALID)
    with pytest.raises(ConfigError) as raised:
        load_region(folder, env={"TREMPLIN_SMTP_PORT": "vingt-cinq"})
    assert raised.value.file == "TREMPLIN_SMTP_PORT"
    assert "integer" in raised.value.reason
